/**
 * Registrations shared by replicas (SPEC 9, PostgreSQL only). A registration accepted on any replica is
 * stored before it is acknowledged, under the database's count of MAX_REGISTRATIONS and its rule that an id
 * discovered from a file cannot be taken over; the NOTIFY of its write brings it to every replica at once
 * (a poll catches a lost one). Expiry is the database's: each replica drops a registration when the time
 * the database gave it runs out, and the leader deletes the expired rows. A single SQLite orchestrator
 * keeps its registrations in memory only, as before: its restart rule forgets them anyway.
 */
import type { Timers } from '../common/timers';
import { ChannelWatch, coalesced } from '../store/channel-watch';
import { REGISTRATIONS_CHANNEL, type RegistrationRefusal, type Store, type StoredRegistration } from '../store/store.port';
import type { Registration, RegistrationInput } from './registration';
import type { ScenarioRegistry } from './registry';

/** The poll's timer name, as GET /api/v1/timers lists it. */
export const REGISTRATIONS_POLL_TIMER = 'discovery.registrations-poll';

/** What the shared registrations need besides the store and the registry. */
export interface SharedRegistrationsOptions {
  maxRegistrations: number;
  /** The registry's clock (epoch ms): a stored row's remaining time is counted from it. */
  now: () => number;
  /** True while this replica leads: it records expiries and deletes expired rows. */
  leads: () => boolean;
  timers: Timers;
  pollMs?: number;
}

/** Stores this replica's registrations and follows the others'. */
export class SharedRegistrations {
  /** Grows with every write and notification. */
  private generation = 0;
  /**
   * The generation at which each id was last written here or notified: a poll that began before that may
   * hold an older row for it, so the poll leaves that id alone (its notification's own read settles it).
   * Only the ids touched, not the whole poll: with heartbeats arriving all the time, a poll dropped whenever
   * anything changed would never land, and a lost notification would never be caught.
   */
  private readonly touchedAt = new Map<string, number>();
  /** Ids notified and not yet read back. */
  private readonly pending = new Set<string>();
  private readonly drain = coalesced(() => this.readPending());
  private readonly poll = coalesced(() => this.reload());
  private readonly follower: ChannelWatch;

  constructor(
    private readonly store: Pick<Store, 'registrations' | 'changes'>,
    private readonly registry: ScenarioRegistry,
    private readonly options: SharedRegistrationsOptions,
  ) {
    const follow = { channel: REGISTRATIONS_CHANNEL, pollTimer: REGISTRATIONS_POLL_TIMER, pollMs: options.pollMs ?? 1_000, timers: options.timers };
    this.follower = new ChannelWatch(store.changes, follow, (id) => this.notified(id), () => this.poll());
  }

  /** Loads what is stored, then follows; from now on only the leader logs expiries. */
  async start(): Promise<void> {
    this.registry.recordsExpiry = this.options.leads;
    await this.poll();
    await this.follower.start();
  }

  stop(): void {
    this.follower.stop();
  }

  /** Reads every live registration now (a new leader, before its first pass). */
  refresh(): Promise<void> {
    return this.poll();
  }

  /**
   * Validates (throws DiscoveryError like the registry), stores, then takes the registration here; a refusal
   * by the database's count or its inventory is returned, nothing stored.
   */
  async register(input: RegistrationInput): Promise<{ registration: Registration } | { refused: RegistrationRefusal }> {
    const registration = this.registry.validate(input);
    if (this.registry.get(registration.id)?.sourceFile) return { refused: 'FileDiscovered' };
    this.touch(registration.id);
    const outcome = await this.store.registrations.put(registration.id, registration, registration.ttlSeconds * 1000, this.options.maxRegistrations);
    if ('refused' in outcome) return outcome;
    return { registration: this.registry.register(input) };
  }

  /** Deletes the stored row, then the registration here; false when neither existed. */
  async unregister(id: string): Promise<boolean> {
    this.touch(id);
    const deleted = await this.store.registrations.delete(id);
    return this.registry.unregister(id) || deleted;
  }

  private touch(id: string): void {
    this.touchedAt.set(id, ++this.generation);
  }

  private notified(id: string): void {
    this.touch(id);
    this.pending.add(id);
    void this.drain().catch(() => undefined);
  }

  /** Reads the notified rows back in order (one read at a time, so an older read never lands after a newer one). */
  private async readPending(): Promise<void> {
    const ids = [...this.pending];
    this.pending.clear();
    for (const id of ids) {
      const row = await this.store.registrations.get<Registration>(id);
      this.registry.applyStored(row ? [this.taken(row)] : [], row ? [] : [id]);
    }
  }

  private async reload(): Promise<void> {
    const began = this.generation;
    if (this.options.leads()) await this.store.registrations.deleteExpired();
    const rows = await this.store.registrations.list<Registration>();
    const touched = new Set<string>();
    for (const [id, generation] of this.touchedAt) {
      if (generation > began) touched.add(id);
      else this.touchedAt.delete(id);
    }
    const fresh = rows.filter((row) => !touched.has(row.id));
    this.registry.applyStored(fresh.map((row) => this.taken(row)), [], true, touched);
  }

  /** The stored registration, expiring when the database says it does, counted on this replica's clock. */
  private taken(row: StoredRegistration<Registration>): Registration {
    return { ...row.body, expiresAt: this.options.now() + row.remainingMs };
  }
}
