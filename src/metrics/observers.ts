/** Lets a test or an embedding watch the loop alongside the metrics, without replacing them. */
import type { ReconcilerObserver } from '../reconciler/reconciler';

/** One observer that tells `primary`, then whichever hooks `extra` implements. */
export function combineObservers(primary: ReconcilerObserver, extra?: Partial<ReconcilerObserver>): ReconcilerObserver {
  if (!extra) return primary;
  return {
    passCompleted(result, durationSeconds, queueDepth) {
      primary.passCompleted(result, durationSeconds, queueDepth);
      extra.passCompleted?.(result, durationSeconds, queueDepth);
    },
    actionCompleted(outcome, retrying) {
      primary.actionCompleted(outcome, retrying);
      extra.actionCompleted?.(outcome, retrying);
    },
    gateBlocked(gate) {
      primary.gateBlocked(gate);
      extra.gateBlocked?.(gate);
    },
  };
}
