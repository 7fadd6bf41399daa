/**
 * Calendar integration (ENABLE_CALENDAR + CALENDAR_URL): reads maintenance windows from an iCalendar feed,
 * a file or an http URL on an allowed host, and re-reads it periodically. Its windows are read-only.
 */
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import { calendarWindowState, parseCalendarFeed, type CalendarWindow } from './calendar-feed';
import { PeriodicFeed } from './periodic-feed';
import { standaloneTimers } from './scheduler-timers';
import type { WindowState } from './window';

/** One calendar event's windows, evaluated now. */
export interface CalendarEventWindow {
  name: string;
  preset: string;
  summary: string;
  state: WindowState;
}

const HORIZON_DAYS = 90;
const MAX_FEED_BYTES = 5_000_000;
/** The name of the refresh timer, as GET /api/v1/timers lists it. */
export const CALENDAR_TIMER = 'calendar.refresh';

/** Holds the last good read of the feed. */
export class CalendarService extends PeriodicFeed<CalendarWindow[]> {
  constructor(
    url: string,
    allowedHosts: readonly string[],
    knownPresets: () => string[],
    activity: ActivitySink,
    refreshMs = 5 * 60_000,
    clock: () => number = Date.now,
    timers: Timers = standaloneTimers(),
  ) {
    super({
      label: 'calendar feed', url, allowedHosts, timerName: CALENDAR_TIMER, refreshMs, maxBytes: MAX_FEED_BYTES, clock, timers, activity, initial: [],
      parse: (text, now) => {
        const result = parseCalendarFeed(text, now, HORIZON_DAYS, { knownPresets: knownPresets() });
        return { value: result.windows, errors: result.errors };
      },
    });
  }

  /** Windows grouped by event, with their state at `now`. */
  windowsByEvent(now: number): CalendarEventWindow[] {
    const byUid = new Map<string, CalendarWindow[]>();
    for (const window of this.value) byUid.set(window.uid, [...(byUid.get(window.uid) ?? []), window]);
    return [...byUid.entries()].map(([uid, windows]) => ({
      name: `calendar-${uid.replace(/[^a-z0-9-]/gi, '-').toLowerCase().slice(0, 50)}`,
      preset: windows[0].preset,
      summary: windows[0].summary,
      state: calendarWindowState(windows, new Date(now)),
    }));
  }
}
