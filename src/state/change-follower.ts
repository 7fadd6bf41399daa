/**
 * How a replica follows one thing the replicas share through the store (SPEC 9: a write on any replica is
 * visible on all within 1 s): it reads it at start, then again on each notification of its channel and on a
 * poll, since a notification can be lost across a reconnect. The desired state, custom presets, schedules,
 * the policy and the notifiers are each followed by one of these; what differs is only how to read the
 * thing and whether a value read is news (`Replicated`).
 */
import type { Timers } from '../common/timers';
import { standaloneTimers } from '../schedules/scheduler-timers';
import { ChannelWatch } from '../store/channel-watch';
import type { OwnWrites } from '../store/own-writes';
import type { ChangeFeed } from '../store/store.port';

/** One shared thing, as its follower needs it. */
export interface Replicated<T> {
  /** Reads it from the store. */
  read(): Promise<T>;
  /** Takes `value` unless this replica holds it already; true when it replaced what was held (another replica wrote). */
  adopt(value: T): boolean;
  /** This replica's own writes of it (the local update included). */
  readonly writes: OwnWrites;
  /** The value a notification's payload carries (so no read is needed), or null to read it back. */
  carried?(payload: string): T | null;
}

/** Follows one Replicated thing: notifications first, a poll behind them. */
export class ChangeFollower<T> {
  /** Grows at each value taken from a notification: a read started before it is older and is dropped. */
  private carriedTaken = 0;
  private readonly watch: ChannelWatch;
  private reading: Promise<void> | null = null;
  /** A notification came while a read was in flight: read once more after it. */
  private readAgain = false;

  constructor(
    feed: Pick<ChangeFeed, 'listen'>,
    shared: { channel: string; pollTimer: string },
    private readonly source: Replicated<T>,
    pollMs = 1_000,
    timers: Timers = standaloneTimers(),
  ) {
    this.watch = new ChannelWatch(feed, { ...shared, pollMs, timers }, (payload) => this.notified(payload), () => this.refresh(true));
  }

  /** Called after another replica's write replaced what this one holds. */
  onReplaced: () => void = () => undefined;

  /** Reads the stored value, then follows changes: notifications, and a poll. */
  async start(): Promise<void> {
    await this.refresh(false);
    await this.watch.start();
  }

  stop(): void {
    this.watch.stop();
  }

  /** Reads the stored value and adopts it when it is news (`announce`: call onReplaced); one read at a time. */
  async refresh(announce: boolean): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      // One read again after an overlapping write of this replica; under a stream of them the next read is
      // taken anyway (at worst it is news for a moment, and the next notification or poll sets it right).
      let overlapRetried = false;
      try {
        do {
          this.readAgain = false;
          await this.source.writes.settled();
          const carried = this.carriedTaken;
          const writes = this.source.writes.stamp;
          const value = await this.source.read();
          // A notification's value came while the read was on its way: that one is newer, and the read is dropped.
          if (carried !== this.carriedTaken) continue;
          // This replica wrote meanwhile: the read may predate the write, or its local update; read again after it.
          if (writes !== this.source.writes.stamp && !overlapRetried) {
            overlapRetried = true;
            this.readAgain = true;
          } else this.take(value, announce);
        } while (this.readAgain);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /** Notifications arrive in commit order: a value in the payload is the newest, else read it. */
  private notified(payload: string): void {
    const carried = this.source.carried?.(payload) ?? null;
    if (carried !== null) {
      this.carriedTaken++;
      this.take(carried, true);
    } else void this.refresh(true).catch(() => undefined);
  }

  private take(value: T, announce: boolean): void {
    if (this.source.adopt(value) && announce) this.onReplaced();
  }
}
