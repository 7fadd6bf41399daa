/**
 * Explain, pure: turns what the planner decided for one scenario (its verdict and the answer of every gate,
 * as the pass asked them) into the answer of GET /scenarios/{id}/explain. No rule is decided here: gates
 * come from the planner's probe, the desired state from the same resolution the loop reads.
 */
import type { GateReport } from '../reconciler/planner';
import { GATES, type DesiredEntry, type DesiredSource, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';

/** Where a desired state comes from (SPEC 10); `breakGlass` is set by an activation that passes the gates it may. */
export type ExplainSourceKind = 'preset' | 'override' | 'window' | 'breakGlass' | 'default';

/** The source of a desired state, named. */
export interface ExplainSource {
  kind: ExplainSourceKind;
  /** The preset, the window's schedule, or the override's reason; null for the default. */
  name: string | null;
  preset?: string;
  reason?: string | null;
  expiresAt?: string | null;
}

/** One gate's verdict for the scenario. */
export interface GateVerdict {
  gate: string;
  verdict: 'pass' | 'block';
  message: string;
  /** False when this pass does not hold the scenario to the gate (see GateReport.applied). */
  applied: boolean;
}

/** The scenario's live state as the loop knows it, times as ISO. */
export interface ObservedView {
  state: ObservedRecord['state'];
  lastAck: ObservedRecord['lastAck'];
  inFlight: ObservedRecord['inFlight'];
  lastActivatedAt: string | null;
  failures: number;
  retryAt: string | null;
  lastError: string | null;
  /** When the scenario's activation lease runs out, when the observation carries one (SPEC 12). */
  leaseExpiresAt?: string | null;
}

/** Names the source of a desired state. A source kind this file does not know yet is passed through by name. */
export function explainSource(entry: DesiredEntry): ExplainSource {
  const source: DesiredSource = entry.source;
  switch (source.kind) {
    case 'default':
      return { kind: 'default', name: null };
    case 'preset':
      return { kind: 'preset', name: source.preset, preset: source.preset };
    case 'window':
      return { kind: 'window', name: source.schedule, preset: source.preset };
    case 'override':
      return { kind: 'override', name: source.reason, reason: source.reason, expiresAt: iso(source.expiresAt) };
    default: {
      const other = source as { kind: string; reason?: string | null; expiresAt?: number | null };
      return { kind: other.kind === 'break-glass' ? 'breakGlass' : (other.kind as ExplainSourceKind), name: other.reason ?? null, reason: other.reason ?? null, expiresAt: iso(other.expiresAt ?? null) };
    }
  }
}

/**
 * Every gate of SPEC 4 in order. The planner's gates come with its answers; a gate the planner does not
 * ask (AwaitingConfirmation, asked when a change is) passes with a message saying where it is asked.
 * `notApplied` says why the pass does not hold this scenario to its gates, when it does not.
 */
export function gateVerdicts(report: readonly GateReport[], notApplied: { holder: string; unwanted: string }, bulkConfirmThreshold: number): GateVerdict[] {
  const answered = new Map(report.map((entry) => [entry.gate as string, entry]));
  const order = [...GATES.filter((gate) => answered.has(gate) || gate === 'AwaitingConfirmation'), ...[...answered.keys()].filter((gate) => !(GATES as readonly string[]).includes(gate))];
  return order.map((gate) => {
    const entry = answered.get(gate);
    if (!entry) return { gate, verdict: 'pass', message: `asked when a change is requested (more than bulkConfirmThreshold ${bulkConfirmThreshold} scenarios needs a confirmation), never by the loop`, applied: false };
    if (entry.applied) return { gate, verdict: entry.block ? 'block' : 'pass', message: entry.block?.message ?? 'passes', applied: true };
    const why = report.some((other) => other.applied) ? notApplied.holder : notApplied.unwanted;
    return { gate, verdict: 'pass', message: entry.block ? `${why}; it would block an activation: ${entry.block.message}` : `${why}; it would pass`, applied: false };
  });
}

/** The observed record with ISO times; `leaseExpiresAt` only when the observation has one. */
export function observedView(record: ObservedRecord): ObservedView {
  const view: ObservedView = {
    state: record.state,
    lastAck: record.lastAck,
    inFlight: record.inFlight,
    lastActivatedAt: iso(record.lastActivatedAt),
    failures: record.failures,
    retryAt: iso(record.retryAt),
    lastError: record.lastError,
  };
  const lease = (record as ObservedRecord & { leaseExpiresAt?: number | null }).leaseExpiresAt;
  if (lease !== undefined) view.leaseExpiresAt = iso(lease);
  return view;
}

/** The target and why, from the verdict. */
export function targetView(verdict: ScenarioVerdict | undefined): { target: 'active' | 'inactive'; reason: string | null; message: string | null } {
  return { target: verdict?.target ?? 'inactive', reason: verdict?.reason ?? null, message: verdict?.message ?? null };
}

function iso(at: number | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}
