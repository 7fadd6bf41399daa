/**
 * Activation leases, the orchestrator's side (SPEC 12): every activation carries `leaseSeconds`, and while
 * a scenario should stay active its lease is renewed (the activation call again) before half of it has
 * passed. A scenario that honours leases goes inactive on its own once renewals stop, so maintenance stops
 * when every orchestrator is gone. Renewals go through the executor at its lowest priority.
 */
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import type { ActionOutcome, Executor } from './executor';
import { effectiveState } from './planner';
import type { ReconcilableScenario, Reconciler } from './reconciler';

/** Name of the sweep timer, as GET /api/v1/timers lists it. */
export const LEASE_RENEWAL_TIMER = 'reconciler.lease-renewal';

/** How often at most the sweep looks for due renewals; shorter leases sweep more often (lease / 12). */
const MAX_SWEEP_MS = 1_000;

/** Hooks for metrics; the renewal never imports a metrics library. */
export interface LeaseRenewalObserver {
  renewalCompleted(result: 'success' | 'failure' | 'aborted'): void;
}

/** Options of the renewal. */
export interface LeaseRenewalOptions {
  /** The lease every activation carries (ACTIVATION_LEASE). */
  leaseMs: number;
  timers: Timers;
  clock?: () => number;
  random?: () => number;
}

/**
 * Renews the lease of every scenario that is active and should stay so. A renewal is due between a third
 * and five twelfths of the lease after the last call that granted it (spread at random so that 10,000
 * scenarios activated together drift apart instead of renewing in one burst forever), and the sweep runs
 * every twelfth of the lease at most: every renewal leaves before half of the lease has passed.
 */
export class LeaseRenewal {
  /** When each lease is next due for renewal (epoch ms); absent: due now (no grant seen yet). */
  private readonly dueAt = new Map<string, number>();
  private readonly sweepMs: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private running = false;
  private readonly onOutcome = (outcome: ActionOutcome) => this.noteAction(outcome);

  constructor(
    private readonly reconciler: Reconciler,
    private readonly executor: Executor,
    private readonly activity: ActivitySink,
    private readonly options: LeaseRenewalOptions,
    private readonly observer: LeaseRenewalObserver | null = null,
  ) {
    this.sweepMs = Math.max(1, Math.min(MAX_SWEEP_MS, Math.floor(options.leaseMs / 12)));
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Follows the loop's activations and starts the sweep timer. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.reconciler.on('outcome', this.onOutcome);
    this.options.timers.every(LEASE_RENEWAL_TIMER, this.sweepMs, () => this.sweep());
  }

  /** Stops renewing: leases then run out on their own, which is the point when the orchestrator stops. */
  stop(): void {
    this.running = false;
    this.reconciler.off('outcome', this.onOutcome);
    this.options.timers.cancel(LEASE_RENEWAL_TIMER);
  }

  /** Queues every renewal that is due; returns how many were queued. Nothing while the loop is stopped. */
  sweep(): number {
    if (!this.reconciler.isRunning) return 0;
    const now = this.clock();
    let queued = 0;
    for (const scenario of this.reconciler.scenarioList()) {
      if ((this.dueAt.get(scenario.id) ?? -Infinity) > now || !this.holdsLease(scenario)) continue;
      const renewal = this.executor.renew(scenario.id, { id: scenario.id, endpoint: scenario.endpoint as string, stateEndpoint: scenario.stateEndpoint });
      if (!renewal) continue;
      queued++;
      // Not due again until this renewal answers; its outcome sets the next time.
      this.dueAt.set(scenario.id, Infinity);
      void renewal.then((outcome) => this.noteRenewal(outcome));
    }
    for (const id of this.dueAt.keys()) if (!this.reconciler.observed.has(id)) this.dueAt.delete(id);
    return queued;
  }

  /** Active, meant to stay active, nothing in flight: a lease the loop wants kept. */
  private holdsLease(scenario: ReconcilableScenario): boolean {
    const record = this.reconciler.observed.get(scenario.id);
    if (!scenario.endpoint || !record || record.inFlight !== null || record.state === 'unreachable') return false;
    return effectiveState(record) === 'active' && this.reconciler.verdicts.get(scenario.id)?.target === 'active' && !this.executor.isBusy(scenario.id);
  }

  /** The loop's own calls: an activation grants a lease, a deactivation ends it. */
  private noteAction(outcome: ActionOutcome): void {
    if (!outcome.result.ok) return;
    if (outcome.action === 'deactivate') this.dueAt.delete(outcome.scenario);
    else this.dueAt.set(outcome.scenario, this.nextDue(this.clock() - outcome.durationMs));
  }

  private noteRenewal(outcome: ActionOutcome): void {
    const { result } = outcome;
    const now = this.clock();
    if (result.ok) {
      // The scenario started the new lease when it got the call, after it left: timed from the sending.
      this.dueAt.set(outcome.scenario, this.nextDue(now - outcome.durationMs));
      const record = this.reconciler.observed.get(outcome.scenario);
      if (record) record.leaseExpiresAt = result.leaseExpiresAt ?? null;
    } else if (result.aborted) {
      // Superseded by an action of the loop, whose outcome sets what comes next.
      if (this.dueAt.get(outcome.scenario) === Infinity) this.dueAt.delete(outcome.scenario);
    } else {
      // Try again a sixth of the lease later: still in time, and a dead scenario is not called every sweep.
      this.dueAt.set(outcome.scenario, now + this.options.leaseMs / 6);
      this.activity.record(
        { category: 'reconcile', level: 'warn', scenario: outcome.scenario, actor: 'system', message: `lease renewal failed: ${result.error}` },
        { batch: true },
      );
    }
    this.observer?.renewalCompleted(result.ok ? 'success' : result.aborted ? 'aborted' : 'failure');
  }

  /** A third to five twelfths of the lease after `grantedAt`. */
  private nextDue(grantedAt: number): number {
    return grantedAt + this.options.leaseMs * (1 / 3 + this.random() / 12);
  }
}
