/**
 * Connects the reconcile loop's events to notifications without the loop knowing of them: `action.failed`
 * on the first failure of a streak (retries of the same streak stay quiet), `healthcheck.blocked` when the
 * HealthCheck gate starts holding activations back (once per episode, not once per pass), and, after every
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

/** Keeps maintenance alerts in step; the MaintenanceAlertPublisher is one. */
export interface StatusListener {
  update(status: MaintenanceStatus): void;
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
  const onPass = () => {
    // Counted in place: a pass at 10,000 scenarios should not copy its verdicts into an array to find none.
    let count = 0;
    let reason = '';
    const named: string[] = [];
    for (const [id, verdict] of loop.verdicts) {
      if (verdict.reason !== 'HealthCheck') continue;
      if (count === 0) reason = verdict.message ?? '';
      if (named.length < 5) named.push(id);
      count++;
    }
    if (count > 0 && !healthBlocking) {
      sink.notify({
        event: 'healthcheck.blocked',
        actor: 'system',
        reason,
        message: `health checks hold back ${count} activation${count > 1 ? 's' : ''} (${named.join(', ')}${count > 5 ? ', ...' : ''}): ${reason}`,
        data: { scenarios: count },
      });
    }
    healthBlocking = count > 0;
    if (!alerts) return;
    const active: string[] = [];
    for (const [id, record] of loop.observed) if (effectiveState(record) === 'active') active.push(id);
    alerts.update({ active: active.sort(), emergencyStop: emergencyStop() });
  };
  loop.on('outcome', onOutcome);
  loop.on('pass', onPass);
  return () => {
    loop.off('outcome', onOutcome);
    loop.off('pass', onPass);
  };
}
