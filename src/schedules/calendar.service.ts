/**
 * Calendar integration (ENABLE_CALENDAR + CALENDAR_URL): reads maintenance windows from an iCalendar feed,
 * a file or an http URL on an allowed host, and re-reads it periodically. Its windows are read-only.
 */
import * as fs from 'node:fs/promises';
import type { ActivitySink } from '../activity/activity';
import { fetchCalendarFeed } from './calendar-fetch';
import type { Timers } from '../common/timers';
import { calendarWindowState, parseCalendarFeed, type CalendarWindow } from './calendar-feed';
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
export class CalendarService {
  private windows: CalendarWindow[] = [];
  private listeners: (() => void)[] = [];
  lastError: string | null = null;
  lastReadAt: number | null = null;

  constructor(
    private readonly url: string,
    private readonly allowedHosts: readonly string[],
    private readonly knownPresets: () => string[],
    private readonly activity: ActivitySink,
    private readonly refreshMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
    private readonly timers: Timers = standaloneTimers(),
  ) {}

  /** Reads now, then every `refreshMs`. A failed read keeps the previous windows. */
  async start(): Promise<void> {
    await this.refresh();
    this.timers.every(CALENDAR_TIMER, this.refreshMs, () => void this.refresh());
  }

  stop(): void {
    this.timers.cancel(CALENDAR_TIMER);
  }

  /** Called after every successful read. */
  onRefresh(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Windows grouped by event, with their state at `now`. */
  windowsByEvent(now: number): CalendarEventWindow[] {
    const byUid = new Map<string, CalendarWindow[]>();
    for (const window of this.windows) byUid.set(window.uid, [...(byUid.get(window.uid) ?? []), window]);
    return [...byUid.entries()].map(([uid, windows]) => ({
      name: `calendar-${uid.replace(/[^a-z0-9-]/gi, '-').toLowerCase().slice(0, 50)}`,
      preset: windows[0].preset,
      summary: windows[0].summary,
      state: calendarWindowState(windows, new Date(now)),
    }));
  }

  /** Reads and parses the feed once. */
  async refresh(): Promise<void> {
    try {
      const text = await this.read();
      const result = parseCalendarFeed(text, new Date(this.clock()), HORIZON_DAYS, { knownPresets: this.knownPresets() });
      this.windows = result.windows;
      this.lastReadAt = this.clock();
      this.lastError = result.errors.length ? result.errors.join('; ') : null;
      if (result.errors.length) this.activity.record({ category: 'schedule', level: 'warn', actor: 'system', message: `calendar feed: ${this.lastError}` });
      for (const listener of this.listeners) listener();
    } catch (error) {
      this.lastError = (error as Error).message;
      this.activity.record({ category: 'schedule', level: 'error', actor: 'system', message: `calendar feed ${this.url} unreadable: ${this.lastError}` });
    }
  }

  private async read(): Promise<string> {
    if (!/^https?:\/\//i.test(this.url)) return fs.readFile(this.url, 'utf8');
    return fetchCalendarFeed(this.url, this.allowedHosts, { maxBytes: MAX_FEED_BYTES });
  }
}
