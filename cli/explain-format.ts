/** Human output of explain, plan --at and timeline. Pure: the answers come in, lines go out. */
import type { Explanation, FleetPlan, Timeline } from './api-types';
import { planLines, reasonText, table } from './format';

/** Where a desired state comes from, in words. */
function sourceText(source: Explanation['desired']['source']): string {
  switch (source.kind) {
    case 'default':
      return 'default (nothing selects it)';
    case 'preset':
      return `preset ${source.name}`;
    case 'window':
      return `allow window ${source.name} (preset ${source.preset})`;
    case 'override':
      return `override${source.reason ? ` (${source.reason})` : ''}${source.expiresAt ? `, expires ${source.expiresAt}` : ''}`;
    default:
      return `${source.kind}${source.reason ? ` (${source.reason})` : ''}${source.expiresAt ? `, expires ${source.expiresAt}` : ''}`;
  }
}

/** `explain ID`: the answer to "why is it (not) running, and when will that change?". */
export function explanationLines(explanation: Explanation): string[] {
  const observed = explanation.observed;
  const lines = [
    `${explanation.scenario} at ${explanation.at} (${explanation.timeZone})`,
    `  desired:  ${explanation.desired.state}, from ${sourceText(explanation.desired.source)}`,
    `  target:   ${explanation.target}${explanation.reason ? ` (${reasonText(explanation.reason, explanation.message)})` : ''}`,
    `  observed: ${observed.state}${observed.inFlight ? `, ${observed.inFlight} in flight` : ''}${observed.failures ? `, ${observed.failures} failures (${observed.lastError ?? 'no message'})` : ''}${observed.leaseExpiresAt ? `, lease until ${observed.leaseExpiresAt}` : ''}`,
    '  gates:',
    ...table(['GATE', 'VERDICT', 'MESSAGE'], explanation.gates.map((gate) => [gate.gate, gate.verdict, gate.message])).split('\n').map((line) => `    ${line}`),
  ];
  if (explanation.healthChecks.length) {
    lines.push('  health checks:', ...table(['CHECK', 'OK', 'READ AT', 'MESSAGE'], explanation.healthChecks.map((check) => [check.check, check.ok ? 'yes' : 'no', check.readAt ?? 'not yet', check.message])).split('\n').map((line) => `    ${line}`));
  }
  lines.push(explanation.nextTransition ? `  next:     ${explanation.nextTransition.at}: ${explanation.nextTransition.cause}` : '  next:     nothing scheduled changes it');
  return lines;
}

/** `plan --at TIME`: the change from now, then every scenario that is (or would be) active or held. */
export function fleetPlanLines(plan: FleetPlan): string[] {
  const scenarios = plan.scenarios ?? [];
  const lines = [`at ${plan.at} (${plan.timeZone}), under today's declarations:`, ...planLines(plan, 'would').map((line) => `  ${line}`)];
  const shown = scenarios.filter((scenario) => scenario.target === 'active' || scenario.desired === 'active');
  if (shown.length) {
    lines.push('  fleet:', ...table(['SCENARIO', 'DESIRED', 'SOURCE', 'TARGET', 'REASON'], shown.map((s) => [s.id, s.desired, s.source.name ? `${s.source.kind} ${s.source.name}` : s.source.kind, s.target, reasonText(s.reason, s.message)])).split('\n').map((line) => `    ${line}`));
  }
  lines.push(`  ${scenarios.filter((s) => s.target === 'active').length} of ${scenarios.length} scenarios active`);
  return lines;
}

/** `timeline`: one line per window run or override, in time order. */
export function timelineLines(timeline: Timeline): string[] {
  const header = `${timeline.from} .. ${timeline.to} (now ${timeline.now})`;
  if (timeline.entries.length === 0) return [header, '  nothing scheduled'];
  const rows = timeline.entries.map((entry) => [
    entry.start,
    entry.end ?? 'open-ended',
    entry.kind,
    entry.schedule ?? entry.scenarios[0] ?? '',
    entry.kind === 'override' ? `${entry.state}${entry.reason ? ` (${entry.reason})` : ''}` : entry.kind === 'blackout' ? 'every scenario' : `${entry.preset ?? ''}: ${entry.scenarioCount} scenarios`,
  ]);
  return [header, ...table(['START', 'END', 'KIND', 'NAME', 'WHAT'], rows).split('\n').map((line) => `  ${line}`)];
}
