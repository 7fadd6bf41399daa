/**
 * The safety gates of SPEC 4 as pure checks. Each returns null (passes) or the reason and message that
 * hold a scenario back. The planner calls them in the order of GATES; deactivation never reaches them.
 */
import { formatDuration } from '../config/duration';
import type { CountOrPercent, Policy } from '../presets/schema';
import type { Gate } from './types';

/** A gate's refusal. */
export interface GateBlock {
  reason: Gate;
  message: string;
}

/** Where a CPU figure comes from: Linux pressure-stall `some avg10`, or the 1-minute load average per core. */
export type CpuSignal = 'psi-some-avg10' | 'loadavg-per-core';

/** Where a memory figure comes from: pressure-stall `some avg10`, MemTotal - MemAvailable, or the OS's free memory. */
export type MemorySignal = 'psi-some-avg10' | 'meminfo-available' | 'os-free-memory';

/**
 * Host figures the resource gate compares with the policy, each with the signal it was read from. A figure
 * without its signal (a bare test value) is named in plain words.
 */
export interface HostLoad {
  cpuLoadPercent: number;
  memoryPercent: number;
  cpuSignal?: CpuSignal;
  memorySignal?: MemorySignal;
}

/** What each figure is called in the gate's message, so a user knows which number tripped it. */
const CPU_FIGURE: Record<CpuSignal, string> = {
  'psi-some-avg10': 'CPU pressure (PSI some avg10)',
  'loadavg-per-core': 'CPU load (1-minute load average per core)',
};
const MEMORY_FIGURE: Record<MemorySignal, string> = {
  'psi-some-avg10': 'memory pressure (PSI some avg10)',
  'meminfo-available': 'memory in use (MemTotal - MemAvailable)',
  'os-free-memory': 'memory in use (total - free)',
};

/** An open deny window. */
export interface OpenDenyWindow {
  schedule: string;
  closesAt: number;
  /** The scenarios its preset selects (a set, or anything that answers `has`); null blocks every scenario. */
  appliesTo?: { has(id: string): boolean } | null;
}

/** Who currently holds a slot: active, activating, or admitted earlier in this pass. */
export interface Occupancy {
  active: Set<string>;
  heavy: Set<string>;
}

/** Gate 1: nothing activates while the emergency stop is latched. */
export function emergencyStopGate(stop: { reason: string; actor: string } | null): GateBlock | null {
  return stop ? { reason: 'EmergencyStop', message: `emergency stop by ${stop.actor}: ${stop.reason}; run resume to lift it` } : null;
}

/** Gate 2: an open deny window blocks activations of the scenarios its preset selects until it closes. */
export function windowGate(denyWindows: readonly OpenDenyWindow[], id: string): GateBlock | null {
  if (denyWindows.length === 0) return null;
  denyWindows = denyWindows.filter((window) => !window.appliesTo || window.appliesTo.has(id));
  if (denyWindows.length === 0) return null;
  const last = denyWindows.reduce((a, b) => (b.closesAt > a.closesAt ? b : a));
  const names = denyWindows.map((window) => window.schedule).join(', ');
  const until = Number.isFinite(last.closesAt) ? `until ${new Date(last.closesAt).toISOString()}` : 'with no end in sight (back-to-back occurrences)';
  return { reason: 'WindowClosed', message: `deny window ${names} is open ${until}` };
}

/** Gate 3: never active together with a declared conflict; the one already holding a slot wins. */
export function conflictGate(id: string, conflicts: ReadonlyMap<string, ReadonlySet<string>>, occupancy: Occupancy): GateBlock | null {
  const rivals = conflicts.get(id);
  if (!rivals) return null;
  const holding = [...rivals].filter((rival) => occupancy.active.has(rival)).sort();
  if (holding.length === 0) return null;
  return { reason: 'Conflict', message: `conflicts with ${holding.join(', ')}, which ${holding.length > 1 ? 'are' : 'is'} active` };
}

/**
 * A count or a percentage of `whole`, as a number of scenarios: a percentage rounds down, so that "25%" never
 * lets more than a quarter through; with `atLeastOne`, a positive percentage of a small whole still allows one.
 */
export function resolveLimit(limit: CountOrPercent, whole: number, atLeastOne = false): number {
  if (typeof limit === 'number') return limit;
  const percent = Number.parseFloat(limit);
  const share = Math.floor((percent * whole) / 100 + 1e-9);
  return atLeastOne && percent > 0 ? Math.max(1, share) : share;
}

/** Gate 4: `maxActive` in total (a count, or a percentage of the `fleetSize` scenarios) and `maxHeavy` heavy ones. */
export function concurrencyGate(isHeavy: boolean, policy: Policy, occupancy: Occupancy, fleetSize: number): GateBlock | null {
  if (policy.maxActive !== null && occupancy.active.size >= resolveLimit(policy.maxActive, fleetSize, true)) {
    const limit = typeof policy.maxActive === 'number' ? `${policy.maxActive}` : `${policy.maxActive} (${resolveLimit(policy.maxActive, fleetSize, true)} of ${fleetSize} scenarios)`;
    return { reason: 'ConcurrencyLimit', message: `maxActive ${limit} reached (${listSome(occupancy.active)})` };
  }
  if (isHeavy && policy.maxHeavy !== null && occupancy.heavy.size >= policy.maxHeavy) {
    return { reason: 'ConcurrencyLimit', message: `maxHeavy ${policy.maxHeavy} reached (${listSome(occupancy.heavy)} active)` };
  }
  return null;
}

/** Gate 5: host CPU or memory above the policy's thresholds blocks new activations; the message names the signal. */
export function resourceGate(host: HostLoad | null, policy: Policy): GateBlock | null {
  if (!host) return null;
  const limits = policy.resourceLimits;
  const over: string[] = [];
  if (host.cpuLoadPercent > limits.cpuLoadPercent) {
    over.push(aboveLimit(host.cpuSignal ? CPU_FIGURE[host.cpuSignal] : 'CPU load', host.cpuLoadPercent, limits.cpuLoadPercent));
  }
  if (host.memoryPercent > limits.memoryPercent) {
    over.push(aboveLimit(host.memorySignal ? MEMORY_FIGURE[host.memorySignal] : 'memory', host.memoryPercent, limits.memoryPercent));
  }
  return over.length ? { reason: 'ResourcePressure', message: over.join('; ') } : null;
}

function aboveLimit(figure: string, value: number, limit: number): string {
  return `${figure} ${Math.round(value * 10) / 10}% is above the policy's ${limit}%`;
}

/** The last reading of one health check, as the gate needs it (SPEC 11; the health module reads them). */
export interface HealthReading {
  check: string;
  /** False when the check fails, or cannot be read and its onError is block. */
  ok: boolean;
  /** What the check saw: the alerts (alertname and labels) or the query and its values, or why it cannot be read. */
  message: string;
}

/** Gate 6: a failing health check blocks new activations; the message names each failing check's findings. */
export function healthCheckGate(health: readonly HealthReading[] | null | undefined): GateBlock | null {
  if (!health || health.length === 0) return null;
  const failing = health.filter((reading) => !reading.ok);
  if (failing.length === 0) return null;
  return { reason: 'HealthCheck', message: failing.map((reading) => reading.message).join('; ') };
}

/** The change in progress (an apply, a preset apply, a window opening) and how its activations fared (SPEC 10). */
export interface ChangeProgress {
  /** What the change was, for people: `preset apply full`, `window nightly opened`. */
  change: string;
  /** The scenarios the change made desired active. */
  activations: ReadonlySet<string>;
  /** Those of them whose activation failed at least once. */
  failed: ReadonlySet<string>;
}

/** How many failed activations `maxFailures` allows a change of `activations` activations; null: no budget. */
export function failureAllowance(maxFailures: CountOrPercent | null | undefined, activations: number): number | null {
  if (maxFailures === null || maxFailures === undefined) return null;
  return resolveLimit(maxFailures, activations);
}

/** True when more of the change's activations failed than the policy's `maxFailures` allows. */
export function isBudgetExhausted(change: ChangeProgress | null | undefined, policy: Policy): boolean {
  if (!change) return false;
  const allowed = failureAllowance(policy.maxFailures, change.activations.size);
  return allowed !== null && change.failed.size > allowed;
}

/**
 * Gate 7: once more of a change's activations failed than `maxFailures` allows, its other activations wait
 * until the next change or resume; scenarios outside the change are not its business.
 */
export function failureBudgetGate(change: ChangeProgress | null | undefined, policy: Policy, id: string): GateBlock | null {
  if (!change || !change.activations.has(id) || !isBudgetExhausted(change, policy)) return null;
  const budget = policy.maxFailures as CountOrPercent;
  const total = change.activations.size;
  const allows = typeof budget === 'number' ? `${budget}` : `${budget} (${failureAllowance(budget, total)} of ${total})`;
  return {
    reason: 'FailureBudget',
    message: `change "${change.change}": ${change.failed.size} of ${total} activations failed, more than maxFailures ${allows} allows; the others wait until the next change or resume`,
  };
}

/** Gate 8: a minimum time between two activations of the same scenario. */
export function cooldownGate(lastActivatedAt: number | null, policy: Policy, now: number): GateBlock | null {
  if (policy.cooldownSeconds <= 0 || lastActivatedAt === null) return null;
  const readyAt = lastActivatedAt + policy.cooldownSeconds * 1_000;
  if (now >= readyAt) return null;
  return {
    reason: 'Cooldown',
    message: `activated ${formatDuration(now - lastActivatedAt)} ago; cooldown ${policy.cooldownSeconds}s, ready in ${formatDuration(readyAt - now)}`,
  };
}

/** Builds the symmetric conflict map from policy groups and scenarios' own `conflictsWith`. */
export function conflictMap(
  policy: Policy,
  scenarios: readonly { id: string; conflictsWith: readonly string[] }[],
): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    if (!map.has(a)) map.set(a, new Set());
    if (!map.has(b)) map.set(b, new Set());
    map.get(a)!.add(b);
    map.get(b)!.add(a);
  };
  for (const group of policy.conflicts) for (const a of group) for (const b of group) link(a, b);
  for (const scenario of scenarios) for (const other of scenario.conflictsWith) link(scenario.id, other);
  return map;
}

function listSome(ids: Set<string>): string {
  const sorted = [...ids].sort();
  return sorted.length > 5 ? `${sorted.slice(0, 5).join(', ')} and ${sorted.length - 5} more` : sorted.join(', ');
}
