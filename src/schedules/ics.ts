/**
 * Exports schedules as an RFC 5545 calendar (GET /api/v1/schedules.ics). A cron that an RRULE expresses
 * exactly becomes a recurring event in the schedule's zone; DST days, where calendar clients disagree with
 * each other and with our rule, are pinned with EXDATE + a UTC RDATE. Other crons list their next
 * occurrences as UTC RDATEs. One-off windows (`at`) are one plain event; blackouts are events of their own
 * kind (X-MAINTENANCE-KIND:blackout, CATEGORIES:blackout) that deny every scenario.
 */
import { CronFields, parseCron } from './cron-expression';
import { escapeText, formatIcalDuration, formatLocal, formatUtc, joinContentLines } from './ical-text';
import { OccurrenceWalker } from './occurrences';
import { oneOffStart, ScheduleSpec, scheduleDurationMs } from './schedule';
import { scheduleWalker } from './window';
import { vtimezoneLines } from './vtimezone';
import { DAY_MS, ZoneClock } from './zone';

/** Export settings; all optional. */
export interface ICalendarOptions {
  /** Days ahead listed as explicit dates for crons without an exact RRULE (default 90). */
  readonly horizonDays?: number;
  /** Domain part of every UID (default `maintenance-orchestrator`). */
  readonly uidDomain?: string;
  /** Calendar name shown by clients (default `Maintenance windows`). */
  readonly calendarName?: string;
}

const DEFAULT_HORIZON_DAYS = 90;
/** DST fixes reach a year ahead, so a feed refreshed yearly never shows a wrong hour. */
const DST_FIX_DAYS = 400;
/** Cap on listed dates per event, so a dense cron cannot produce a runaway file. */
const MAX_LISTED = 1000;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const UTC_NAMES = /^(etc\/)?(utc|uct|gmt|gmt0|universal|zulu)$/i;

/** One schedule, ready to write: its parsed cron, occurrence walker and duration. */
interface Prepared {
  readonly schedule: ScheduleSpec;
  readonly fields: CronFields;
  readonly clock: ZoneClock;
  readonly walker: OccurrenceWalker;
  readonly durationMs: number;
}

/** Renders validated schedules as one VCALENDAR with a VEVENT per schedule (CRLF, folded at 75 octets). */
export function schedulesToICalendar(schedules: readonly ScheduleSpec[], now: Date, options: ICalendarOptions = {}): string {
  const zonesUsed = new Map<string, ZoneClock>();
  const events = schedules.flatMap((schedule) => {
    if (schedule.at !== undefined) {
      const timing = oneOffTiming(schedule, now.getTime());
      return timing === null ? [] : [eventLines(schedule, timing, now, options)];
    }
    const prepared = prepare(schedule);
    const timing = (hasExactRule(schedule) ? recurringTiming(prepared, now.getTime()) : null) ?? listedTiming(prepared, now.getTime(), options.horizonDays ?? DEFAULT_HORIZON_DAYS);
    if (timing === null) return [];
    if (timing.zoned) zonesUsed.set(schedule.timeZone, prepared.clock);
    return [eventLines(schedule, timing, now, options)];
  });
  const timezones = [...zonesUsed.values()].flatMap((clock) => vtimezoneLines(clock, now.getTime()));
  return joinContentLines([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//maintenance-orchestrator//schedules//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.calendarName ?? 'Maintenance windows')}`,
    ...timezones,
    ...events.flat(),
    'END:VCALENDAR',
  ]);
}

/** The RRULE equivalent of a cron, or null when none is exact (both day fields set: cron ORs them, RRULE ANDs). */
export function cronToRrule(fields: CronFields): string | null {
  if (fields.dayOfMonthRestricted && fields.dayOfWeekRestricted) return null;
  const parts = [fields.dayOfWeekRestricted ? 'FREQ=WEEKLY' : fields.dayOfMonthRestricted ? 'FREQ=MONTHLY' : 'FREQ=DAILY'];
  if (fields.months.length < 12) parts.push(`BYMONTH=${fields.months.join(',')}`);
  if (fields.dayOfWeekRestricted) parts.push(`BYDAY=${fields.daysOfWeek.map((day) => WEEKDAYS[day]).join(',')}`);
  if (fields.dayOfMonthRestricted) parts.push(`BYMONTHDAY=${fields.daysOfMonth.join(',')}`);
  // BYHOUR and BYMINUTE are always listed: left out, they would default to DTSTART's hour and minute.
  parts.push(`BYHOUR=${fields.hours.join(',')}`, `BYMINUTE=${fields.minutes.join(',')}`);
  return parts.join(';');
}

/**
 * Whether the schedule's occurrences are the cron's own matches, which an RRULE may express. An offset match
 * ("the last Friday + 2 days") is in general no RRULE: the shifted day leaves the month or the weekday set the
 * rule names (BYSETPOS picks within one period), and a day-of-month cron shifted across a month end has no
 * form at all. validFrom/validUntil would fit DTSTART/UNTIL, but only with the DST fixes recomputed per bound;
 * so all three list their occurrences as explicit UTC RDATEs up to the horizon (or validUntil, if sooner),
 * which every client reads the same way and a refreshed feed moves along.
 */
function hasExactRule(schedule: ScheduleSpec): boolean {
  return !schedule.offsetDays && schedule.validFrom === undefined && schedule.validUntil === undefined;
}

function prepare(schedule: ScheduleSpec): Prepared {
  const parsed = parseCron(schedule.cron ?? '');
  if (!parsed.ok) throw new RangeError(`schedule "${schedule.name}": ${parsed.errors.join('; ')}`);
  const walker: OccurrenceWalker = scheduleWalker(schedule);
  return { schedule, fields: parsed.fields, clock: new ZoneClock(schedule.timeZone), walker, durationMs: scheduleDurationMs(schedule) };
}

/** A one-off window as a single UTC DTSTART; null once it has closed. */
function oneOffTiming(schedule: ScheduleSpec, now: number): Timing | null {
  const start = oneOffStart(schedule.at ?? '', schedule.timeZone);
  return start + scheduleDurationMs(schedule) <= now ? null : { lines: [`DTSTART:${formatUtc(start)}`], zoned: false };
}

/** How the schedule's timing reads for people: `cron "0 2 * * 0" + 2 days in Europe/Berlin, from ... until ...`. */
function timingText(schedule: ScheduleSpec): string {
  if (schedule.at !== undefined) return `once at ${schedule.at} in ${schedule.timeZone}`;
  const offset = schedule.offsetDays ? ` ${schedule.offsetDays > 0 ? '+' : '-'} ${Math.abs(schedule.offsetDays)} days` : '';
  const from = schedule.validFrom ? `, from ${schedule.validFrom}` : '';
  const until = schedule.validUntil ? `, until ${schedule.validUntil}` : '';
  return `cron "${schedule.cron}"${offset} in ${schedule.timeZone}${from}${until}`;
}

/** One VEVENT: identity, timing, then the text a person reads and the properties tools key on. */
function eventLines(schedule: ScheduleSpec, timing: Timing, now: Date, options: ICalendarOptions): string[] {
  const { name, preset, kind, duration, description } = schedule;
  const title = kind === 'blackout' ? `blackout: ${name}` : kind === 'allow' ? `maintenance: ${preset} (${name})` : `maintenance blocked: ${preset} (${name})`;
  const what = kind === 'blackout' ? 'Blocks every scenario' : `${kind === 'allow' ? 'Opens' : 'Blocks'} preset ${preset}`;
  const summary = `${what}: ${timingText(schedule)}, ${duration} each.`;
  return [
    'BEGIN:VEVENT',
    `UID:${name}@${options.uidDomain ?? 'maintenance-orchestrator'}`,
    `DTSTAMP:${formatUtc(now.getTime())}`,
    ...timing.lines,
    `DURATION:${formatIcalDuration(scheduleDurationMs(schedule))}`,
    `SUMMARY:${escapeText(title)}`,
    `DESCRIPTION:${escapeText(description ? `${summary}\n${description}` : summary)}`,
    kind === 'blackout' ? 'CATEGORIES:blackout' : `CATEGORIES:maintenance,${escapeText(preset ?? '')}`,
    `X-MAINTENANCE-KIND:${kind}`,
    `X-MAINTENANCE-SCHEDULE:${name}`,
    'END:VEVENT',
  ];
}

interface Timing {
  readonly lines: string[];
  /** True when DTSTART names the zone, so the calendar needs its VTIMEZONE. */
  readonly zoned: boolean;
}

/** DTSTART + RRULE (+ DST fixes), starting with the window open now or the next one; null if no exact RRULE. */
function recurringTiming(prepared: Prepared, now: number): Timing | null {
  const rrule = cronToRrule(prepared.fields);
  // Occurrences after `from` still have a window open at `now` or later.
  const from = now - prepared.durationMs;
  if (rrule === null) return null;
  if (UTC_NAMES.test(prepared.schedule.timeZone)) {
    const first = prepared.walker.nextAfter(from);
    return first === null ? null : { lines: [`DTSTART:${formatUtc(first)}`, `RRULE:${rrule}`], zoned: false };
  }
  const start = firstPlainWallTime(prepared, from);
  if (start === null) return null;
  const tzid = `TZID=${prepared.schedule.timeZone}`;
  const fixes = dstFixes(prepared, from, now + DST_FIX_DAYS * DAY_MS);
  return {
    lines: [
      `DTSTART;${tzid}:${formatLocal(start)}`,
      `RRULE:${rrule}`,
      ...(fixes.excluded.length ? [`EXDATE;${tzid}:${fixes.excluded.map(formatLocal).join(',')}`] : []),
      ...(fixes.added.length ? [`RDATE:${fixes.added.map(formatUtc).join(',')}`] : []),
    ],
    zoned: true,
  };
}

/** The first cron wall-clock time after instant `from` that happens exactly once (a safe DTSTART). */
function firstPlainWallTime({ walker, clock }: Prepared, from: number): number | null {
  let cursor = from;
  for (let tries = 0; tries < 100; tries++) {
    const next = walker.nextAfter(cursor);
    if (next === null) return null;
    const local = clock.localOf(next);
    if (walker.isMatch(local) && clock.resolve(local).kind === 'single') return local;
    cursor = next;
  }
  return null;
}

/**
 * Cron times that a DST change skips or repeats, between two instants: each is excluded as a wall-clock time
 * and added back as the UTC instant our rule gives it, unless a plain cron time already lands there.
 */
function dstFixes({ walker, clock }: Prepared, from: number, to: number): { excluded: number[]; added: number[] } {
  const excluded: number[] = [];
  const added = new Set<number>();
  for (const change of clock.transitions(from, to)) {
    const affected = walker.wallTimesBetween(change.at + Math.min(change.before, change.after), change.at + Math.max(change.before, change.after));
    for (const local of affected) {
      const instant = clock.instantOf(local);
      if (instant <= from) continue;
      excluded.push(local);
      const plainLocal = clock.localOf(instant);
      if (!(walker.isMatch(plainLocal) && clock.resolve(plainLocal).kind === 'single')) added.add(instant);
    }
  }
  return { excluded, added: [...added].sort((a, b) => a - b) };
}

/** DTSTART + RDATEs in UTC for every occurrence from the window open now to the horizon; null when there are none. */
function listedTiming({ walker, durationMs }: Prepared, now: number, horizonDays: number): Timing | null {
  const instants: number[] = [];
  const end = now + horizonDays * DAY_MS;
  for (let next = walker.nextAfter(now - durationMs); next !== null && next < end && instants.length < MAX_LISTED; next = walker.nextAfter(next)) {
    instants.push(next);
  }
  if (instants.length === 0) return null;
  // DTSTART is repeated in RDATE: RFC 5545 counts it once, and ical.js skips DTSTART when only RDATEs recur.
  const rdates = instants.length > 1 ? [`RDATE:${instants.map(formatUtc).join(',')}`] : [];
  return { lines: [`DTSTART:${formatUtc(instants[0])}`, ...rdates], zoned: false };
}
