/**
 * A feed read from a file path or an http URL on an allowed host: read at start, then again every
 * `refreshMs` on a named timer, keeping the last good reading when a read fails. The calendar of
 * maintenance windows (CALENDAR_URL) and the blackout calendar (BLACKOUT_CALENDAR_URL) are both one; what
 * differs is only how the text becomes windows (`parse`).
 */
import * as fs from 'node:fs/promises';
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import { fetchCalendarFeed } from './calendar-fetch';

/** What one read produced, and the parts of the text that could not be used. */
export interface FeedReading<T> {
  readonly value: T;
  readonly errors: readonly string[];
}

export interface PeriodicFeedOptions<T> {
  /** How the activity log names the feed, e.g. "calendar feed". */
  readonly label: string;
  readonly url: string;
  readonly allowedHosts: readonly string[];
  /** The refresh timer's name, as GET /api/v1/timers lists it. */
  readonly timerName: string;
  readonly refreshMs: number;
  readonly maxBytes: number;
  readonly clock: () => number;
  readonly timers: Timers;
  readonly activity: ActivitySink;
  /** The value before the first good read. */
  readonly initial: T;
  readonly parse: (text: string, now: Date) => FeedReading<T>;
}

/** Holds the last good reading of one feed. */
export class PeriodicFeed<T> {
  private current: T;
  private readonly listeners: (() => void)[] = [];
  /** What went wrong on the last read (unreadable, or parts that could not be parsed), or null. */
  lastError: string | null = null;
  /** When the last read succeeded, or null before the first. */
  lastReadAt: number | null = null;

  constructor(private readonly options: PeriodicFeedOptions<T>) {
    this.current = options.initial;
  }

  /** The last good reading. */
  get value(): T {
    return this.current;
  }

  /** Reads now, then every `refreshMs`. */
  async start(): Promise<void> {
    await this.refresh();
    this.options.timers.every(this.options.timerName, this.options.refreshMs, () => void this.refresh());
  }

  /** Stops the periodic read. */
  stop(): void {
    this.options.timers.cancel(this.options.timerName);
  }

  /** Called after every successful read. */
  onRefresh(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Reads and parses the feed once; an unreadable feed is logged and keeps the previous reading. */
  async refresh(): Promise<void> {
    const { label, url, activity, clock } = this.options;
    try {
      const reading = this.options.parse(await this.read(), new Date(clock()));
      this.current = reading.value;
      this.lastReadAt = clock();
      this.lastError = reading.errors.length ? reading.errors.join('; ') : null;
      if (this.lastError) activity.record({ category: 'schedule', level: 'warn', actor: 'system', message: `${label}: ${this.lastError}` });
      for (const listener of this.listeners) listener();
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      activity.record({ category: 'schedule', level: 'error', actor: 'system', message: `${label} ${url} unreadable: ${this.lastError}` });
    }
  }

  private async read(): Promise<string> {
    const { url, allowedHosts, maxBytes } = this.options;
    if (!/^https?:\/\//i.test(url)) return fs.readFile(url, 'utf8');
    return fetchCalendarFeed(url, allowedHosts, { maxBytes });
  }
}
