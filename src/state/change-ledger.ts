/**
 * The bookkeeping behind the FailureBudget gate (SPEC 10): which change is in progress (an apply, a preset
 * apply, a window opening), the scenarios it made desired active, and which of those failed to activate.
 * The gate itself is pure (reconciler/gates.ts); this only remembers. In memory, like the declared state:
 * a restart ends the change.
 */
import type { ChangeProgress } from '../reconciler/gates';

/** The change in progress and the failures of its activations. */
export class ChangeLedger {
  private current: { change: string; activations: Set<string>; failed: Set<string> } | null = null;

  /** A new change replaces the one in progress: its failures no longer hold anything back. */
  begin(change: string, activations: Iterable<string>): void {
    this.current = { change, activations: new Set(activations), failed: new Set() };
  }

  /** An activation failed; it counts when the scenario belongs to the change in progress. Returns whether it counted. */
  activationFailed(id: string): boolean {
    const current = this.current;
    if (!current || !current.activations.has(id) || current.failed.has(id)) return false;
    current.failed.add(id);
    return true;
  }

  /** `resume` or `stop-all`: no change is in progress any more, so nothing waits on a budget. */
  end(): void {
    this.current = null;
  }

  /**
   * What the planner's FailureBudget gate reads; null when no change is in progress. The live sets, read-only
   * to the reader: a pass reads them synchronously, and copying 10,000 ids per failure would cost more.
   */
  progress(): ChangeProgress | null {
    return this.current;
  }
}
