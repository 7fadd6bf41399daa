/**
 * Reads maintenance windows from an iCalendar feed (ical.js): an event whose SUMMARY reads
 * `maintenance: <preset>` or whose CATEGORIES hold `maintenance` and a preset opens that preset for the
 * event's time. Pure: the text and the clock come in, windows and readable errors go out, nothing throws.
 */
import ICAL from 'ical.js';
import { SAFE_ID_PATTERN } from './schedule';
import { WindowState } from './window';
import { DAY_MS, isValidTimeZone, ZoneClock } from './zone';

type Component = InstanceType<typeof ICAL.Component>;
type Event = InstanceType<typeof ICAL.Event>;
type Time = InstanceType<typeof ICAL.Time>;

/** One opening of a preset taken from a calendar event (one per occurrence of a recurring event). */
export interface CalendarWindow {
  readonly uid: string;
  readonly preset: string;
  readonly start: Date;
  readonly end: Date;
  readonly summary: string;
}

/** The windows found within the horizon, and what could not be read. */
export interface CalendarFeedResult {
  readonly windows: CalendarWindow[];
  readonly errors: string[];
}

/** Feed settings; all optional. */
export interface CalendarFeedOptions {
  /** Zone for floating times and all-day events (default UTC), so the server's own zone never matters. */
  readonly defaultTimeZone?: string;
  /** When given, events naming other presets are reported instead of opening anything. */
  readonly knownPresets?: readonly string[];
}

/** Occurrences expanded per event at most, so a minutely rule from years ago cannot stall a pass. */
const MAX_OCCURRENCES_PER_EVENT = 20_000;
const SUMMARY_PATTERN = /^\s*maintenance\s*:\s*([a-z0-9][a-z0-9-]*)/i;

/** Parses feed text into the windows that end after `now` and start within `horizonDays` of it. */
export function parseCalendarFeed(text: string, now: Date, horizonDays: number, options: CalendarFeedOptions = {}): CalendarFeedResult {
  const calendar = parseCalendar(text);
  if (typeof calendar === 'string') return { windows: [], errors: [calendar] };
  const defaultTimeZone = options.defaultTimeZone ?? 'UTC';
  if (!isValidTimeZone(defaultTimeZone)) return { windows: [], errors: [`defaultTimeZone "${defaultTimeZone}": unknown IANA time zone`] };
  const errors: string[] = [];
  const range = { from: now.getTime(), to: now.getTime() + horizonDays * DAY_MS };
  const reader = new InstantReader(defaultTimeZone);
  const windows = masterEvents(calendar, errors).filter(isAboutMaintenance).flatMap((event) => {
    try {
      return eventWindows(event, { range, reader, options, errors });
    } catch (error: unknown) {
      errors.push(`event "${event.uid}": ${messageOf(error)}`);
      return [];
    }
  });
  windows.sort((a, b) => a.start.getTime() - b.start.getTime() || a.preset.localeCompare(b.preset));
  // A recurring event repeats its complaint for every occurrence; once is enough.
  return { windows, errors: [...new Set(errors)] };
}

/** Whether any of the windows is open at `now`, with the same edges as windowState (filter by preset first). */
export function calendarWindowState(windows: readonly CalendarWindow[], now: Date): WindowState {
  const runs = mergeRuns(windows);
  const at = now.getTime();
  const index = runs.findIndex((run) => run.end > at);
  if (index < 0) return { open: false, nextOpen: null, nextClose: null };
  const run = runs[index];
  if (run.start <= at) {
    const following = runs[index + 1];
    return { open: true, openedAt: new Date(run.start), closesAt: new Date(run.end), nextOpen: following ? new Date(following.start) : null, nextClose: new Date(run.end) };
  }
  return { open: false, nextOpen: new Date(run.start), nextClose: new Date(run.end) };
}

/** Sorted, merged intervals: windows that overlap or touch count as one. */
function mergeRuns(windows: readonly CalendarWindow[]): { start: number; end: number }[] {
  const sorted = windows.map((window) => ({ start: window.start.getTime(), end: window.end.getTime() })).sort((a, b) => a.start - b.start);
  const runs: { start: number; end: number }[] = [];
  for (const interval of sorted) {
    const last = runs[runs.length - 1];
    if (last && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else runs.push({ ...interval });
  }
  return runs;
}

/** The VCALENDAR component of the text, or what is wrong with it. */
export function parseCalendar(text: string): Component | string {
  try {
    const parsed: unknown = ICAL.parse(text);
    // ical.js returns one component, or a list when the text holds several.
    const root = Array.isArray(parsed) && Array.isArray(parsed[0]) ? parsed[0] : parsed;
    if (!Array.isArray(root) || String(root[0]).toLowerCase() !== 'vcalendar') return 'calendar could not be parsed: expected BEGIN:VCALENDAR';
    return new ICAL.Component(root);
  } catch (error: unknown) {
    return `calendar could not be parsed: ${messageOf(error)}`;
  }
}

/** Events with their RECURRENCE-ID exceptions related, so moved or renamed occurrences are honoured. */
export function masterEvents(calendar: Component, errors: string[]): Event[] {
  const masters = new Map<string, Event>();
  const exceptions: Event[] = [];
  for (const component of calendar.getAllSubcomponents('vevent')) {
    try {
      // Left to itself, ical.js relates every RECURRENCE-ID event in the calendar to every event, whatever its
      // UID (kewisch/ical.js#1019); an empty list turns that off and the exceptions are related by UID below.
      const event = new ICAL.Event(component, { strictExceptions: true, exceptions: [] });
      if (!event.uid) errors.push(`an event without UID was skipped (summary "${event.summary ?? ''}")`);
      else if (event.isRecurrenceException()) exceptions.push(event);
      else masters.set(event.uid, event);
    } catch (error: unknown) {
      errors.push(`an event could not be read: ${messageOf(error)}`);
    }
  }
  exceptions.forEach((exception, index) => {
    const master = masters.get(exception.uid);
    // An exception whose series is not in the feed still describes one real occurrence.
    if (!master) masters.set(`${exception.uid}#${index}`, exception);
    else {
      try {
        master.relateException(exception);
      } catch (error: unknown) {
        errors.push(`event "${exception.uid}": a changed occurrence could not be applied: ${messageOf(error)}`);
      }
    }
  });
  return [...masters.values()];
}

interface FeedContext {
  readonly range: { readonly from: number; readonly to: number };
  readonly reader: InstantReader;
  readonly options: CalendarFeedOptions;
  readonly errors: string[];
}

/** The windows of one event (every occurrence of a recurring one) that touch the range. */
function eventWindows(event: Event, { range, reader, options, errors }: FeedContext): CalendarWindow[] {
  const tzid = startZoneParameter(event, options, errors);
  const windows: CalendarWindow[] = [];
  const iterator = event.iterator();
  for (let count = 0; ; count++) {
    const occurrence = iterator.next();
    if (!occurrence) return windows;
    if (count >= MAX_OCCURRENCES_PER_EVENT) throw new Error(`stopped after ${MAX_OCCURRENCES_PER_EVENT} occurrences; start the rule closer to now`);
    const details = event.getOccurrenceDetails(occurrence);
    const [start, end] = [reader.instant(details.startDate, tzid), reader.instant(details.endDate, tzid)];
    if (start >= range.to) return windows;
    const presets = presetsOf(details.item, options, errors);
    if (presets.length === 0 || end <= range.from) continue;
    if (end <= start) throw new Error('has no duration (add DTEND or DURATION)');
    const summary = details.item.summary ?? '';
    windows.push(...presets.map((preset) => ({ uid: event.uid, preset, start: new Date(start), end: new Date(end), summary })));
  }
}

/** DTSTART's TZID, which matters when the feed has no VTIMEZONE for it; unknown names are reported. */
export function startZoneParameter(event: Event, options: CalendarFeedOptions, errors: string[]): string | undefined {
  const dtstart = event.component.getFirstProperty('dtstart');
  if (!dtstart) throw new Error('has no DTSTART');
  const parameter = dtstart.getParameter('tzid');
  const tzid = typeof parameter === 'string' ? parameter : undefined;
  if (tzid && !isValidTimeZone(tzid) && ['floating', 'local'].includes(event.startDate.zone?.tzid ?? 'floating')) {
    errors.push(`event "${event.uid}": unknown time zone "${tzid}" and no VTIMEZONE for it; read in ${options.defaultTimeZone ?? 'UTC'}`);
  }
  return tzid;
}

/** Whether the event or one of its changed occurrences mentions maintenance; others are not expanded at all. */
function isAboutMaintenance(event: Event): boolean {
  return [event, ...Object.values(event.exceptions)].some((item) => {
    const categories = item.component.getAllProperties('categories').flatMap((property) => property.getValues().map(String));
    return SUMMARY_PATTERN.test(item.summary ?? '') || categories.some((category) => /^\s*maintenance\b/i.test(category));
  });
}

/** The presets an event opens: none for deny windows, cancelled events and unrelated events. */
function presetsOf(event: Event, options: CalendarFeedOptions, errors: string[]): string[] {
  const component = event.component;
  if (String(component.getFirstPropertyValue('x-maintenance-kind') ?? '').toLowerCase() === 'deny') return [];
  if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') return [];
  const named = new Set<string>();
  const fromSummary = SUMMARY_PATTERN.exec(event.summary ?? '');
  if (fromSummary) named.add(fromSummary[1].toLowerCase());
  const categories = component.getAllProperties('categories').flatMap((property) => property.getValues().map((value) => String(value).trim().toLowerCase()));
  if (categories.includes('maintenance')) categories.filter((category) => category !== 'maintenance').forEach((category) => named.add(category));
  categories.filter((category) => category.startsWith('maintenance:')).forEach((category) => named.add(category.slice('maintenance:'.length).trim()));
  return [...named].filter((preset) => {
    const known = SAFE_ID_PATTERN.test(preset) && (!options.knownPresets || options.knownPresets.includes(preset));
    if (!known) errors.push(`event "${event.uid}" names unknown preset "${preset}"`);
    return known;
  });
}

/**
 * Converts feed times to instants. A zone with an IANA name is read on the runtime's tz data with the same
 * DST rule as schedules; other named zones use the feed's VTIMEZONE; floating times use the default zone.
 */
export class InstantReader {
  private readonly clocks = new Map<string, ZoneClock>();

  constructor(private readonly defaultTimeZone: string) {}

  /** Epoch ms of a time from an event whose DTSTART carried `tzid` (used when the feed lacks its VTIMEZONE). */
  instant(time: Time, tzid: string | undefined): number {
    const zone = time.zone?.tzid ?? 'floating';
    if (zone === 'UTC') return time.toUnixTime() * 1000;
    const floating = zone === 'floating' || zone === 'local';
    if (!floating && !isValidTimeZone(zone)) return time.toUnixTime() * 1000;
    const name = floating ? (tzid && isValidTimeZone(tzid) ? tzid : this.defaultTimeZone) : zone;
    const [hour, minute, second] = time.isDate ? [0, 0, 0] : [time.hour, time.minute, time.second];
    return this.clock(name).instantOf(Date.UTC(time.year, time.month - 1, time.day, hour, minute, second));
  }

  private clock(name: string): ZoneClock {
    let clock = this.clocks.get(name);
    if (!clock) {
      clock = new ZoneClock(name);
      this.clocks.set(name, clock);
    }
    return clock;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
