/**
 * The windows of a track between two instants, pure: walks a window's state from edge to edge with the
 * same window maths the loop reads (compiledWindowState, calendarWindowState), never a second reading of cron.
 */
import type { WindowState } from '../schedules/window';

/** One opening of a window: null `end` when it stays open past the maths' horizon. */
export interface WindowRun {
  start: number;
  end: number | null;
}

/** At most this many runs of one window in a range (a minutely window over a week merges into one run anyway). */
export const MAX_RUNS_PER_WINDOW = 2_000;

/** The runs of a window that overlap [from, to), in order; a run open at `from` starts when it opened (or at `from` when unknown). */
export function windowRuns(stateAt: (at: number) => WindowState, from: number, to: number): WindowRun[] {
  const runs: WindowRun[] = [];
  const first = stateAt(from);
  let next: number | null;
  if (first.open) {
    runs.push({ start: first.openedAt?.getTime() ?? from, end: first.closesAt?.getTime() ?? null });
    next = first.nextOpen?.getTime() ?? null;
  } else next = first.nextOpen?.getTime() ?? null;
  while (next !== null && next < to && runs.length < MAX_RUNS_PER_WINDOW) {
    const state = stateAt(next);
    if (!state.open) break;
    runs.push({ start: next, end: state.closesAt?.getTime() ?? null });
    next = state.nextOpen?.getTime() ?? null;
  }
  return runs;
}
