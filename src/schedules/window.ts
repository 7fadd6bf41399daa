/**
 * Window maths, pure: whether a schedule is open at an instant, and when it next opens or closes.
 * A window is open at `now` when some occurrence start s has s <= now < s + duration. Occurrences that
 * overlap or touch form one window, open from the first start to the last end. Nothing is cached between
 * calls: a reconcile pass may evaluate every schedule afresh. A one-off window (`at`) is one occurrence.
 */
import { parseCron } from './cron-expression';
import { OccurrenceWalker } from './occurrences';
import { localDateOf, oneOffStart, ScheduleSpec, scheduleDurationMs } from './schedule';
import { DAY_MS, ZoneClock } from './zone';

/** A window that stays open longer than this is reported without a closing time ("open for the foreseeable future"). */
export const MAX_RUN_DAYS = 400;
/** Local time is within UTC-12h..UTC+14h, so a local day's instants lie in [midnight - 14h, midnight + 36h). */
const DAY_STARTS_BEFORE = 14 * 3_600_000;
const DAY_ENDS_AFTER = 36 * 3_600_000;

/** Whether a window is open at one instant, and its edges around it. */
export interface WindowState {
  readonly open: boolean;
  /** When open: when the current window opened (undefined if that is more than MAX_RUN_DAYS back). */
  readonly openedAt?: Date;
  /** When open: when the current window closes (undefined if it stays open past MAX_RUN_DAYS). */
  readonly closesAt?: Date;
  /** The next opening after now (after the current window when open); null when none is found. */
  readonly nextOpen: Date | null;
  /** The next closing after now: the current window's when open, else that of the next window. */
  readonly nextClose: Date | null;
}

/** A schedule ready for evaluation: a cron walker, or the start of its one-off window. */
export type CompiledSchedule =
  | { readonly walker: OccurrenceWalker; readonly durationMs: number }
  | { readonly walker: null; readonly start: number; readonly durationMs: number };

/** One merged window: a run of occurrences that overlap or touch. */
interface Run {
  readonly end: number;
  readonly nextStart: number | null;
}

/** Prepares a validated schedule for evaluation; throws a RangeError if it was never validated. */
export function compileSchedule(schedule: ScheduleSpec): CompiledSchedule {
  const durationMs = scheduleDurationMs(schedule);
  if (schedule.at !== undefined) return { walker: null, start: oneOffStart(schedule.at, schedule.timeZone), durationMs };
  return { walker: scheduleWalker(schedule), durationMs };
}

/** The occurrence walker of a validated cron schedule: its matches shifted by offsetDays, within validFrom..validUntil. */
export function scheduleWalker(schedule: ScheduleSpec): OccurrenceWalker {
  const parsed = parseCron(schedule.cron ?? '');
  if (!parsed.ok) throw new RangeError(`schedule "${schedule.name}": ${parsed.errors.join('; ')}`);
  const day = (text: string | undefined) => (text === undefined ? null : localDateOf(text));
  return new OccurrenceWalker(parsed.fields, new ZoneClock(schedule.timeZone), {
    offsetDays: schedule.offsetDays,
    firstDay: day(schedule.validFrom),
    lastDay: day(schedule.validUntil),
  });
}

/** Whether `schedule`'s window is open at `now`, with when it opened/closes and its next edges. */
export function windowState(schedule: ScheduleSpec, now: Date): WindowState {
  return compiledWindowState(compileSchedule(schedule), now.getTime());
}

/** The next instant after `now` at which any of the windows opens or closes; null when none will. */
export function nextEdge(schedules: readonly ScheduleSpec[], now: Date): Date | null {
  let earliest: number | null = null;
  for (const schedule of schedules) {
    const state = windowState(schedule, now);
    const edge = state.open ? state.closesAt?.getTime() : state.nextOpen?.getTime();
    if (edge !== undefined && (earliest === null || edge < earliest)) earliest = edge;
  }
  return earliest === null ? null : new Date(earliest);
}

/** windowState for a compiled schedule and an epoch-ms instant. */
export function compiledWindowState(compiled: CompiledSchedule, now: number): WindowState {
  if (compiled.walker === null) return oneOffState(compiled.start, compiled.durationMs, now);
  const { walker, durationMs } = compiled;
  const latest = walker.latestAtOrBefore(now);
  if (latest !== null && now < latest + durationMs) {
    const run = runFrom(walker, latest, durationMs);
    const openedAt = runStart(walker, latest, durationMs);
    return {
      open: true,
      openedAt: openedAt === null ? undefined : new Date(openedAt),
      closesAt: run ? new Date(run.end) : undefined,
      nextOpen: run?.nextStart == null ? null : new Date(run.nextStart),
      nextClose: run ? new Date(run.end) : null,
    };
  }
  const nextOpen = walker.nextAfter(now);
  if (nextOpen === null) return { open: false, nextOpen: null, nextClose: null };
  const run = runFrom(walker, nextOpen, durationMs);
  return { open: false, nextOpen: new Date(nextOpen), nextClose: run ? new Date(run.end) : null };
}

/** A one-off window: open in [start, start + duration), nothing before or after. */
function oneOffState(start: number, durationMs: number, now: number): WindowState {
  const end = start + durationMs;
  if (now >= end) return { open: false, nextOpen: null, nextClose: null };
  if (now >= start) return { open: true, openedAt: new Date(start), closesAt: new Date(end), nextOpen: null, nextClose: new Date(end) };
  return { open: false, nextOpen: new Date(start), nextClose: new Date(end) };
}

/**
 * The end of the window that occurrence `start` belongs to, and the next occurrence after it; null when the
 * window is still open MAX_RUN_DAYS later (e.g. every minute for an hour). Walks whole days at a time where
 * the day's occurrences are closer together than the duration.
 */
function runFrom(walker: OccurrenceWalker, start: number, durationMs: number): Run | null {
  let end = start + durationMs;
  const firstDay = walker.midnightOf(start) - DAY_MS;
  for (let index = 0; index <= MAX_RUN_DAYS; index++) {
    const midnight = firstDay + index * DAY_MS;
    if (midnight - DAY_STARTS_BEFORE > end) return { end, nextStart: walker.nextAfter(end) };
    const day = walker.day(midnight);
    if (day === null || day.last <= start) continue;
    if (day.first > end) return { end, nextStart: day.first };
    if (day.largestGap <= durationMs) {
      // Every occurrence of the day starts before the previous one ends, so the window runs past the last.
      end = Math.max(end, day.last + durationMs);
      continue;
    }
    for (const instant of day.instants()) {
      if (instant <= start) continue;
      if (instant > end) return { end, nextStart: instant };
      end = instant + durationMs;
    }
  }
  return null;
}

/** When the window that occurrence `latest` belongs to opened; null when it has been open for MAX_RUN_DAYS. */
function runStart(walker: OccurrenceWalker, latest: number, durationMs: number): number | null {
  let start = latest;
  const firstDay = walker.midnightOf(latest) + DAY_MS;
  for (let index = 0; index <= MAX_RUN_DAYS; index++) {
    const midnight = firstDay - index * DAY_MS;
    if (midnight + DAY_ENDS_AFTER + durationMs < start) return start;
    const day = walker.day(midnight);
    if (day === null || day.first >= start) continue;
    const instants = day.last < start ? null : day.instants().filter((instant) => instant < start);
    const before = instants === null ? day.last : instants[instants.length - 1];
    if (before + durationMs < start) return start;
    if (day.largestGap <= durationMs) {
      start = day.first;
      continue;
    }
    for (const instant of [...(instants ?? day.instants())].reverse()) {
      if (instant + durationMs < start) return start;
      start = instant;
    }
  }
  return null;
}
