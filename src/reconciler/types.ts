/** Shared shapes of the reconciler: what it observes, what it plans, and how it explains itself. */

/** What a scenario reports, or that it could not be asked. */
export type ObservedState = 'active' | 'inactive' | 'unknown' | 'unreachable';

/** The two states we drive scenarios to. */
export type TargetState = 'active' | 'inactive';

/** A call the executor makes. */
export type ActionKind = 'activate' | 'deactivate';

/**
 * The gates of SPEC 4 in SPEC order. The planner checks all but the last on every pass, first blocker wins.
 * `AwaitingConfirmation` is checked when a change is asked for (the API answers 428), never by the planner;
 * it is listed so that metrics and reasons name every gate.
 */
export const GATES = [
  'EmergencyStop',
  'WindowClosed',
  'Conflict',
  'ConcurrencyLimit',
  'ResourcePressure',
  'HealthCheck',
  'FailureBudget',
  'Cooldown',
  'AwaitingConfirmation',
] as const;
export type Gate = (typeof GATES)[number];

/** Closed set of reasons a scenario is not converged or is held, beyond the gates. */
export type Reason =
  | Gate
  | 'NoEndpoint'
  | 'HostNotAllowed'
  | 'Unreachable'
  | 'ActionFailed'
  | 'CannotDeactivate'
  | 'Progressing'
  | 'Gone';

/** What the reconciler knows of one scenario's live state; kept across passes and rescans. */
export interface ObservedRecord {
  state: ObservedState;
  /** The state the scenario last acknowledged with a 2xx, used when it reports nothing. */
  lastAck: TargetState | null;
  /** When it last became active (ack of an activation), for cooldown and `lastActive`. */
  lastActivatedAt: number | null;
  /** The action in flight, if any. */
  inFlight: ActionKind | null;
  /** Consecutive failures and when the next attempt may go. */
  failures: number;
  retryAt: number | null;
  lastError: string | null;
  /** When the scenario says its activation lease runs out (its last state reply), or null: no lease (SPEC 12). */
  leaseExpiresAt: number | null;
}

/** A fresh record: nothing known yet. */
export function unknownRecord(): ObservedRecord {
  return { state: 'unknown', lastAck: null, lastActivatedAt: null, inFlight: null, failures: 0, retryAt: null, lastError: null, leaseExpiresAt: null };
}

/** Where a scenario's desired state came from. */
export type DesiredSource =
  | { kind: 'default' }
  | { kind: 'override'; reason: string | null; expiresAt: number | null }
  | { kind: 'preset'; preset: string }
  | { kind: 'window'; schedule: string; preset: string }
  /** An override set with --break-glass: an admin's way through the gates an incident must pass (SPEC 10). */
  | { kind: 'breakGlass'; reason: string; actor: string; expiresAt: number };

/** The declared state of one scenario, before gates. */
export interface DesiredEntry {
  state: TargetState;
  source: DesiredSource;
}

/** A Kubernetes-style condition. */
export interface Condition {
  type: 'Ready' | 'Progressing' | 'Blocked' | 'Stalled';
  status: 'True' | 'False';
  reason: Reason | 'Converged' | 'Idle';
  message: string;
}

/** One action the planner asks for. */
export interface PlannedAction {
  scenario: string;
  action: ActionKind;
  /** Why: the desired source for activations, the reason for deactivations. */
  because: string;
}

/** A scenario the planner holds back, with the first gate that blocks it. */
export interface BlockedScenario {
  scenario: string;
  reason: Reason;
  message: string;
}

/** The per-scenario verdict of one pass. */
export interface ScenarioVerdict {
  desired: DesiredEntry;
  /** What the scenario should be after gates: what the loop drives it to. */
  target: TargetState;
  reason: Reason | null;
  message: string | null;
}
