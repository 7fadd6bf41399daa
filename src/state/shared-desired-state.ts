/**
 * The desired state shared by replicas (SPEC 9, PostgreSQL only): applied presets, overrides with their
 * expiry and the emergency-stop latch, one document in the store. A write is stored before it is applied or
 * acknowledged, and a NOTIFY in the same transaction tells the other replicas (carrying the model when it
 * fits, else they read it back; they also poll every second for a lost notification). The leader runs a
 * pass on it at once. A single SQLite orchestrator does not use this: it keeps SPEC 7's rule, coming back
 * from a restart with nothing applied.
 */
import { randomUUID } from 'node:crypto';
import type { Timers } from '../common/timers';
import type { DesiredStateModel } from '../reconciler/desired';
import { standaloneTimers } from '../schedules/scheduler-timers';
import { ChangeFollower, coalesced } from '../store/change-follower';
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

/** The poll's timer name, as GET /api/v1/timers lists it. */
export const DESIRED_STATE_POLL_TIMER = 'desired-state.poll';

/** NOTIFY payloads must stay under 8,000 bytes: a larger model goes by its revision only, and is read back. */
const MAX_PAYLOAD_CHARS = 7_000;

/** Saves this replica's writes and follows the others'. */
export class SharedDesiredState {
  /** The revision this replica holds; a read with another one replaces the model. */
  private revision: string | null = null;
  /** Grows at each model taken from a notification: a read started before it is older and is dropped. */
  private generation = 0;
  /** Some caller of the read in flight, or of the one queued, asked to tell the loop. */
  private announce = false;
  private readonly read = coalesced(() => this.readOnce());
  private readonly follower: ChangeFollower;

  constructor(
    private readonly store: Pick<Store, 'settings' | 'changes'>,
    private readonly holder: ModelHolder,
    pollMs = 1_000,
    timers: Timers = standaloneTimers(),
  ) {
    const options = { channel: DESIRED_STATE_CHANNEL, pollTimer: DESIRED_STATE_POLL_TIMER, pollMs, timers };
    this.follower = new ChangeFollower(store.changes, options, (payload) => this.notified(payload), () => this.refresh(true));
  }

  /** Called after another replica's write replaced the model (the leader plans at once). */
  onReplaced: () => void = () => undefined;

  /** Reads the stored model (when there is one), then follows changes: notifications, and a poll. */
  async start(): Promise<void> {
    await this.refresh(false);
    await this.follower.start();
  }

  stop(): void {
    this.follower.stop();
  }

  /**
   * Stores `model` as the desired state and notifies the replicas, in one transaction; rejects (StoreError
   * 'Unavailable') when the database is away. A small model travels in the notification itself, so the
   * leader acts without reading it back.
   */
  async save(model: DesiredStateModel): Promise<void> {
    const revision = randomUUID();
    const document: StoredDesiredState = { revision, model };
    const whole = JSON.stringify(document);
    // Taken before the write: a poll that reads the older document meanwhile must not count as news afterwards.
    this.revision = revision;
    await this.store.changes.publish(DESIRED_STATE_KEY, document, DESIRED_STATE_CHANNEL, whole.length <= MAX_PAYLOAD_CHARS ? whole : JSON.stringify({ revision }));
  }

  /** Reads the stored model; replaces the held one when another replica wrote it (`announce`: tell the loop). */
  refresh(announce: boolean): Promise<void> {
    this.announce ||= announce;
    return this.read();
  }

  private async readOnce(): Promise<void> {
    const announce = this.announce;
    this.announce = false;
    const generation = this.generation;
    const stored = await this.store.settings.get<StoredDesiredState>(DESIRED_STATE_KEY);
    // A notification delivered a newer model while this read was on its way: this one is older.
    if (generation === this.generation && stored) this.take(stored, announce);
  }

  /** Notifications arrive in commit order: a model in the payload is the newest, else read it. */
  private notified(payload: string): void {
    let parsed: Partial<StoredDesiredState> | null = null;
    try {
      parsed = JSON.parse(payload) as Partial<StoredDesiredState>;
    } catch {
      parsed = null;
    }
    if (parsed?.revision && parsed.model) {
      this.generation++;
      this.take({ revision: parsed.revision, model: parsed.model }, true);
    } else void this.refresh(true).catch(() => undefined);
  }

  private take(stored: StoredDesiredState, announce: boolean): void {
    if (stored.revision === this.revision) return;
    this.revision = stored.revision;
    this.holder.model = stored.model;
    if (announce) this.onReplaced();
  }
}
