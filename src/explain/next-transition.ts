/**
 * The next transition of one scenario, pure: the first instant after `from` at which something it depends
 * on changes (a window edge, its override's expiry, the end of a cooldown or a backoff) AND that change
 * alters what the loop would decide for it. What "decide" means is the caller's `signature`, built from the
 * planner's own functions; this file only walks the edges in time order.
 */

/**
 * Something that changes at known instants: the next one after `after`, with its cause in words. The walk
 * asks each source for its first edge after `from`, then again after each of its edges, in time order.
 */
export interface EdgeSource {
  /** `cause` is worked out only for the edge that turns out to be the transition. */
  nextAfter(after: number): { at: number; cause: () => string } | null;
}

/** The next transition: when, and every cause that falls on that instant. */
export interface Transition {
  at: number;
  cause: string;
}

/** Edges examined at most before giving up (an allow window of another preset opening every minute, say). */
export const MAX_TRANSITION_STEPS = 200;

/** Walks the sources' edges in order until `signature` differs from its value at `from`; null when none does within the horizon. */
export function nextTransition(from: number, sources: readonly EdgeSource[], signature: (at: number) => string, horizon: number): Transition | null {
  const upcoming = sources.map((source) => ({ source, next: source.nextAfter(from) }));
  const initial = signature(from);
  for (let step = 0; step < MAX_TRANSITION_STEPS; step++) {
    let at = Infinity;
    for (const entry of upcoming) if (entry.next && entry.next.at < at) at = entry.next.at;
    if (at === Infinity || at > horizon) return null;
    const due = upcoming.filter((entry) => entry.next?.at === at);
    const causes = due.map((entry) => entry.next!.cause);
    // Sources move past their edge first, so a source that keeps its own state has it for `at` when signature reads it.
    for (const entry of due) entry.next = entry.source.nextAfter(at);
    if (signature(at) !== initial) return { at, cause: causes.map((cause) => cause()).join('; ') };
  }
  return null;
}

/** An edge source for a single instant (an override's expiry, a cooldown's end). */
export function onceAt(at: number | null, cause: () => string): EdgeSource {
  return { nextAfter: (after) => (at !== null && at > after ? { at, cause } : null) };
}
