/**
 * Versioned schema of both stores, kept as data so that every released schema stays reproducible and a
 * database written by an older build is upgraded in place. One table holds both dialects side by side, so
 * SQLite and PostgreSQL cannot drift apart in versions. SQLite records the last version applied in
 * `PRAGMA user_version`; PostgreSQL in the `orchestrator_migrations` table (postgres.migrations.ts).
 * Never edit a shipped migration: append a new one.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from './store.port';

/** One schema step: its SQL runs once, inside its own transaction, to move from `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  /** The step in SQLite's dialect. */
  readonly sqlite: string;
  /** The same step in PostgreSQL's dialect. */
  readonly postgres: string;
}

/** Every schema version this build knows, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'documents, settings and the activity log',
    sqlite: `
      CREATE TABLE documents (
        collection TEXT NOT NULL,
        id         TEXT NOT NULL,
        body       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      -- AUTOINCREMENT so an id is never reused after pruning: API clients page with beforeId.
      CREATE TABLE activity (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        timestamp TEXT NOT NULL,
        category  TEXT NOT NULL,
        level     TEXT NOT NULL,
        scenario  TEXT,
        preset    TEXT,
        actor     TEXT,
        message   TEXT NOT NULL,
        data      TEXT
      );
    `,
    // COLLATE "C" compares and orders ids byte by byte like SQLite's BINARY, whatever the database's locale.
    // json (not jsonb) keeps a document's text as written, key order included. bigserial never reuses an id.
    postgres: `
      CREATE TABLE documents (
        collection text COLLATE "C" NOT NULL,
        id         text COLLATE "C" NOT NULL,
        body       json NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE TABLE settings (
        key   text COLLATE "C" PRIMARY KEY,
        value json NOT NULL
      );
      CREATE TABLE activity (
        id        bigserial PRIMARY KEY,
        timestamp timestamptz NOT NULL,
        category  text NOT NULL,
        level     text NOT NULL,
        scenario  text COLLATE "C",
        preset    text COLLATE "C",
        actor     text,
        message   text NOT NULL,
        data      json
      );
    `,
  },
  {
    version: 2,
    description: 'indexes for activity queries (since/prune by age, category and scenario pages)',
    sqlite: `
      CREATE INDEX activity_by_timestamp ON activity (timestamp);
      CREATE INDEX activity_by_category ON activity (category, id);
      CREATE INDEX activity_by_scenario ON activity (scenario, id);
    `,
    postgres: `
      CREATE INDEX activity_by_timestamp ON activity (timestamp);
      CREATE INDEX activity_by_category ON activity (category, id);
      CREATE INDEX activity_by_scenario ON activity (scenario, id);
    `,
  },
  {
    version: 3,
    description: 'the leader lease: holder, epoch and renew time per election name',
    // SQLite serves one orchestrator, which always leads: its row only carries the epoch across restarts.
    sqlite: `
      CREATE TABLE leader_lease (
        name        TEXT PRIMARY KEY,
        holder      TEXT,
        epoch       INTEGER NOT NULL DEFAULT 0,
        acquired_at TEXT,
        renewed_at  TEXT,
        lease_ms    INTEGER NOT NULL DEFAULT 0
      );
    `,
    // Times are the database's own (now()): replicas' clocks never decide who leads.
    postgres: `
      CREATE TABLE leader_lease (
        name        text COLLATE "C" PRIMARY KEY,
        holder      text,
        epoch       bigint NOT NULL DEFAULT 0,
        acquired_at timestamptz,
        renewed_at  timestamptz,
        lease_ms    integer NOT NULL DEFAULT 0
      );
    `,
  },
  {
    version: 4,
    description: 'registrations and the published scenario inventory (HA)',
    // A removed inventory row stays as a tombstone with a new revision, so readers fetch only what changed.
    sqlite: `
      CREATE TABLE registrations (
        id         TEXT PRIMARY KEY,
        body       TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX registrations_by_expiry ON registrations (expires_at);
      CREATE TABLE inventory (
        id         TEXT PRIMARY KEY,
        body       TEXT NOT NULL,
        discovered INTEGER NOT NULL,
        removed    INTEGER NOT NULL DEFAULT 0,
        revision   INTEGER NOT NULL
      );
      CREATE INDEX inventory_by_revision ON inventory (revision);
    `,
    // Expiry on the database's clock (now()), like the lease: replicas' clocks never decide what expired.
    postgres: `
      CREATE TABLE registrations (
        id         text COLLATE "C" PRIMARY KEY,
        body       json NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX registrations_by_expiry ON registrations (expires_at);
      CREATE SEQUENCE inventory_revision;
      CREATE TABLE inventory (
        id         text COLLATE "C" PRIMARY KEY,
        body       json NOT NULL,
        discovered boolean NOT NULL,
        removed    boolean NOT NULL DEFAULT false,
        revision   bigint NOT NULL
      );
      CREATE INDEX inventory_by_revision ON inventory (revision);
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;

/** What `migrate` did. */
export interface MigrationResult {
  from: number;
  to: number;
}

/** Reads the schema version recorded in the file (0 for a new, empty file). */
export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to the last of `migrations`, one transaction per step so a crash leaves the file at a
 * complete earlier version. Refuses (StoreError 'Corrupt') a file newer than the code, rather than
 * writing into a schema it does not understand.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): MigrationResult {
  assertOrdered(migrations);
  const target = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const from = assertSupported(db, target);
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    const step = db.transaction(() => {
      db.exec(migration.sqlite);
      // user_version lives in the file header page, so it commits or rolls back with the step.
      db.pragma(`user_version = ${migration.version}`);
    });
    step.immediate();
  }
  return { from, to: target };
}

/** Returns the file's schema version, or throws StoreError 'Corrupt' when it is newer than `target`. Reads only. */
export function assertSupported(db: Database, target: number = SCHEMA_VERSION): number {
  const version = schemaVersion(db);
  if (version > target) {
    throw new StoreError(
      'Corrupt',
      `${db.name} has schema version ${version}, newer than this build supports (${target}); ` +
        'refusing to open it. Run a newer orchestrator, or restore a backup made by this version.',
    );
  }
  return version;
}

/** Versions must run 1, 2, 3...: a gap or a reorder is a programming error caught at start-up. */
export function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration #${index} has version ${migration.version}; expected ${index + 1}`);
    }
  });
}
