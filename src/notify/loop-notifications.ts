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
  let budgetHolding = false;
  const onPass = () => {
    const held = [...loop.verdicts].filter(([, verdict]) => verdict.reason === 'HealthCheck');
    if (held.length > 0 && !healthBlocking) {
      sink.notify({
        event: 'healthcheck.blocked',
        actor: 'system',
        reason: held[0][1].message,
        message: `health checks hold back ${held.length} activation${held.length > 1 ? 's' : ''} (${held.slice(0, 5).map(([id]) => id).join(', ')}${held.length > 5 ? ', ...' : ''}): ${held[0][1].message}`,
        data: { scenarios: held.length },
      });
    }
    healthBlocking = held.length > 0;
    const waiting = [...loop.verdicts].filter(([, verdict]) => verdict.reason === 'FailureBudget');
    if (waiting.length > 0 && !budgetHolding) {
      sink.notify({
        event: 'budget.exhausted',
        actor: 'system',
        reason: waiting[0][1].message,
        message: `failure budget used up: ${waiting.length} activation${waiting.length > 1 ? 's' : ''} held back (${waiting.slice(0, 5).map(([id]) => id).join(', ')}${waiting.length > 5 ? ', ...' : ''}): ${waiting[0][1].message}`,
        data: { scenarios: waiting.length },
      });
    }
    budgetHolding = waiting.length > 0;
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
