/**
 * Blackouts from an iCalendar feed (BLACKOUT_CALENDAR_URL): every event of the feed (holidays, change
 * freezes) is a deny window for every scenario while it runs. Recurring events expand with ical.js (RRULE,
 * RDATE, EXDATE, moved occurrences), and zoned times convert with the same DST rule as schedules. Parsing is
 * pure and reuses calendar-feed's readers; BlackoutFeed below holds the last good read of the file or URL.
 */
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import { calendarWindowState, InstantReader, masterEvents, parseCalendar, startZoneParameter } from './calendar-feed';
import type { WindowState } from './window';
import { PeriodicFeed } from './periodic-feed';
import { standaloneTimers } from './scheduler-timers';
import { DAY_MS, isValidTimeZone } from './zone';

type Event = ReturnType<typeof masterEvents>[number];

/** One occurrence of a blackout event. */
export interface BlackoutWindow {
  readonly uid: string;
  readonly summary: string;
  readonly start: Date;
  readonly end: Date;
}

/** The blackouts found within the horizon, and what could not be read. */
export interface BlackoutFeedResult {
  readonly windows: BlackoutWindow[];
  readonly errors: string[];
}

/** One blackout event with its state at an instant; `name` is what the WindowClosed message shows. */
export interface BlackoutEventWindow {
  readonly name: string;
  readonly summary: string;
  readonly state: WindowState;
}

/** A year ahead, so the timeline and the .ics export see next Christmas; refreshed reads move it along. */
export const BLACKOUT_HORIZON_DAYS = 400;
/** Occurrences expanded per event at most, so a minutely rule from years ago cannot stall a read. */
const MAX_OCCURRENCES_PER_EVENT = 20_000;
const MAX_FEED_BYTES = 5_000_000;
/** The name of the refresh timer, as GET /api/v1/timers lists it. */
export const BLACKOUT_TIMER = 'blackouts.refresh';

/** Parses feed text into the blackouts that end after `now` and start within `horizonDays` of it. */
export function parseBlackoutFeed(text: string, now: Date, horizonDays = BLACKOUT_HORIZON_DAYS, defaultTimeZone = 'UTC'): BlackoutFeedResult {
  const calendar = parseCalendar(text);
  if (typeof calendar === 'string') return { windows: [], errors: [calendar] };
  if (!isValidTimeZone(defaultTimeZone)) return { windows: [], errors: [`defaultTimeZone "${defaultTimeZone}": unknown IANA time zone`] };
  const errors: string[] = [];
  const range = { from: now.getTime(), to: now.getTime() + horizonDays * DAY_MS };
  const reader = new InstantReader(defaultTimeZone);
  const windows = masterEvents(calendar, errors).flatMap((event) => {
    try {
      return eventBlackouts(event, range, reader, defaultTimeZone, errors);
    } catch (error: unknown) {
      errors.push(`event "${event.uid}": ${error instanceof Error ? error.message : String(error)}`);
      return [];
    }
  });
  windows.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
  return { windows, errors: [...new Set(errors)] };
}

/** Groups blackouts by event and evaluates each at `now`, named `ics-<uid> (<summary>)` for messages. */
export function blackoutsByEvent(windows: readonly BlackoutWindow[], now: Date): BlackoutEventWindow[] {
  const byUid = new Map<string, BlackoutWindow[]>();
  for (const window of windows) byUid.set(window.uid, [...(byUid.get(window.uid) ?? []), window]);
  return [...byUid.entries()].map(([uid, events]) => ({
    name: `ics-${uid.replace(/[^a-z0-9-]/gi, '-').toLowerCase().slice(0, 50)}${events[0].summary ? ` (${events[0].summary})` : ''}`,
    summary: events[0].summary,
    state: calendarWindowState(events.map((event) => ({ ...event, preset: '' })), now),
  }));
}

/** Every occurrence of one event that touches the range; cancelled occurrences are no blackout. */
function eventBlackouts(event: Event, range: { from: number; to: number }, reader: InstantReader, defaultTimeZone: string, errors: string[]): BlackoutWindow[] {
  const tzid = startZoneParameter(event, { defaultTimeZone }, errors);
  const found: BlackoutWindow[] = [];
  const iterator = event.iterator();
  for (let count = 0; ; count++) {
    const occurrence = iterator.next();
    if (!occurrence) return found;
    if (count >= MAX_OCCURRENCES_PER_EVENT) throw new Error(`stopped after ${MAX_OCCURRENCES_PER_EVENT} occurrences; start the rule closer to now`);
    const details = event.getOccurrenceDetails(occurrence);
    const [start, end] = [reader.instant(details.startDate, tzid), reader.instant(details.endDate, tzid)];
    if (start >= range.to) return found;
    if (end <= range.from || String(details.item.component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
    if (end <= start) throw new Error('has no duration (add DTEND or DURATION)');
    found.push({ uid: event.uid, summary: details.item.summary ?? '', start: new Date(start), end: new Date(end) });
  }
}

/** Holds the last good read of BLACKOUT_CALENDAR_URL (a file path or an http URL on an allowed host). */
export class BlackoutFeed extends PeriodicFeed<BlackoutWindow[]> {
  constructor(
    url: string,
    allowedHosts: readonly string[],
    activity: ActivitySink,
    refreshMs = 5 * 60_000,
    clock: () => number = Date.now,
    timers: Timers = standaloneTimers(),
  ) {
    super({
      label: 'blackout feed', url, allowedHosts, timerName: BLACKOUT_TIMER, refreshMs, maxBytes: MAX_FEED_BYTES, clock, timers, activity, initial: [],
      parse: (text, now) => {
        const result = parseBlackoutFeed(text, now);
        return { value: result.windows, errors: result.errors };
      },
    });
  }

  /** Blackouts grouped by event, with their state at `now`. */
  windowsByEvent(now: number): BlackoutEventWindow[] {
    return blackoutsByEvent(this.value, new Date(now));
  }
}
