/**
 * Cron occurrences as instants, walked day by day on the zone's wall clock. Each matching wall-clock time
 * happens exactly once (ZoneClock.instantOf decides gaps and overlaps), so every local day yields the same
 * matches whatever DST does; two times in one gap collapse into one occurrence.
 */
import { CronFields, matchesDay } from './cron-expression';
import { DAY_MS, OffsetSpan, startOfLocalDay, ZoneClock } from './zone';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** How far to look for a match: `0 0 29 2 *` can go 8 years without one (2096 -> 2104). */
export const MAX_SCAN_DAYS = 366 * 8 + 7;

/** The matches of one local day: first and last instant, and all of them on demand. */
export interface DayOccurrences {
  readonly first: number;
  readonly last: number;
  /** Largest gap between consecutive occurrences within the day, in ms (0 for a single one). */
  readonly largestGap: number;
  /** All occurrences of the day, ascending and without repeats. */
  instants(): number[];
}

/** Where a schedule's occurrences may fall, in local days (midnights as local values), and their shift. */
export interface OccurrenceLimits {
  /** Whole days added to each cron match's date; the wall-clock time stays, so DST is decided on the new day. */
  readonly offsetDays?: number;
  /** First local day an occurrence may start on (after the shift). */
  readonly firstDay?: number | null;
  /** Last local day an occurrence may start on (after the shift). */
  readonly lastDay?: number | null;
}

/** Walks the occurrences of one cron expression in one zone; cheap to build, holds no shared state. */
export class OccurrenceWalker {
  /** Match times within a day, as ms after local midnight, ascending. */
  private readonly timesOfDay: number[];
  private readonly largestGapInDay: number;
  private readonly offsetMs: number;
  private readonly firstDay: number;
  private readonly lastDay: number;

  constructor(
    private readonly fields: CronFields,
    private readonly clock: ZoneClock,
    limits: OccurrenceLimits = {},
  ) {
    // Local values carry no DST, so shifting a date is exact calendar arithmetic across month ends and leap days.
    this.offsetMs = (limits.offsetDays ?? 0) * DAY_MS;
    this.firstDay = limits.firstDay ?? -Infinity;
    this.lastDay = limits.lastDay ?? Infinity;
    this.timesOfDay = fields.hours.flatMap((hour) => fields.minutes.map((minute) => hour * HOUR_MS + minute * MINUTE_MS));
    this.largestGapInDay = this.timesOfDay.reduce((gap, time, index) => (index === 0 ? 0 : Math.max(gap, time - this.timesOfDay[index - 1])), 0);
  }

  /** The matches on the local day starting at `midnight` (a local value), or null when the day does not match. */
  day(midnight: number): DayOccurrences | null {
    if (!this.dayMatches(midnight)) return null;
    const span = this.clock.offsetsOnDay(midnight);
    const times = this.timesOfDay;
    if (span !== null && span.at === Infinity) {
      const offset = span.before;
      // No DST change near this day: wall-clock spacing is real spacing, so nothing needs converting one by one.
      return {
        first: midnight + times[0] - offset,
        last: midnight + times[times.length - 1] - offset,
        largestGap: this.largestGapInDay,
        instants: () => times.map((time) => midnight + time - offset),
      };
    }
    return this.transitionDay(midnight, span);
  }

  /** Whether a wall-clock time (a local value) is a cron match, regardless of whether it exists in the zone. */
  isMatch(local: number): boolean {
    const midnight = startOfLocalDay(local);
    return this.wallTimesBetween(midnight, midnight + DAY_MS).includes(local);
  }

  /** The cron's wall-clock matches in [from, to) as local values, including times a DST change skips or repeats. */
  wallTimesBetween(from: number, to: number): number[] {
    const found: number[] = [];
    for (let midnight = startOfLocalDay(from); midnight < to; midnight += DAY_MS) {
      if (!this.dayMatches(midnight)) continue;
      for (const time of this.timesOfDay) {
        const local = midnight + time;
        if (local >= from && local < to) found.push(local);
      }
    }
    return found;
  }

  /** Local midnight of the day an instant falls on. */
  midnightOf(instant: number): number {
    return startOfLocalDay(this.clock.localOf(instant));
  }

  /** First occurrence strictly after `after`, or null when there is none within MAX_SCAN_DAYS. */
  nextAfter(after: number): number | null {
    // Start a day early: a time in a gap just before midnight can land on the next day.
    const firstDay = Math.max(this.midnightOf(after) - DAY_MS, this.firstDay);
    for (let index = 0; index <= MAX_SCAN_DAYS; index++) {
      if (firstDay + index * DAY_MS > this.lastDay) return null;
      const day = this.day(firstDay + index * DAY_MS);
      if (day === null || day.last <= after) continue;
      const found = day.first > after ? day.first : day.instants().find((instant) => instant > after);
      if (found !== undefined) return found;
    }
    return null;
  }

  /** Last occurrence at or before `atOrBefore`, or null when there is none within MAX_SCAN_DAYS. */
  latestAtOrBefore(atOrBefore: number): number | null {
    const firstDay = Math.min(this.midnightOf(atOrBefore) + DAY_MS, this.lastDay);
    for (let index = 0; index <= MAX_SCAN_DAYS; index++) {
      if (firstDay - index * DAY_MS < this.firstDay) return null;
      const day = this.day(firstDay - index * DAY_MS);
      if (day === null || day.first > atOrBefore) continue;
      if (day.last <= atOrBefore) return day.last;
      const earlier = day.instants().filter((instant) => instant <= atOrBefore);
      return earlier[earlier.length - 1];
    }
    return null;
  }

  /** Whether the local day at `midnight` is within the limits and `offsetDays` before it is a cron day. */
  private dayMatches(midnight: number): boolean {
    if (midnight < this.firstDay || midnight > this.lastDay) return false;
    const date = new Date(midnight - this.offsetMs);
    return matchesDay(this.fields, date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay());
  }

  /** A day near a DST change: convert each wall-clock time on its own, then drop repeats from a gap. */
  private transitionDay(midnight: number, span: OffsetSpan | null): DayOccurrences {
    const instants: number[] = [];
    for (const time of this.timesOfDay) {
      const instant = this.clock.instantOnDay(midnight + time, span);
      if (instants[instants.length - 1] !== instant) instants.push(instant);
    }
    const largestGap = instants.reduce((gap, instant, index) => (index === 0 ? 0 : Math.max(gap, instant - instants[index - 1])), 0);
    return { first: instants[0], last: instants[instants.length - 1], largestGap, instants: () => instants };
  }
}
