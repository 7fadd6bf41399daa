/**
 * Wall-clock arithmetic in one IANA time zone, on Intl alone. A "local" value is the wall-clock time
 * written as if it were UTC milliseconds (`Date.UTC(y, m, d, h, min)`), which makes calendar steps plain
 * additions; converting back to a true instant is where DST gaps and overlaps are decided.
 */

/** Milliseconds in one (wall-clock) day. */
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Local time is within UTC-12h..UTC+14h, so a local day's instants lie in [midnight - 14h, midnight + 36h). */
const DAY_SPAN_BEFORE = 14 * HOUR_MS;
const DAY_SPAN_AFTER = 36 * HOUR_MS;

/** How a wall-clock time maps to instants: once, twice (fall back) or not at all (spring forward). */
export type LocalTimeKind = 'single' | 'ambiguous' | 'gap';

/** Whether `timeZone` names a zone this runtime knows (IANA names, case-insensitive, plus UTC). */
export function isValidTimeZone(timeZone: string): boolean {
  return canonicalTimeZone(timeZone) !== null;
}

/** The runtime's spelling of a zone name (`europe/berlin` -> `Europe/Berlin`), or null when unknown. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.trim() === '') return null;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Converts between instants and wall-clock times in one zone; build one per evaluation (it owns a formatter). */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;

  /** Throws a RangeError for an unknown zone: validate schedules before building clocks. */
  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's offset from UTC at an instant, in milliseconds (Berlin in summer: +7_200_000). */
  offsetAt(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    return this.localOf(whole) - whole;
  }

  /** The wall-clock time at an instant, as a local value. */
  localOf(instant: number): number {
    const fields: Record<string, number> = {};
    for (const part of this.format.formatToParts(instant)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value);
    }
    const hour = fields.hour === 24 ? 0 : fields.hour;
    return Date.UTC(fields.year, fields.month - 1, fields.day, hour, fields.minute, fields.second) + (instant - Math.floor(instant / 1000) * 1000);
  }

  /**
   * The instant a wall-clock time happens, by this project's rule: a time in a spring-forward gap happens at
   * the first valid instant after the gap; a time repeated by a fall-back happens at its first occurrence.
   */
  instantOf(local: number): number {
    return this.resolve(local).instant;
  }

  /** Like instantOf, also telling whether the wall-clock time was single, ambiguous or in a gap. */
  resolve(local: number): { instant: number; kind: LocalTimeKind } {
    const before = this.offsetAt(local - DAY_MS);
    const after = this.offsetAt(local + DAY_MS);
    const earlyValid = this.offsetAt(local - before) === before;
    const lateValid = this.offsetAt(local - after) === after;
    if (earlyValid && lateValid && before !== after) return { instant: Math.min(local - before, local - after), kind: 'ambiguous' };
    if (earlyValid) return { instant: local - before, kind: 'single' };
    if (lateValid) return { instant: local - after, kind: 'single' };
    return { instant: this.transitionBetween(local - after, local - before), kind: 'gap' };
  }

  /** The one offset in force for every instant of the local day starting at `midnight`, or null when it changes that day. */
  steadyOffsetOn(midnight: number): number | null {
    const start = this.offsetAt(midnight - DAY_SPAN_BEFORE);
    return this.offsetAt(midnight + DAY_SPAN_AFTER) === start ? start : null;
  }

  /** First instant in (from, to] with a different offset than `from`, to the second. */
  private transitionBetween(from: number, to: number): number {
    const offset = this.offsetAt(from);
    let [low, high] = [from, to];
    while (high - low > 1000) {
      const middle = low + Math.floor((high - low) / 2000) * 1000;
      if (this.offsetAt(middle) === offset) low = middle;
      else high = middle;
    }
    return high;
  }
}

/** The local midnight (as a local value) of the day containing a local value. */
export function startOfLocalDay(local: number): number {
  return Math.floor(local / DAY_MS) * DAY_MS;
}
