/**
 * A follower's side of the shared inventory (SPEC 9): it reads what the leader published (only the rows
 * written since the revision it holds) and serves it. The specs the leader discovered from files become
 * this replica's list (followers do not scan), and the leader's verdicts and observed records stand in
 * for the loop's, so /scenarios, /status and the dashboard show what the leader sees within about a second.
 */
import { EventEmitter } from 'node:events';
import type { Timers } from '../common/timers';
import type { ScenarioSpec } from '../discovery/scenario';
import type { ObservedRecord, ScenarioVerdict } from '../reconciler/types';
import { ChannelWatch, coalesced } from '../store/channel-watch';
import { INVENTORY_CHANNEL, type Store } from '../store/store.port';
import type { PublishedScenario } from './inventory-diff';

/** The poll's timer name, as GET /api/v1/timers lists it. */
export const INVENTORY_POLL_TIMER = 'inventory.poll';

/** Where a follower serves the inventory from: the registry's list and the loop's read models. */
export interface MirrorTarget {
  /** Replaces the scanned part of the list. */
  adoptScan(specs: readonly ScenarioSpec[]): void;
  /** Drops a Gone scenario the leader forgot. */
  forget(id: string): void;
  readonly observed: Map<string, ObservedRecord>;
  verdicts(): Map<string, ScenarioVerdict>;
  /** Something shown changed (cached views go). */
  changed(): void;
}

/** What the mirror holds of one row. */
interface MirroredRow {
  body: PublishedScenario;
  discovered: boolean;
  specText: string;
}

/** Follows the inventory table while this replica follows; emits `changed` after a read that changed something (live views). */
export class InventoryMirror extends EventEmitter {
  private revision = 0;
  private readonly rows = new Map<string, MirroredRow>();
  private readonly read = coalesced(() => this.readOnce());
  private readonly follower: ChannelWatch;

  constructor(
    private readonly store: Pick<Store, 'inventory' | 'changes'>,
    private readonly target: MirrorTarget,
    private readonly leads: () => boolean,
    timers: Timers,
    pollMs = 1_000,
  ) {
    super();
    this.setMaxListeners(0);
    const options = { channel: INVENTORY_CHANNEL, pollTimer: INVENTORY_POLL_TIMER, pollMs, timers };
    this.follower = new ChannelWatch(store.changes, options, () => void this.read().catch(() => undefined), () => this.read());
  }

  async start(): Promise<void> {
    await this.follower.start();
    await this.read().catch(() => undefined);
  }

  stop(): void {
    this.follower.stop();
  }

  /** Forgets what was read (this replica led meanwhile): the next read takes the whole inventory. */
  reset(): void {
    this.revision = 0;
    this.rows.clear();
  }

  /** Reads what changed now (tests, and a replica that just stepped down). */
  refresh(): Promise<void> {
    return this.read();
  }

  private async readOnce(): Promise<void> {
    if (this.leads()) return;
    const { rows, revision } = await this.store.inventory.changesSince<PublishedScenario>(this.revision);
    // Taking the lead while reading: the loop's own records are the truth now.
    if (this.leads()) return;
    let listChanged = this.revision === 0;
    const forgotten: string[] = [];
    for (const row of rows) {
      const before = this.rows.get(row.id);
      if (row.removed) {
        if (!before) continue;
        this.rows.delete(row.id);
        this.target.observed.delete(row.id);
        this.target.verdicts().delete(row.id);
        listChanged ||= before.discovered;
        if (before.body.gone) forgotten.push(row.id);
        continue;
      }
      const specText = JSON.stringify(row.body.spec);
      listChanged ||= !before || before.specText !== specText || before.discovered !== row.discovered || before.body.gone !== row.body.gone;
      this.rows.set(row.id, { body: row.body, discovered: row.discovered, specText });
      this.show(row.id, row.body);
    }
    this.revision = revision;
    // Nothing published yet (no leader has written): keep this replica's own first scan rather than an empty list.
    if (listChanged && revision > 0) this.target.adoptScan([...this.rows.values()].filter((row) => row.discovered && !row.body.gone).map((row) => row.body.spec));
    for (const id of forgotten) this.target.forget(id);
    if (rows.length === 0) return;
    this.target.changed();
    this.emit('changed');
  }

  /** The leader's verdict and observation of one scenario, in the read models the API serves. */
  private show(id: string, body: PublishedScenario): void {
    if (body.verdict) this.target.verdicts().set(id, body.verdict);
    if (!body.observed) return;
    const { observedAt: _observedAt, ...observed } = body.observed;
    this.target.observed.set(id, { ...observed, retryAt: null });
  }
}
