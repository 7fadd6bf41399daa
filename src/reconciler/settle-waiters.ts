/** Callers waiting (boundedly) for scenarios to settle: the API answers activate and apply through this. */

interface Waiter {
  /** Only the ids still pending, so a check after one result costs one lookup per waiter. */
  pending: Set<string>;
  resolve: () => void;
}

/** A set of waiters over a settledness predicate the loop owns. */
export class SettleWaiters {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly isSettled: (id: string) => boolean) {}

  /** Resolves once none of `ids` is progressing any more, or after `timeoutMs`. */
  wait(ids: string[], timeoutMs: number): Promise<void> {
    const pending = new Set(ids.filter((id) => !this.isSettled(id)));
    if (pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = {
        pending,
        resolve: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const timer = setTimeout(waiter.resolve, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Re-checks the pending ids of every waiter, or only `id` after one result. */
  check(id?: string): void {
    for (const waiter of [...this.waiters]) {
      const ids = id === undefined ? [...waiter.pending] : waiter.pending.has(id) ? [id] : [];
      for (const candidate of ids) if (this.isSettled(candidate)) waiter.pending.delete(candidate);
      if (waiter.pending.size === 0) waiter.resolve();
    }
  }

  /** Lets every waiter go (shutdown). */
  releaseAll(): void {
    for (const waiter of [...this.waiters]) waiter.resolve();
  }
}
