/**
 * Connects the reconcile loop's events to notifications without the loop knowing of them: `action.failed`
 * on the first failure of a streak (retries of the same streak stay quiet), `healthcheck.blocked` when the
 * HealthCheck gate starts holding activations back (once per episode, not once per pass), `budget.exhausted`
 * when a change's failure budget is used up and the FailureBudget gate starts holding its other activations
 * back (once per episode too), and, after every
 * pass, the alertmanager notifier's maintenance alerts in step with the active scenarios and the stop latch.
 */
import type { ActionOutcome } from '../reconciler/executor';
import { effectiveState } from '../reconciler/planner';
import type { ObservedRecord, ScenarioVerdict } from '../reconciler/types';
import type { MaintenanceStatus } from './maintenance-alerts';
import type { NotificationSink } from './notification';

/** What of the loop this needs: its events and its observed records (the Reconciler has both). */
export interface ObservableLoop {
  on(event: 'outcome' | 'pass', listener: (outcome: ActionOutcome) => void): unknown;
  off(event: 'outcome' | 'pass', listener: (outcome: ActionOutcome) => void): unknown;
  readonly observed: ReadonlyMap<string, ObservedRecord>;
  /** The verdicts of the last pass, read for `healthcheck.blocked`. */
  readonly verdicts: ReadonlyMap<string, ScenarioVerdict>;
}

/** Keeps maintenance alerts in step; the MaintenanceAlertPublisher is one. It reads the status only when it needs it. */
export interface StatusListener {
  update(status: () => MaintenanceStatus): void;
}

/** Subscribes; returns the function that unsubscribes (for shutdown). */
export function connectLoopNotifications(
  loop: ObservableLoop,
  sink: NotificationSink,
  alerts: StatusListener | null,
  emergencyStop: () => { actor: string; reason: string } | null,
): () => void {
  const onOutcome = (outcome: ActionOutcome) => {
    const { result } = outcome;
    if (result.ok || result.aborted || loop.observed.get(outcome.scenario)?.failures !== 1) return;
    sink.notify({
      event: 'action.failed',
      scenario: outcome.scenario,
      actor: 'system',
      reason: result.error,
      message: `${outcome.action} ${outcome.scenario} failed: ${result.error}; retrying with backoff`,
      data: { action: outcome.action },
    });
  };
  let healthBlocking = false;
  let budgetHolding = false;
  const onPass = () => {
    // Counted in place: a pass at 10,000 scenarios should not copy its verdicts into an array to find none.
    const health = { count: 0, reason: '', named: [] as string[] };
    const budget = { count: 0, reason: '', named: [] as string[] };
    for (const [id, verdict] of loop.verdicts) {
      const tally = verdict.reason === 'HealthCheck' ? health : verdict.reason === 'FailureBudget' ? budget : null;
      if (!tally) continue;
      if (tally.count === 0) tally.reason = verdict.message ?? '';
      if (tally.named.length < 5) tally.named.push(id);
      tally.count++;
    }
    const activations = (tally: typeof health) => `${tally.count} activation${tally.count > 1 ? 's' : ''}`;
    const names = (tally: typeof health) => `(${tally.named.join(', ')}${tally.count > 5 ? ', ...' : ''})`;
    if (health.count > 0 && !healthBlocking) {
      sink.notify({
        event: 'healthcheck.blocked',
        actor: 'system',
        reason: health.reason,
        message: `health checks hold back ${activations(health)} ${names(health)}: ${health.reason}`,
        data: { scenarios: health.count },
      });
    }
    healthBlocking = health.count > 0;
    if (budget.count > 0 && !budgetHolding) {
      sink.notify({
        event: 'budget.exhausted',
        actor: 'system',
        reason: budget.reason,
        message: `failure budget used up: ${activations(budget)} held back ${names(budget)}: ${budget.reason}`,
        data: { scenarios: budget.count },
      });
    }
    budgetHolding = budget.count > 0;
    alerts?.update(() => {
      const active: string[] = [];
      for (const [id, record] of loop.observed) if (effectiveState(record) === 'active') active.push(id);
      return { active: active.sort(), emergencyStop: emergencyStop() };
    });
  };
  loop.on('outcome', onOutcome);
  loop.on('pass', onPass);
  return () => {
    loop.off('outcome', onOutcome);
    loop.off('pass', onPass);
  };
}
