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
import type { Store } from '../store/store.port';
import { OwnWrites } from '../store/own-writes';
import { ChangeFollower, type Replicated } from './change-follower';

/** The settings key of the document. */
export const DESIRED_STATE_KEY = 'desired-state';
/** The LISTEN/NOTIFY channel of its changes. */
export const DESIRED_STATE_CHANNEL = 'maintenance_desired_state';

/** The stored document: the model and a revision that names this write. */
export interface StoredDesiredState {
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

/** Saves this replica's writes and follows the others' (through a ChangeFollower). */
export class SharedDesiredState implements Replicated<StoredDesiredState | null> {
  /** The revision this replica holds; a read with another one replaces the model. */
  private revision: string | null = null;
  /** Replicated: this replica's saves. */
  readonly writes = new OwnWrites();
  /** The last save in line (settled either way). */
  private saving: Promise<void> = Promise.resolve();
  private readonly follower: ChangeFollower<StoredDesiredState | null>;

  constructor(
    private readonly store: Pick<Store, 'settings' | 'changes'>,
    private readonly holder: ModelHolder,
    pollMs = 1_000,
    timers: Timers = standaloneTimers(),
  ) {
    this.follower = new ChangeFollower(store.changes, { channel: DESIRED_STATE_CHANNEL, pollTimer: DESIRED_STATE_POLL_TIMER }, this, pollMs, timers);
    this.follower.onReplaced = () => this.onReplaced();
  }

  /** Called after another replica's write replaced the model (the leader plans at once). */
  onReplaced: () => void = () => undefined;

  /** Reads the stored model (when there is one), then follows changes: notifications, and a poll. */
  start(): Promise<void> {
    return this.follower.start();
  }

  stop(): void {
    this.follower.stop();
  }

  /**
   * Stores `model` as the desired state and notifies the replicas, in one transaction; rejects (StoreError
   * 'Unavailable') when the database is away. A small model travels in the notification itself, so the
   * leader acts without reading it back. Saves of this replica go one at a time, in call order.
   */
  save(model: DesiredStateModel): Promise<void> {
    return this.enqueue(() => model);
  }

  /**
   * Stores the model this replica holds when its turn comes (the leader's TTL expiry): read then, not now,
   * so an intent saved just before is not overwritten by the model it replaced.
   */
  saveHeld(): Promise<void> {
    return this.enqueue(() => this.holder.model);
  }

  private enqueue(model: () => DesiredStateModel): Promise<void> {
    const run = this.saving.then(() => this.writes.run(() => this.write(model())));
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async write(model: DesiredStateModel): Promise<void> {
    const revision = randomUUID();
    const document: StoredDesiredState = { revision, model };
    const whole = JSON.stringify(document);
    // Taken before the write: its own notification may arrive before the write's answer, and is no news. (Not
    // again after it: another replica's notification taken meanwhile must leave this one counting as news.)
    this.revision = revision;
    await this.store.changes.publish(DESIRED_STATE_KEY, document, DESIRED_STATE_CHANNEL, whole.length <= MAX_PAYLOAD_CHARS ? whole : JSON.stringify({ revision }));
  }

  /** Reads the stored model; replaces the held one when another replica wrote it (`announce`: tell the loop). */
  refresh(announce: boolean): Promise<void> {
    return this.follower.refresh(announce);
  }

  /** Replicated: the stored document. */
  read(): Promise<StoredDesiredState | null> {
    return this.store.settings.get<StoredDesiredState>(DESIRED_STATE_KEY);
  }

  /** Replicated: a model in the payload (notifications arrive in commit order, so it is the newest). */
  carried(payload: string): StoredDesiredState | null {
    try {
      const parsed = JSON.parse(payload) as Partial<StoredDesiredState>;
      return parsed?.revision && parsed.model ? { revision: parsed.revision, model: parsed.model } : null;
    } catch {
      return null;
    }
  }

  /** Replicated: another revision than the one held replaces the model. */
  adopt(stored: StoredDesiredState | null): boolean {
    if (!stored || stored.revision === this.revision) return false;
    this.revision = stored.revision;
    this.holder.model = stored.model;
    return true;
  }
}
