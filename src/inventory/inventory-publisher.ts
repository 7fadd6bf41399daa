/**
 * The leader's side of the shared inventory (SPEC 9): after a pass, an action result or a discovery change
 * it writes what changed, in one batch at most every FLUSH_MS, so a mass action over 10,000 scenarios costs
 * a few writes a second, not one per scenario. Its first write after taking the lead replaces the whole
 * inventory: what the previous leader discovered is no longer trusted.
 *
 * Publishing is for the followers' views; calling scenarios is the leader's job. A write of 10,000 changed
 * rows (compare, serialise, send) took a fifth of a second of the leader's time, and during a mass action
 * every row changes again before the next write: written every 250 ms, PostgreSQL applies ran 1.8x the
 * SQLite ones. So after a write the next one waits until PACE times what that write took has passed since
 * it ended (up to MAX_GAP_MS): publishing stays under about a tenth of the leader's time, a follower's view
 * lags by at most a couple of seconds during a mass action, and by FLUSH_MS in a quiet fleet, where the
 * gap has long passed when a change comes.
 */
import { performance } from 'node:perf_hooks';
import type { Timers } from '../common/timers';
import type { InventoryRepository } from '../store/store.port';
import { diffInventory, type PublishedMark, type SeenScenario } from './inventory-diff';

/** How long changes gather before one write, at the least. */
export const FLUSH_MS = 250;
/** After a write, the next waits until this many times what the write took has passed since it ended... */
export const PACE = 10;
/** ...or this long at most. */
export const MAX_GAP_MS = 2_000;
/** A write that failed (the database away) is tried again after this. */
const RETRY_MS = 1_000;

/** The timers' names, as GET /api/v1/timers lists them. */
export const INVENTORY_TIMERS = { flush: 'inventory.flush', check: 'inventory.check' } as const;

/** Where the publisher reads what the leader sees. */
export interface InventorySource {
  seen(): Iterable<SeenScenario>;
}

/** Writes the leader's inventory, batched. */
export class InventoryPublisher {
  private published = new Map<string, PublishedMark>();
  private running = false;
  /** The next write replaces every row (the first after taking the lead). */
  private replaceNext = true;
  private flushing = false;
  private due = false;
  /** A write came due while one was on its way: another after it. */
  private again = false;
  /** When (performance.now()) the next write may start: PACE times the last one's duration after its end. */
  private nextWriteAt = 0;

  constructor(
    private readonly inventory: Pick<InventoryRepository, 'write'>,
    private readonly source: InventorySource,
    private readonly timers: Timers,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Starts publishing: the first write at once, replacing the inventory; then on changes, and each second in case one went unnoticed. */
  start(): void {
    this.running = true;
    this.published = new Map();
    this.replaceNext = true;
    this.schedule(0);
    this.timers.every(INVENTORY_TIMERS.check, RETRY_MS, () => this.changed());
  }

  /** Stops (lost the lead): no write starts after this. */
  stop(): void {
    this.running = false;
    this.due = false;
    this.timers.cancel(INVENTORY_TIMERS.flush);
    this.timers.cancel(INVENTORY_TIMERS.check);
  }

  /** Something the leader sees may have changed: a write once changes have gathered and the last write's gap has passed. */
  changed(): void {
    this.schedule(this.delayMs());
  }

  /** How long a change made now waits for its write: FLUSH_MS, or what is left of the last write's gap. */
  delayMs(): number {
    return Math.max(FLUSH_MS, this.nextWriteAt - performance.now());
  }

  /** Writes what changed now; resolves when stored (or failed: tried again later). */
  async flush(): Promise<void> {
    this.due = false;
    if (!this.running) return;
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    const replace = this.replaceNext;
    const started = performance.now();
    try {
      const diff = diffInventory(replace ? new Map() : this.published, this.source.seen(), this.clock());
      if (replace || diff.changed.length > 0 || diff.removed.length > 0) {
        await this.inventory.write(diff.changed, diff.removed, { replace });
      }
      if (!this.running) return;
      this.published = diff.marks;
      this.replaceNext = false;
    } catch {
      this.schedule(RETRY_MS);
    } finally {
      this.flushing = false;
      const ended = performance.now();
      this.nextWriteAt = ended + Math.min(MAX_GAP_MS, PACE * (ended - started));
      if (this.again) {
        this.again = false;
        this.schedule(this.delayMs());
      }
    }
  }

  private schedule(delayMs: number): void {
    if (!this.running || this.due) return;
    this.due = true;
    this.timers.once(INVENTORY_TIMERS.flush, delayMs, () => void this.flush());
  }
}
