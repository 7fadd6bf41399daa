/** The activity log: writes every event to the store, keeps the newest in memory, and streams them live. */
import { EventEmitter } from 'node:events';
import type { ActivityRepository, ActivityQuery } from '../store/store.port';
import type { ActivityEntry, ActivityInput, ActivitySink } from './activity';

const RECENT_SIZE = 200;

/** Implements the domain's ActivitySink over the store; emits `entry` for live subscribers (SSE). */
export class ActivityService extends EventEmitter implements ActivitySink {
  private readonly recent: ActivityEntry[] = [];
  private pending: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly repository: ActivityRepository,
    private readonly clock: () => number = Date.now,
    private readonly log: (entry: ActivityEntry) => void = () => undefined,
  ) {
    super();
    this.setMaxListeners(0);
  }

  /** Records an event; subscribers hear of it in order once it is stored. */
  record(input: ActivityInput): void {
    if (this.closed) return; // late results of calls that outlived a shutdown
    const timestamp = new Date(this.clock()).toISOString();
    // Appended now, not queued: with the SQLite adapter the row is in the WAL before record() returns, so an
    // answer the API sends after recording an event can never be acknowledged ahead of its log entry.
    const written = this.repository.append(input, timestamp);
    this.pending = Promise.all([this.pending, written])
      .then(([, entry]) => {
        this.recent.push(entry);
        if (this.recent.length > RECENT_SIZE) this.recent.shift();
        this.log(entry);
        this.emit('entry', entry);
      })
      .catch((error: Error) => {
        // The log must never take the loop down; say so on stderr instead.
        process.stderr.write(`activity log write failed: ${error.message}\n`);
      });
  }

  /** Waits until every recorded event is stored. */
  async flush(): Promise<void> {
    await this.pending;
  }

  /** Stores what is queued, then ignores further events (the store is about to close). */
  async close(): Promise<void> {
    await this.pending;
    this.closed = true;
  }

  /** The newest entries, newest first, from memory. */
  latest(limit: number): ActivityEntry[] {
    return this.recent.slice(-limit).reverse();
  }

  /** Reads the stored log. */
  async query(query: ActivityQuery): Promise<ActivityEntry[]> {
    await this.pending;
    return this.repository.query(query);
  }
}
