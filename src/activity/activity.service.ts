/** The activity log: writes every event to the store, keeps the newest in memory, and streams them live. */
import { EventEmitter } from 'node:events';
import type { Timers } from '../common/timers';
import { standaloneTimers } from '../schedules/scheduler-timers';
import type { ActivityRepository, ActivityQuery } from '../store/store.port';
import { activityAction, type ActivityEntry, type ActivityInput, type ActivitySink, type RecordOptions } from './activity';

const RECENT_SIZE = 200;
/**
 * Batched entries wait at most this long, or until this many are pending, before one transaction writes
 * them. Results arrive a few per tick; a commit per tick appended the same index pages to the WAL again
 * and again, a tenth of the loop's CPU during a mass action (bench/FINDINGS.md).
 */
export const BATCH_WINDOW_MS = 25;
/** A batch this large is written at once: one transaction stays short, and memory bounded. */
export const BATCH_MAX = 1000;
/** The name of the batch's timer, as GET /api/v1/timers lists it. */
export const ACTIVITY_FLUSH_TIMER = 'activity.flush';

/** Implements the domain's ActivitySink over the store; emits `entry` for live subscribers (SSE). */
export class ActivityService extends EventEmitter implements ActivitySink {
  private readonly recent: ActivityEntry[] = [];
  private pending: Promise<unknown> = Promise.resolve();
  private batch: { input: ActivityInput; timestamp: string }[] = [];
  private flushPending = false;
  private closed = false;
  /** The ISO text of the last millisecond stamped: a mass action records several entries per millisecond. */
  private lastStamp = { ms: NaN, iso: '' };

  constructor(
    private readonly repository: ActivityRepository,
    private readonly clock: () => number = Date.now,
    private readonly log: (entry: ActivityEntry) => void = () => undefined,
    private readonly timers: Timers = standaloneTimers(),
  ) {
    super();
    this.setMaxListeners(0);
  }

  /**
   * Records an event; subscribers hear of it in order once it is stored. Batched entries wait up to
   * BATCH_WINDOW_MS and go in one transaction (a crash loses at most that window of the loop's own entries;
   * the scenarios' states are observed again at start). Any other entry first writes the batch, then itself,
   * at once: with the SQLite adapter its row is in the WAL before record() returns, so an answer the API
   * sends after recording an event is never acknowledged ahead of its log entry.
   */
  record(input: ActivityInput, options: RecordOptions = {}): void {
    if (this.closed) return; // late results of calls that outlived a shutdown
    this.batch.push({ input, timestamp: this.stamp() });
    if (!options.batch || this.batch.length >= BATCH_MAX) this.writeBatch();
    else if (!this.flushPending) {
      this.flushPending = true;
      this.timers.once(ACTIVITY_FLUSH_TIMER, BATCH_WINDOW_MS, () => this.writeBatch());
    }
  }

  private stamp(): string {
    const ms = this.clock();
    if (ms !== this.lastStamp.ms) this.lastStamp = { ms, iso: new Date(ms).toISOString() };
    return this.lastStamp.iso;
  }

  /** Waits until every recorded event is stored. */
  async flush(): Promise<void> {
    this.writeBatch();
    await this.pending;
  }

  private writeBatch(): void {
    if (this.flushPending) this.timers.cancel(ACTIVITY_FLUSH_TIMER);
    this.flushPending = false;
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    const written = items.length === 1 ? this.repository.append(items[0].input, items[0].timestamp).then((entry) => [entry]) : this.repository.appendMany(items);
    this.pending = Promise.all([this.pending, written])
      .then(([, entries]) => {
        for (const entry of entries) {
          entry.action = activityAction(entry);
          this.recent.push(entry);
          this.log(entry);
          this.emit('entry', entry);
        }
        if (this.recent.length > RECENT_SIZE) this.recent.splice(0, this.recent.length - RECENT_SIZE);
      })
      .catch((error: Error) => {
        // The log must never take the loop down; say so on stderr instead.
        process.stderr.write(`activity log write failed: ${error.message}\n`);
      });
  }

  /** Stores what is queued, then ignores further events (the store is about to close). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    // What was recorded while the first write ran would otherwise wait for a timer that fires after the store closed.
    await this.flush();
  }

  /** The newest entries, newest first, from memory. */
  latest(limit: number): ActivityEntry[] {
    return this.recent.slice(-limit).reverse();
  }

  /** Reads the stored log. */
  async query(query: ActivityQuery): Promise<ActivityEntry[]> {
    await this.flush();
    const entries = await this.repository.query(query);
    for (const entry of entries) entry.action = activityAction(entry);
    return entries;
  }
}
