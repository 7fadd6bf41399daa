/** Human output of the CLI: tables, plans, results and log lines. Pure: every function takes `now` when it needs time. */
import type { ActivityEntry, AppliedDocument, ChangePlan, Preset, PresetChangeResult, Scenario, ScenarioChangeResult, Schedule, Status, StopAllResult } from './api-types';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  return all.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ').trimEnd()).join('\n');
}

/** `2h 5m`, `4m 10s`, `45s`: the two largest units, enough to read at a glance. */
export function shortDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value}${unit}`)
    .join(' ');
}

/** Time left until an ISO instant, `-` when there is none, `expiring` once it passed (the loop removes it next pass). */
export function ttlLeft(until: string | null | undefined, now: number): string {
  if (!until) return '-';
  const left = Date.parse(until) - now;
  return left > 0 ? shortDuration(left) : 'expiring';
}

/** `Reason: message`, or `-` for a converged scenario. */
export function reasonText(reason: string | null, message: string | null): string {
  if (!reason) return '-';
  return message ? `${reason}: ${message}` : reason;
}

/** The filters of `list`, to say what matched nothing. */
export interface ListFilters {
  state?: string;
  tag?: string;
  search?: string;
}

/** `no scenarios in state active, tagged backup`: an empty list says which filter left nothing. */
export function emptyListText(filters: ListFilters = {}): string {
  const parts = [filters.state && `in state ${filters.state}`, filters.tag && `tagged ${filters.tag}`, filters.search && `matching "${filters.search}"`].filter(Boolean);
  return parts.length ? `no scenarios ${parts.join(', ')}` : 'no maintenance scenarios found';
}

/** The `list` table: id, observed, desired, reason/message, TTL left. */
export function scenarioTable(scenarios: Scenario[], now: number, filters: ListFilters = {}): string {
  if (scenarios.length === 0) return emptyListText(filters);
  const rows = scenarios.map((s) => [s.id, s.observedState === 'active' || s.observedState === 'inactive' ? s.observedState : `${s.observedState} (${s.isActive ? 'active' : 'inactive'})`, s.desiredState, ttlLeft(s.activeUntil, now), reasonText(s.reason, s.message)]);
  return table(['ID', 'OBSERVED', 'DESIRED', 'TTL', 'REASON'], rows);
}

/** The outcome of activate/deactivate: `code-smell: active (until 14:02Z, 2h left)` or why it is not. */
export function scenarioChangeLine(result: ScenarioChangeResult, now: number): string {
  const until = result.activeUntil && result.newState === 'active' ? ` (until ${result.activeUntil}, ${ttlLeft(result.activeUntil, now)} left)` : '';
  if (result.success) return `${result.scenario}: ${result.newState}${until}`;
  return `${result.scenario}: still ${result.newState}, not acknowledged${result.reason ? ` (${reasonText(result.reason, result.message)})` : ''}`;
}

/** `code-smell: blocked by Conflict: conflicts with backup-manager`. */
export function blockedLine(scenario: string, reason: string, message: string | null): string {
  return `${scenario}: blocked by ${reason}${message ? `: ${message}` : ''}`;
}

/** A plan as lines: what activates, what deactivates, what is blocked and why. */
export function planLines(plan: ChangePlan, tense: 'now' | 'would' = 'now'): string[] {
  const prefix = tense === 'would' ? 'would ' : '';
  const lines: string[] = [];
  if (plan.activate.length) lines.push(`${prefix}activate:   ${plan.activate.join(', ')}`);
  if (plan.deactivate.length) lines.push(`${prefix}deactivate: ${plan.deactivate.join(', ')}`);
  if (plan.blocked.length) {
    lines.push(`${tense === 'would' ? 'would be ' : ''}blocked:`);
    lines.push(...indent(table(['SCENARIO', 'REASON'], plan.blocked.map((b) => [b.scenario, reasonText(b.reason, b.message)]))));
  }
  if (lines.length === 0) lines.push('no changes: every scenario already matches the declared state');
  return lines;
}

/** The result of `preset apply|remove`: what happened, what was blocked, what failed. */
export function presetChangeLines(result: PresetChangeResult, action: 'applied' | 'added' | 'removed', dryRun: boolean): string[] {
  if (dryRun) return [`preset ${result.preset} (dry run, nothing changed):`, ...indent(planLines(result.plan, 'would').join('\n'))];
  const lines = [`preset ${result.preset} ${action}`];
  // A blocked scenario is inactive with an inactive target, so the server may count it as deactivated too; it is shown once, as blocked.
  const blocked = new Set(result.blocked.map((b) => b.scenario));
  const deactivated = result.deactivated.filter((id) => !blocked.has(id));
  if (result.activated.length) lines.push(`  activated:   ${result.activated.join(', ')}`);
  if (deactivated.length) lines.push(`  deactivated: ${deactivated.join(', ')}`);
  if (!result.activated.length && !deactivated.length && !result.failed.length) lines.push('  no changes');
  if (result.blocked.length) lines.push('  blocked:', ...indent(table(['SCENARIO', 'REASON'], result.blocked.map((b) => [b.scenario, reasonText(b.reason, b.message)])), 4));
  if (result.failed.length) lines.push('  not converged:', ...indent(table(['SCENARIO', 'MESSAGE'], result.failed.map((f) => [f.scenario, f.message])), 4));
  return lines;
}

/** The result of `apply -f` or `plan -f`: each document and, for states, its plan. */
export function appliedDocumentLines(documents: AppliedDocument[], dryRun: boolean): string[] {
  const lines: string[] = [];
  for (const document of documents) {
    lines.push(`${document.kind}/${document.name ?? '(unnamed)'}: ${document.result}`);
    if (document.plan) lines.push(...indent(planLines(document.plan, dryRun ? 'would' : 'now').join('\n')));
    if (document.failed?.length) lines.push('  not converged:', ...indent(table(['SCENARIO', 'MESSAGE'], document.failed.map((f) => [f.scenario, f.message])), 4));
  }
  if (documents.length === 0) lines.push('the file holds no documents');
  return lines;
}

/** The `preset list` table. */
export function presetTable(presets: Preset[]): string {
  const rows = presets.map((p) => [p.id, p.isActive ? 'applied' : '-', p.isDefault ? 'default' : 'custom', String(p.scenarios.length), [p.description, p.aliases.length ? `(aliases: ${p.aliases.join(', ')})` : ''].filter(Boolean).join(' ')]);
  return table(['ID', 'STATE', 'KIND', 'SCENARIOS', 'DESCRIPTION'], rows);
}

/** `preset show`: the preset, its selector and what it selects now. */
export function presetDetail(preset: Preset): string {
  const selector = preset.selector;
  const list = (values: string[]) => (values.length ? values.join(', ') : '-');
  return [
    `id:          ${preset.id}`,
    `description: ${preset.description || '-'}`,
    `kind:        ${preset.isDefault ? 'default' : 'custom'}${preset.isActive ? ', applied' : ''}`,
    `aliases:     ${list(preset.aliases)}`,
    `selector:    names: ${list(selector.names)}; tags: ${list(selector.tags)}; exclude: ${list(selector.exclude)}`,
    `selects:     ${preset.scenarios.length ? `${preset.scenarios.length}: ${preset.scenarios.join(', ')}` : 'nothing discovered now'}`,
  ].join('\n');
}

/** One activity entry: `timestamp category scenario actor message`. */
export function activityLine(entry: ActivityEntry): string {
  const level = entry.level && entry.level !== 'info' ? ` [${entry.level}]` : '';
  return `${entry.timestamp} ${entry.category} ${entry.scenario ?? entry.preset ?? '-'} ${entry.actor ?? '-'}${level} ${entry.message}`;
}

/** The `status` summary. */
export function statusLines(status: Status): string[] {
  const stop = status.emergencyStop;
  const overrides = Object.entries(status.overrides ?? {});
  const counts = [`${status.activeScenarios} of ${status.totalScenarios} active`];
  if (status.blockedScenarios) counts.push(`${status.blockedScenarios} blocked`);
  if (status.unreachableScenarios) counts.push(`${status.unreachableScenarios} unreachable`);
  const lines = [
    `health:          ${status.health}`,
    `maintenance:     ${status.maintenanceState} (${counts.join(', ')})`,
    `emergency stop:  ${stop ? `ACTIVE since ${stop.at} by ${stop.actor}: ${stop.reason} (run 'maintenance-orchestrator resume' to lift)` : 'off'}`,
    `applied presets: ${status.appliedPresets?.length ? status.appliedPresets.join(', ') : 'none'}`,
    `overrides:       ${overrides.length ? overrides.map(([id, o]) => `${id}=${o.state}${o.expiresAt ? ` until ${o.expiresAt}` : ''}`).join(', ') : 'none'}`,
    `uptime:          ${shortDuration(status.uptime * 1000)}`,
    `leader:          ${status.leader ? `${status.leader.id} (epoch ${status.leader.epoch}${status.leader.since ? `, since ${status.leader.since}` : ''})` : 'none'}; this replica is ${status.role}`,
  ];
  // Older servers send no breakGlass: read it as none.
  for (const glass of status.breakGlass ?? []) lines.splice(3, 0, `BREAK-GLASS:     ${glass.scenario} by ${glass.actor} until ${glass.expiresAt}: ${glass.reason}`);
  if (status.reconciler?.lastError) lines.push(`last pass error: ${status.reconciler.lastError}`);
  if (status.recentActivity.length) lines.push('recent activity:', ...indent([...status.recentActivity].reverse().map(activityLine).join('\n')));
  return lines;
}

/** The result of stop-all. */
export function stopAllLines(result: StopAllResult): string[] {
  const lines = [`emergency stop by ${result.actor}: ${result.reason}`];
  lines.push(result.deactivated.length ? `deactivated: ${result.deactivated.join(', ')}` : 'nothing was active');
  if (result.stillActive.length) lines.push(`still active (not acknowledged yet; the loop keeps trying): ${result.stillActive.join(', ')}`);
  lines.push(clearedLine(result));
  lines.push("nothing activates until 'maintenance-orchestrator resume'; after it only open allow windows come back on their own");
  return lines;
}

/** What stop-all cleared, naming the presets and overrides when the server says which. */
function clearedLine(result: StopAllResult): string {
  const { clearedPresets: presets, clearedOverrides: overrides } = result;
  if (!presets && !overrides) return 'applied presets and overrides cleared';
  const list = (ids: string[] | undefined) => (ids?.length ? ids.join(', ') : 'none');
  return `applied presets and overrides cleared (presets: ${list(presets)}; overrides: ${list(overrides)})`;
}

function indent(text: string, spaces = 2): string[] {
  return text.split('\n').map((line) => `${' '.repeat(spaces)}${line}`);
}

/** When a window opens or closes next, in its zone and in UTC: `2026-11-29 02:00 CET (01:00Z)`. */
export function windowTime(local: string | null, utc: string | null): string {
  if (!utc) return '-';
  const z = `${utc.slice(11, 16)}Z`;
  return local ? `${local} (${z})` : `${utc.slice(0, 16).replace('T', ' ')}Z`;
}

/** The `schedule list` table: open now, or the next opening and closing. */
export function scheduleTable(schedules: Schedule[]): string {
  const rows = schedules.map((s) => [
    s.name,
    s.kind,
    s.preset ?? (s.kind === 'blackout' ? '(every scenario)' : '-'),
    scheduleWhen(s),
    s.open ? `OPEN until ${windowTime(s.nextCloseLocal, s.closesAt)}` : `opens ${windowTime(s.nextOpenLocal, s.nextOpen)}, closes ${windowTime(s.nextCloseLocal, s.nextClose)}`,
  ]);
  return table(['NAME', 'KIND', 'PRESET', 'WHEN', 'STATE'], rows);
}

/** When a window opens, in one cell: read-only feeds by name, one-off windows by their `at`, cron with its offset and date range. */
function scheduleWhen(s: Schedule): string {
  if (s.source === 'calendar') return 'calendar (read-only)';
  if (s.source === 'blackout-feed') return `blackout feed (read-only)${s.summary ? `: ${s.summary}` : ''}`;
  if (s.at) return `once at ${s.at} ${s.timeZone} for ${s.duration}`;
  return `${s.cron}${offsetText(s.offsetDays)} ${s.timeZone} for ${s.duration}${validityText(s)}`;
}

/** ` +2 days` / ` -1 day`, or nothing for no offset. */
function offsetText(days: number | undefined): string {
  if (!days) return '';
  return ` ${days > 0 ? '+' : '-'}${Math.abs(days)} day${Math.abs(days) === 1 ? '' : 's'}`;
}

/** ` from 2026-01-01 until 2026-12-31`, either end optional, or nothing. */
function validityText(s: Schedule): string {
  return `${s.validFrom ? ` from ${s.validFrom}` : ''}${s.validUntil ? ` until ${s.validUntil}` : ''}`;
}

const KIND_MEANING: Record<Schedule['kind'], string> = {
  allow: 'adds the preset while open',
  deny: "blocks activations of the preset's scenarios while open",
  blackout: 'blocks activations of every scenario while open',
};

/** `schedule show`/`create`: one window in full. */
export function scheduleDetail(s: Schedule): string {
  const readOnly = s.source === 'blackout-feed' ? ' (read-only, from the blackout feed)' : ' (read-only, from the calendar feed)';
  return [
    `name:        ${s.name}${s.readOnly ? readOnly : ''}`,
    `kind:        ${s.kind} (${KIND_MEANING[s.kind] ?? s.kind})`,
    ...(s.preset ? [`preset:      ${s.preset}`] : []),
    ...(s.summary ? [`summary:     ${s.summary}`] : []),
    ...(s.cron ? [`cron:        ${s.cron}${offsetText(s.offsetDays)} in ${s.timeZone}, for ${s.duration}${validityText(s)}`] : []),
    ...(s.at ? [`at:          ${s.at} in ${s.timeZone}, for ${s.duration} (once)`] : []),
    ...(s.description ? [`description: ${s.description}`] : []),
    s.open ? `state:       OPEN until ${windowTime(s.nextCloseLocal, s.closesAt)}` : `next opens:  ${windowTime(s.nextOpenLocal, s.nextOpen)}`,
    ...(s.open ? [] : [`next closes: ${windowTime(s.nextCloseLocal, s.nextClose)}`]),
  ].join('\n');
}

/** A schedule name derived from preset (or kind) and cron or at when none is given: `security-0-2-x-x-0`. */
export function defaultScheduleName(preset: string, cron: string): string {
  const slug = cron.trim().replace(/\*/g, 'x').replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  return `${preset}-${slug}`.replace(/-+$/, '').slice(0, 63);
}
