/** Read models: the scenario and status objects the API, CLI and dashboard show. Pure. */
import type { ScenarioSpec } from '../discovery/scenario';
import { describeSource } from '../reconciler/desired';
import { effectiveState } from '../reconciler/planner';
import { GATES, type Condition, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';

/** One scenario as the API returns it (SPEC 6). */
export interface ScenarioView {
  id: string;
  name: string;
  displayName: string;
  description: string;
  tags: string[];
  weight: 'light' | 'heavy';
  endpoint: string | null;
  endpointSource: string | null;
  canDeactivate: boolean;
  conflictsWith: string[];
  /** Observed: what the scenario reports (or last acknowledged). */
  isActive: boolean;
  desiredState: 'active' | 'inactive';
  /** What the loop drives it to after gates. */
  targetState: 'active' | 'inactive';
  observedState: ObservedRecord['state'];
  desiredSource: string;
  reason: string | null;
  message: string | null;
  conditions: Condition[];
  /** ISO time an override with a TTL lapses, or null. */
  activeUntil: string | null;
  lastActive: string | null;
  /** ISO time the scenario's activation lease runs out, as it last reported it; null without a lease (SPEC 12). */
  leaseExpiresAt: string | null;
  inFlight: 'activate' | 'deactivate' | null;
  failures: number;
  gone: boolean;
}

const STALLED = new Set(['NoEndpoint', 'HostNotAllowed', 'CannotDeactivate', 'Unreachable', 'ActionFailed']);

/** A scenario not observed yet. */
const UNOBSERVED: ObservedRecord = Object.freeze({ state: 'unknown', lastAck: null, lastActivatedAt: null, inFlight: null, failures: 0, retryAt: null, lastError: null, leaseExpiresAt: null });

/**
 * Where a scenario stands: the part of its view that intents' answers, list filters and status counts turn
 * on. Computed without building the view, so that answering a mass action or counting a fleet does not
 * build (and cache) 10,000 views the next change makes stale.
 */
export interface ScenarioStanding {
  isActive: boolean;
  desiredState: 'active' | 'inactive';
  targetState: 'active' | 'inactive';
  observedState: ObservedRecord['state'];
  reason: string | null;
  message: string | null;
  /** The Progressing condition: a call in flight, or a pass that has yet to act. */
  progressing: boolean;
  /** The Blocked condition: a gate holds it. */
  blocked: boolean;
}

/** Where a scenario stands, from its observed record and the last verdict. */
export function standingOf(record: ObservedRecord | undefined, verdict: ScenarioVerdict | undefined): ScenarioStanding {
  const observed = record ?? UNOBSERVED;
  // A call that reached its target since the last pass is done, whatever that pass said.
  const arrived = verdict?.reason === 'Progressing' && observed.inFlight === null && effectiveState(observed) === verdict.target;
  const reason = arrived ? null : verdict?.reason ?? (record ? null : 'Progressing');
  return {
    isActive: effectiveState(observed) === 'active',
    desiredState: verdict?.desired.state ?? 'inactive',
    targetState: verdict?.target ?? 'inactive',
    observedState: observed.state,
    reason,
    message: arrived ? null : verdict?.message ?? null,
    progressing: observed.inFlight !== null || reason === 'Progressing',
    blocked: isGate(reason),
  };
}

/** Builds the view of one scenario from its spec, its observed record and the last verdict. */
export function scenarioView(spec: ScenarioSpec, record: ObservedRecord | undefined, verdict: ScenarioVerdict | undefined, gone: boolean): ScenarioView {
  const observed = record ?? UNOBSERVED;
  const desired = verdict?.desired ?? { state: 'inactive' as const, source: { kind: 'default' as const } };
  const standing = standingOf(record, verdict);
  const { reason, message } = standing;
  const expiresAt = desired.source.kind === 'override' || desired.source.kind === 'breakGlass' ? desired.source.expiresAt : null;
  return {
    id: spec.id,
    name: spec.name,
    displayName: spec.displayName,
    description: spec.description,
    tags: spec.tags,
    weight: spec.weight,
    endpoint: spec.endpoint,
    endpointSource: spec.endpointSource,
    canDeactivate: spec.canDeactivate,
    conflictsWith: spec.conflictsWith,
    isActive: standing.isActive,
    desiredState: standing.desiredState,
    targetState: standing.targetState,
    observedState: standing.observedState,
    desiredSource: describeSource(desired),
    reason,
    message,
    conditions: conditionsOf(reason, message, observed),
    activeUntil: expiresAt ? new Date(expiresAt).toISOString() : null,
    lastActive: observed.lastActivatedAt ? new Date(observed.lastActivatedAt).toISOString() : null,
    leaseExpiresAt: observed.leaseExpiresAt === null ? null : new Date(observed.leaseExpiresAt).toISOString(),
    inFlight: observed.inFlight,
    failures: observed.failures,
    gone,
  };
}

/**
 * The conditions of a scenario that is where it should be, with nothing in flight: most of a fleet most of
 * the time. One frozen array for all of them rather than five objects per view rebuilt on every change.
 */
const CONVERGED_IDLE: Condition[] = Object.freeze([
  Object.freeze({ type: 'Ready', status: 'True', reason: 'Converged', message: 'observed state matches the declared state' }),
  Object.freeze({ type: 'Progressing', status: 'False', reason: 'Idle', message: '' }),
  Object.freeze({ type: 'Blocked', status: 'False', reason: 'Idle', message: '' }),
  Object.freeze({ type: 'Stalled', status: 'False', reason: 'Idle', message: '' }),
]) as Condition[];

/** Kubernetes-style conditions from the verdict's reason. */
export function conditionsOf(reason: string | null, message: string | null, record: ObservedRecord): Condition[] {
  if (reason === null && record.inFlight === null) return CONVERGED_IDLE;
  const text = message ?? '';
  const gated = isGate(reason);
  const progressing = record.inFlight !== null || reason === 'Progressing';
  const cast = (value: string | null) => (value ?? 'Converged') as Condition['reason'];
  return [
    { type: 'Ready', status: reason === null ? 'True' : 'False', reason: cast(reason), message: reason === null ? 'observed state matches the declared state' : text },
    { type: 'Progressing', status: progressing ? 'True' : 'False', reason: progressing ? 'Progressing' : 'Idle', message: progressing ? text || `${record.inFlight}` : '' },
    { type: 'Blocked', status: gated ? 'True' : 'False', reason: gated ? cast(reason) : 'Idle', message: gated ? text : '' },
    { type: 'Stalled', status: reason !== null && STALLED.has(reason) ? 'True' : 'False', reason: reason !== null && STALLED.has(reason) ? cast(reason) : 'Idle', message: reason !== null && STALLED.has(reason) ? text : '' },
  ];
}

/** Whether `reason` is one of the gates (a scenario held back by policy rather than failing). */
export function isGate(reason: string | null): boolean {
  return reason !== null && (GATES as readonly string[]).includes(reason);
}

/** What a cached view was built from: the objects by identity, the observed record (updated in place) by its fields. */
interface ViewInputs {
  view: ScenarioView;
  spec: ScenarioSpec;
  verdict: ScenarioVerdict | undefined;
  gone: boolean;
  hasRecord: boolean;
  state: ObservedRecord['state'];
  lastAck: ObservedRecord['lastAck'];
  lastActivatedAt: number | null;
  inFlight: ObservedRecord['inFlight'];
  failures: number;
  leaseExpiresAt: number | null;
}

/**
 * The views of every scenario, each rebuilt only when one of its inputs changed. While 10,000 results
 * stream in, a listing or a status rebuilt every view and allocated more than the calls themselves; now
 * it rebuilds the few that moved. The planner keeps an unchanged verdict's object, so identity tells.
 */
export class ScenarioViewCache {
  private readonly entries = new Map<string, ViewInputs>();

  /** The view of one scenario, the cached object when nothing it shows has changed. */
  view(spec: ScenarioSpec, record: ObservedRecord | undefined, verdict: ScenarioVerdict | undefined, gone: boolean): ScenarioView {
    const cached = this.entries.get(spec.id);
    if (cached && isSame(cached, spec, record, verdict, gone)) return cached.view;
    const view = scenarioView(spec, record, verdict, gone);
    this.entries.set(spec.id, {
      view, spec, verdict, gone, hasRecord: record !== undefined, state: record?.state ?? 'unknown', lastAck: record?.lastAck ?? null,
      lastActivatedAt: record?.lastActivatedAt ?? null, inFlight: record?.inFlight ?? null, failures: record?.failures ?? 0,
      leaseExpiresAt: record?.leaseExpiresAt ?? null,
    });
    return view;
  }

  /** How many scenarios have a cached view. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops the views of scenarios no longer listed. */
  retain(isListed: (id: string) => boolean): void {
    for (const id of [...this.entries.keys()]) if (!isListed(id)) this.entries.delete(id);
  }
}

function isSame(cached: ViewInputs, spec: ScenarioSpec, record: ObservedRecord | undefined, verdict: ScenarioVerdict | undefined, gone: boolean): boolean {
  if (cached.spec !== spec || cached.verdict !== verdict || cached.gone !== gone || cached.hasRecord !== (record !== undefined)) return false;
  if (!record) return true;
  return cached.state === record.state && cached.lastAck === record.lastAck && cached.lastActivatedAt === record.lastActivatedAt && cached.inFlight === record.inFlight && cached.failures === record.failures && cached.leaseExpiresAt === record.leaseExpiresAt;
}
