/**
 * Persistence port. Services depend on these interfaces only, so the SQLite adapter (default) and a
 * PostgreSQL adapter can stand behind them. Documents are stored as JSON exactly as validated by
 * their owners (presets, schedules, policy): the store never interprets them.
 */
import type { ActivityCategory, ActivityEntry, ActivityInput } from '../activity/activity';

/** A named JSON document (a custom preset or a schedule). */
export interface StoredDocument<T = unknown> {
  id: string;
  body: T;
  /** ISO-8601 UTC. */
  createdAt: string;
  updatedAt: string;
}

/**
 * A notification to send with a write, in the write's transaction: it goes out when, and only if, the write
 * changed something (HA replicas follow each other's writes by it; SQLite tells its own process only).
 */
export interface ChangeNotice {
  channel: string;
  payload?: string;
}

/** A keyed collection of documents. `create` refuses an existing id; `put` upserts. */
export interface DocumentRepository<T = unknown> {
  list(): Promise<StoredDocument<T>[]>;
  get(id: string): Promise<StoredDocument<T> | null>;
  /** Inserts; rejects with StoreError('Conflict') when the id exists. */
  create(id: string, body: T, notice?: ChangeNotice): Promise<StoredDocument<T>>;
  /** Inserts or replaces. */
  put(id: string, body: T, notice?: ChangeNotice): Promise<StoredDocument<T>>;
  /** True when something was deleted (and only then is `notice` sent). */
  delete(id: string, notice?: ChangeNotice): Promise<boolean>;
}

/** Filter for reading the activity log; results are newest first. */
export interface ActivityQuery {
  category?: ActivityCategory;
  scenario?: string;
  /** ISO-8601; entries at or after. */
  since?: string;
  /** Paging: only entries with id below this. */
  beforeId?: number;
  limit: number;
}

/** Append-only activity log. */
export interface ActivityRepository {
  append(input: ActivityInput, timestamp: string): Promise<ActivityEntry>;
  /** Appends several entries in one transaction, in order. */
  appendMany(items: readonly { input: ActivityInput; timestamp: string }[]): Promise<ActivityEntry[]>;
  query(query: ActivityQuery): Promise<ActivityEntry[]>;
  /** Deletes entries older than `olderThan` (ISO) and beyond the newest `maxEntries`; returns how many went. */
  prune(olderThan: string, maxEntries: number): Promise<number>;
}

/** A single-document setting (the policy). */
export interface SettingRepository {
  get<T>(key: string): Promise<T | null>;
  set<T>(key: string, value: T, notice?: ChangeNotice): Promise<void>;
}

/** The lease row of one election, as the database holds it (times in the database's clock, ISO-8601). */
export interface LeaseRecord {
  holder: string | null;
  epoch: number;
  acquiredAt: string | null;
  renewedAt: string | null;
  leaseMs: number;
}

/**
 * The leader lease (SPEC 9). Each call is one statement judged on the database's clock, never a replica's.
 * PostgreSQL: `acquire` succeeds only while nobody holds an unexpired lease. SQLite serves one orchestrator:
 * `acquire` always succeeds (the epoch still grows, so it is recorded per start).
 */
export interface LeaseRepository {
  /** Takes the lease for `holder` when free or expired; the new epoch, or null when another holds it. */
  acquire(name: string, holder: string, leaseMs: number): Promise<{ epoch: number; acquiredAt: string } | null>;
  /** Extends the lease; false when `holder` no longer holds it at `epoch` (another acquired it). */
  renew(name: string, holder: string, epoch: number): Promise<boolean>;
  /** Gives the lease up (clean shutdown) so the next replica acquires at once. */
  release(name: string, holder: string, epoch: number): Promise<void>;
  /** The row, or null before any acquisition. */
  read(name: string): Promise<LeaseRecord | null>;
}

/**
 * Change notifications between replicas sharing a database (PostgreSQL LISTEN/NOTIFY). Best effort: a
 * notification may be lost (a reconnect), so listeners also poll. SQLite has one process, so nothing to send.
 */
export interface ChangeFeed {
  /** Tells every replica (this one included) that `channel` changed. */
  notify(channel: string, payload?: string): Promise<void>;
  /**
   * Stores the setting `key` and notifies `channel` with `payload` in one transaction (one round trip): the
   * notification goes out when, and only if, the value is stored.
   */
  publish<T>(key: string, value: T, channel: string, payload: string): Promise<void>;
  /** Calls `listener` on each notification of `channel`; returns the way to stop listening. */
  listen(channel: string, listener: (payload: string) => void): Promise<() => void>;
}

/** A registration as the database holds it: the body its owner validated, and how long it still lives (database clock). */
export interface StoredRegistration<T = unknown> {
  id: string;
  body: T;
  remainingMs: number;
}

/** Why `RegistrationRepository.put` refused: MAX_REGISTRATIONS live rows, or the inventory lists the id as discovered from a file. */
export type RegistrationRefusal = 'Full' | 'FileDiscovered';

/** The LISTEN/NOTIFY channel of registration changes; the payload is the id that changed. */
export const REGISTRATIONS_CHANNEL = 'maintenance_registrations';

/**
 * Registrations shared by replicas (SPEC 9). Expiry is judged on the store's clock (PostgreSQL: now()), so
 * every replica agrees; each write notifies REGISTRATIONS_CHANNEL in its own transaction.
 */
export interface RegistrationRepository {
  /**
   * Stores or renews `id` for `ttlMs`, unless it is new while `maxLive` live rows exist, or the inventory lists
   * it as discovered from a file; judged under one lock, so replicas cannot overshoot the limit together.
   */
  put<T>(id: string, body: T, ttlMs: number, maxLive: number): Promise<{ stored: StoredRegistration<T> } | { refused: RegistrationRefusal }>;
  /** The live row, or null (absent or expired). */
  get<T>(id: string): Promise<StoredRegistration<T> | null>;
  /** Live rows, sorted by id. */
  list<T>(): Promise<StoredRegistration<T>[]>;
  /** True when a row was deleted. */
  delete(id: string): Promise<boolean>;
  /** Deletes the rows whose TTL ran out; their ids, sorted. */
  deleteExpired(): Promise<string[]>;
}

/** One scenario of the published inventory: what the leader sees of it (JSON), and whether a file declares it. */
export interface InventoryRow<T = unknown> {
  id: string;
  body: T;
  discovered: boolean;
}

/** The LISTEN/NOTIFY channel of inventory writes; the payload is the newest revision. */
export const INVENTORY_CHANNEL = 'maintenance_inventory';

/**
 * The scenario inventory the leader publishes and followers serve (SPEC 9). Every write gives the rows it
 * touches a new, growing revision, and a removed row stays as a tombstone, so a reader asks only for what
 * changed since the revision it holds.
 */
export interface InventoryRepository {
  /**
   * Upserts `changed` and removes `removed` in one transaction, then notifies INVENTORY_CHANNEL. With
   * `replace` every other row is removed too (a new leader's first scan). Returns the newest revision.
   */
  write<T>(changed: readonly InventoryRow<T>[], removed: readonly string[], options?: { replace?: boolean }): Promise<number>;
  /** Rows written after revision `since` (0: all live rows), removed ones flagged, and the newest revision. */
  changesSince<T>(since: number): Promise<{ rows: (InventoryRow<T> & { removed: boolean })[]; revision: number }>;
}

/** Everything the orchestrator persists. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly presets: DocumentRepository;
  readonly schedules: DocumentRepository;
  readonly settings: SettingRepository;
  readonly activity: ActivityRepository;
  readonly lease: LeaseRepository;
  readonly changes: ChangeFeed;
  readonly registrations: RegistrationRepository;
  readonly inventory: InventoryRepository;
  close(): Promise<void>;
}

/** Typed store failure; mapped to HTTP by the API's exception filter. */
export class StoreError extends Error {
  constructor(
    readonly code: 'Conflict' | 'Unavailable' | 'Corrupt',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** Injection token for the Store. */
export const STORE = Symbol('STORE');
