/** What the loop writes to the activity log, as pure functions from its decisions to entries. */
import type { ActivityInput } from '../activity/activity';
import type { ActionOutcome } from './executor';
import { GATES, type Gate, type PlannedAction, type ScenarioVerdict } from './types';

/** One entry per pass that acts: what it set out to do, named when short. */
export function planEntry(actions: readonly PlannedAction[]): ActivityInput {
  const of = (kind: PlannedAction['action']) => actions.filter((action) => action.action === kind).map((action) => action.scenario);
  const name = (ids: string[]) => (ids.length <= 5 ? ids.join(', ') : `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more`);
  const activate = of('activate');
  const deactivate = of('deactivate');
  const parts = [activate.length ? `activate ${name(activate)}` : '', deactivate.length ? `deactivate ${name(deactivate)}` : ''].filter(Boolean);
  return { category: 'reconcile', actor: 'system', message: `plan: ${parts.join('; ')}`, data: { activate: activate.length, deactivate: deactivate.length } };
}

/** One entry per finished call, with its result and duration. */
export function outcomeEntry(outcome: ActionOutcome, because: string): ActivityInput {
  const verb = outcome.action === 'activate' ? 'activated' : 'deactivated';
  const { result } = outcome;
  const message = result.ok
    ? `${verb} (${because}) in ${outcome.durationMs} ms`
    : result.aborted
      ? `${outcome.action} abandoned: superseded by a stop`
      : `${outcome.action} failed: ${result.error}`;
  return {
    category: 'action',
    level: result.ok || result.aborted ? 'info' : 'warn',
    scenario: outcome.scenario,
    actor: 'system',
    message,
    data: { action: outcome.action, result: result.ok ? 'success' : result.aborted ? 'aborted' : 'failure', durationMs: outcome.durationMs, ...(result.epoch === undefined ? {} : { epoch: result.epoch }) },
  };
}

/**
 * Scenarios newly held by a gate, or held by another gate than before. Only a change of gate counts: a
 * message that merely moves (the CPU figure, a limit's holders) must not write an entry per pass per scenario.
 */
export function gateChanges(previous: ReadonlyMap<string, ScenarioVerdict>, next: ReadonlyMap<string, ScenarioVerdict>): { scenario: string; gate: Gate; entry: ActivityInput }[] {
  const changes: { scenario: string; gate: Gate; entry: ActivityInput }[] = [];
  // forEach, not for...of over entries: that allocates a [key, value] pair per scenario per pass.
  next.forEach((verdict, scenario) => {
    if (!verdict.reason || !(GATES as readonly string[]).includes(verdict.reason)) return;
    if (previous.get(scenario)?.reason === verdict.reason) return;
    const gate = verdict.reason as Gate;
    changes.push({ scenario, gate, entry: { category: 'gate', level: 'warn', scenario, actor: 'system', message: `blocked by ${gate}: ${verdict.message}`, data: { gate } } });
  });
  return changes;
}
