/**
 * The desired state shared by replicas (SPEC 9, PostgreSQL only): applied presets, overrides with their
 * expiry and the emergency-stop latch, one document in the store. A write is stored before it is applied or
 * acknowledged; then a NOTIFY tells the other replicas, which read it back (and poll every second for a lost
 * notification). The leader runs a pass on it at once. A single SQLite orchestrator does not use this: it
 * keeps SPEC 7's rule, coming back from a restart with nothing applied.
 */
import { randomUUID } from 'node:crypto';
import type { DesiredStateModel } from '../reconciler/desired';
import type { Store } from '../store/store.port';

/** The settings key of the document. */
export const DESIRED_STATE_KEY = 'desired-state';
/** The LISTEN/NOTIFY channel of its changes. */
export const DESIRED_STATE_CHANNEL = 'maintenance_desired_state';

/** The stored document: the model and a revision that names this write. */
interface StoredDesiredState {
  revision: string;
  model: DesiredStateModel;
}

/** Where the current model lives in this process (DeclaredState). */
export interface ModelHolder {
  model: DesiredStateModel;
}

/** Saves this replica's writes and follows the others'. */
export class SharedDesiredState {
  /** The revision this replica holds; a read with another one replaces the model. */
  private revision: string | null = null;
  private poll: NodeJS.Timeout | null = null;
  private unlisten: (() => void) | null = null;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly store: Pick<Store, 'settings' | 'changes'>,
    private readonly holder: ModelHolder,
    private readonly pollMs = 1_000,
  ) {}

  /** Called after another replica's write replaced the model (the leader plans at once). */
  onReplaced: () => void = () => undefined;

  /** Reads the stored model (when there is one), then follows changes: notifications, and a poll. */
  async start(): Promise<void> {
    await this.refresh(false);
    this.unlisten = await this.store.changes.listen(DESIRED_STATE_CHANNEL, () => void this.refresh(true).catch(() => undefined));
    this.poll = setInterval(() => void this.refresh(true).catch(() => undefined), this.pollMs);
    this.poll.unref();
  }

  stop(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.unlisten?.();
    this.unlisten = null;
  }

  /** Stores `model` as the desired state; rejects (StoreError 'Unavailable') when the database is away. */
  async save(model: DesiredStateModel): Promise<void> {
    const revision = randomUUID();
    // Taken before the write: a poll that reads the older document meanwhile must not count as news afterwards.
    this.revision = revision;
    await this.store.settings.set<StoredDesiredState>(DESIRED_STATE_KEY, { revision, model });
    await this.store.changes.notify(DESIRED_STATE_CHANNEL, revision).catch(() => undefined);
  }

  /** Reads the stored model; replaces the held one when another replica wrote it (`announce`: tell the loop). */
  async refresh(announce: boolean): Promise<void> {
    // One read at a time: a burst of notifications is one read.
    this.reading ??= (async () => {
      try {
        const stored = await this.store.settings.get<StoredDesiredState>(DESIRED_STATE_KEY);
        if (!stored || stored.revision === this.revision) return;
        this.revision = stored.revision;
        this.holder.model = stored.model;
        if (announce) this.onReplaced();
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}
