/**
 * How a replica watches what the others write to the shared database (SPEC 9): it LISTENs on a channel and
 * also polls, since a notification is lost when the LISTEN connection breaks. Registrations and the
 * inventory use it directly; everything a replica holds as one value (the desired state, custom presets,
 * schedules, the policy, notifiers) goes through a ChangeFollower (src/state/change-follower.ts) built on it.
 */
import type { Timers } from '../common/timers';
import type { ChangeFeed } from './store.port';

/**
 * Wraps `read` so that only one runs at a time: a call while one runs makes exactly one more run after it,
 * shared by every such call. A change that lands during a read is never missed, and a burst of
 * notifications costs two reads, not one per notification.
 */
export function coalesced(read: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await read();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}

/** What to follow and how often to poll; the timer's name is how GET /api/v1/timers lists the poll. */
export interface ChannelWatchOptions {
  channel: string;
  pollTimer: string;
  pollMs: number;
  timers: Timers;
}

/** Notifications of one channel, and a poll for the ones lost. */
export class ChannelWatch {
  private unlisten: (() => void) | null = null;

  constructor(
    private readonly changes: Pick<ChangeFeed, 'listen'>,
    private readonly options: ChannelWatchOptions,
    private readonly onNotification: (payload: string) => void,
    private readonly onPoll: () => Promise<void>,
  ) {}

  /** Listens, then polls every `pollMs` (a failed poll is retried by the next one). */
  async start(): Promise<void> {
    this.unlisten = await this.changes.listen(this.options.channel, this.onNotification);
    this.options.timers.every(this.options.pollTimer, this.options.pollMs, () => void this.onPoll().catch(() => undefined));
  }

  /** Stops both; idempotent. */
  stop(): void {
    this.options.timers.cancel(this.options.pollTimer);
    this.unlisten?.();
    this.unlisten = null;
  }
}
