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
const WEEK_MS = 7 * DAY_MS;

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

/** The offsets around a stretch of time: steady (`at` is Infinity) or changing once, at instant `at`. */
export interface OffsetSpan {
  readonly before: number;
  readonly after: number;
  readonly at: number;
}

/**
 * Converts between instants and wall-clock times in one zone. Build one per evaluation: it owns a formatter
 * and remembers the offsets and transitions it has looked up, so walking many days costs few Intl calls.
 */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;
  private readonly sampledOffsets = new Map<number, number>();
  private readonly transitionsInWeek = new Map<number, number>();

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
    const subsecond = instant - Math.floor(instant / 1000) * 1000;
    return Date.UTC(fields.year, fields.month - 1, fields.day, hour, fields.minute, fields.second) + subsecond;
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
    const span = this.offsetsBetween(local - DAY_SPAN_BEFORE, local + DAY_SPAN_BEFORE);
    return span ? resolveWith(local, span) : this.resolveSlowly(local);
  }

  /** The instant of a wall-clock time on a day whose offsets are known (see offsetsOnDay). */
  instantOnDay(local: number, span: OffsetSpan | null): number {
    return span ? resolveWith(local, span).instant : this.resolveSlowly(local).instant;
  }

  /** The offsets over every instant of the local day starting at `midnight`; null if they change more than once. */
  offsetsOnDay(midnight: number): OffsetSpan | null {
    return this.offsetsBetween(midnight - DAY_SPAN_BEFORE, midnight + DAY_SPAN_AFTER);
  }

  /** Every offset change in [from, to), found from weekly samples (see offsetsBetween). */
  transitions(from: number, to: number): OffsetSpan[] {
    const found: OffsetSpan[] = [];
    for (let week = Math.floor(from / WEEK_MS); week * WEEK_MS < to; week++) {
      const [before, after] = [this.sampleOffset(week), this.sampleOffset(week + 1)];
      if (before === after) continue;
      const at = this.transitionInWeek(week);
      if (at >= from && at < to) found.push({ before, after, at });
    }
    return found;
  }

  /**
   * Offsets over [from, to] (at most a few days), read from offsets sampled once a week. Assumes a zone never
   * changes offset twice within a week, which holds for current tzdata; otherwise returns null.
   */
  private offsetsBetween(from: number, to: number): OffsetSpan | null {
    const firstWeek = Math.floor(from / WEEK_MS);
    const lastWeek = Math.ceil(to / WEEK_MS);
    let span: OffsetSpan = { before: this.sampleOffset(firstWeek), after: this.sampleOffset(firstWeek), at: Infinity };
    for (let week = firstWeek; week < lastWeek; week++) {
      const next = this.sampleOffset(week + 1);
      if (next === span.after) continue;
      if (span.at !== Infinity) return null;
      span = { before: span.after, after: next, at: this.transitionInWeek(week) };
    }
    if (span.at === Infinity) return span;
    if (span.at <= from) return { before: span.after, after: span.after, at: Infinity };
    if (span.at > to) return { before: span.before, after: span.before, at: Infinity };
    return span;
  }

  private sampleOffset(week: number): number {
    let offset = this.sampledOffsets.get(week);
    if (offset === undefined) {
      offset = this.offsetAt(week * WEEK_MS);
      this.sampledOffsets.set(week, offset);
    }
    return offset;
  }

  private transitionInWeek(week: number): number {
    let at = this.transitionsInWeek.get(week);
    if (at === undefined) {
      at = this.transitionBetween(week * WEEK_MS, (week + 1) * WEEK_MS);
      this.transitionsInWeek.set(week, at);
    }
    return at;
  }

  /** Per-instant fallback for stretches with two changes: try both offsets seen a day either side. */
  private resolveSlowly(local: number): { instant: number; kind: LocalTimeKind } {
    const before = this.offsetAt(local - DAY_MS);
    const after = this.offsetAt(local + DAY_MS);
    const earlyValid = this.offsetAt(local - before) === before;
    const lateValid = this.offsetAt(local - after) === after;
    if (earlyValid && lateValid && before !== after) return { instant: Math.min(local - before, local - after), kind: 'ambiguous' };
    if (earlyValid) return { instant: local - before, kind: 'single' };
    if (lateValid) return { instant: local - after, kind: 'single' };
    return { instant: this.transitionBetween(local - after, local - before), kind: 'gap' };
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

/** Applies the gap and overlap rule with known offsets: the earliest valid reading, or the end of the gap. */
function resolveWith(local: number, span: OffsetSpan): { instant: number; kind: LocalTimeKind } {
  const early = local - span.before;
  const late = local - span.after;
  const earlyValid = early < span.at;
  const lateValid = late >= span.at;
  if (earlyValid && lateValid && early !== late) return { instant: Math.min(early, late), kind: 'ambiguous' };
  if (earlyValid) return { instant: early, kind: 'single' };
  if (lateValid) return { instant: late, kind: 'single' };
  return { instant: span.at, kind: 'gap' };
}

/** The local midnight (as a local value) of the day containing a local value. */
export function startOfLocalDay(local: number): number {
  return Math.floor(local / DAY_MS) * DAY_MS;
}
