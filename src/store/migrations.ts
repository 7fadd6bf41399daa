/**
 * Versioned SQLite schema, kept as data so that every released schema stays reproducible and a file
 * written by an older build is upgraded in place. `PRAGMA user_version` records the last version applied.
 * Never edit a shipped migration: append a new one.
 */
import type { Database } from 'better-sqlite3';
import { StoreError } from './store.port';

/** One schema step: `up` runs once, inside its own transaction, to move from `version - 1` to `version`. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly up: string;
}

/** Every schema version this build knows, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'documents, settings and the activity log',
    up: `
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
  },
  {
    version: 2,
    description: 'indexes for activity queries (since/prune by age, category and scenario pages)',
    up: `
      CREATE INDEX activity_by_timestamp ON activity (timestamp);
      CREATE INDEX activity_by_category ON activity (category, id);
      CREATE INDEX activity_by_scenario ON activity (scenario, id);
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
      db.exec(migration.up);
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
function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration #${index} has version ${migration.version}; expected ${index + 1}`);
    }
  });
}
