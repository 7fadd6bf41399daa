/**
 * VTIMEZONE components built from the runtime's tz data (Intl), so an exported calendar carries the same
 * offsets the window maths used. Yearly rules are inferred when the recent transitions follow one
 * (last Sunday of March, second Sunday of March, ...); otherwise the transitions are listed one by one.
 */
import { formatLocal, formatOffset } from './ical-text';
import { DAY_MS, OffsetSpan, ZoneClock } from './zone';

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
/** Years checked for a yearly rule, counted from the year before `now`. */
const RULE_YEARS = 4;
/** Years listed explicitly when no yearly rule fits. */
const EXPLICIT_YEARS = 12;
const EPOCH_LOCAL = Date.UTC(1970, 0, 1);

/** One observance: the offset change and the rule (or single date) it happens by. */
interface Observance {
  readonly kind: 'STANDARD' | 'DAYLIGHT';
  readonly from: number;
  readonly to: number;
  /** Local time (in the old offset) of the first change. */
  readonly start: number;
  readonly rrule?: string;
}

/** The content lines of a VTIMEZONE for `clock`'s zone, valid from the year before `now`. */
export function vtimezoneLines(clock: ZoneClock, now: number): string[] {
  const year = new Date(now).getUTCFullYear();
  const from = Date.UTC(year - 1, 0, 1);
  const recent = clock.transitions(from, Date.UTC(year - 1 + RULE_YEARS, 0, 1));
  const observances =
    yearlyObservances(recent) ?? listedObservances(clock.transitions(from, Date.UTC(year - 1 + EXPLICIT_YEARS, 0, 1)), clock.offsetAt(from));
  return ['BEGIN:VTIMEZONE', `TZID:${clock.timeZone}`, ...observances.flatMap(observanceLines), 'END:VTIMEZONE'];
}

function observanceLines(observance: Observance): string[] {
  return [
    `BEGIN:${observance.kind}`,
    `DTSTART:${formatLocal(observance.start)}`,
    ...(observance.rrule ? [`RRULE:${observance.rrule}`] : []),
    `TZOFFSETFROM:${formatOffset(observance.from)}`,
    `TZOFFSETTO:${formatOffset(observance.to)}`,
    `END:${observance.kind}`,
  ];
}

/** Two yearly rules (into and out of DST) when every checked year has the same two changes at the same local time; else null. */
function yearlyObservances(transitions: readonly OffsetSpan[]): Observance[] | null {
  if (transitions.length !== 2 * RULE_YEARS) return null;
  const observances: Observance[] = [];
  for (const parity of [0, 1]) {
    const same = transitions.filter((_, index) => index % 2 === parity);
    const rules = new Set(same.map((transition) => `${transition.before}|${transition.after}|${yearlyRule(transition)}|${(transition.at + transition.before) % DAY_MS}`));
    if (rules.size !== 1) return null;
    const first = same[0];
    observances.push({ ...observanceOf(first), rrule: yearlyRule(first) });
  }
  return observances;
}

/** Each change as its own observance, after one that holds the offset in force before them. */
function listedObservances(transitions: readonly OffsetSpan[], initialOffset: number): Observance[] {
  const initial: Observance = { kind: 'STANDARD', from: initialOffset, to: initialOffset, start: EPOCH_LOCAL };
  return [initial, ...transitions.map(observanceOf)];
}

function observanceOf(transition: OffsetSpan): Observance {
  return {
    kind: transition.after > transition.before ? 'DAYLIGHT' : 'STANDARD',
    from: transition.before,
    to: transition.after,
    start: transition.at + transition.before,
  };
}

/** The yearly rule a change follows, judged from one year: e.g. FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU (time comes from DTSTART). */
function yearlyRule(transition: OffsetSpan): string {
  const local = new Date(transition.at + transition.before);
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  const ordinal = day + 7 > daysInMonth ? -1 : Math.ceil(day / 7);
  return `FREQ=YEARLY;BYMONTH=${local.getUTCMonth() + 1};BYDAY=${ordinal}${WEEKDAYS[local.getUTCDay()]}`;
}
