/** Opens the store the configuration asks for: SQLite under DATA_DIR, or PostgreSQL at DATABASE_URL. */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config/config';
import { assertSupported, migrate } from './migrations';
import { migratePostgres } from './postgres.migrations';
import { PostgresStore, type PostgresStoreOptions } from './postgres.store';
import { messageOf, redactUrl, toPostgresStoreError } from './postgres.support';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.store';
import { toStoreError } from './sqlite.support';
import { StoreError, type Store } from './store.port';

/** The one place the composition chooses a store: DATABASE_URL means PostgreSQL, otherwise SQLite in DATA_DIR. */
export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl'>): Promise<Store> {
  if (config.databaseUrl === null) return openSqliteStore(config.dataDir);
  try {
    return await openPostgresStore(config.databaseUrl);
  } catch (error) {
    // The operator set DATABASE_URL: say so, since the message ends up as the one line of a failed start.
    if (error instanceof StoreError) throw new StoreError(error.code, `DATABASE_URL: ${error.message}`);
    throw error;
  }
}

/** Timeouts of the PostgreSQL pool, on top of the store's own options. */
export interface PostgresOpenOptions extends PostgresStoreOptions {
  /** How long to wait for a new connection before the operation fails Unavailable (default 5 s). */
  connectTimeoutMs?: number;
  /** How long one statement may wait for its answer, e.g. from a paused server (default 10 s). */
  queryTimeoutMs?: number;
}

/**
 * Connects to `url`, applies the migrations and returns the store. An unreachable server rejects with
 * StoreError 'Unavailable' naming the URL (password hidden), within `connectTimeoutMs`.
 */
export async function openPostgresStore(url: string, options: PostgresOpenOptions = {}): Promise<PostgresStore> {
  const where = redactUrl(url);
  // Loaded here, not at the top: a single-node start on SQLite never evaluates the driver (pg and its
  // dozen modules cost start-up time, bench/FINDINGS.md session 7).
  const { Pool } = await import('pg');
  const pool = new Pool({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    application_name: 'maintenance-orchestrator',
  });
  // An idle pooled connection that the server drops (restart, failover) emits 'error' on the pool; unheard,
  // Node would end the process. The pool discards that connection and the next query opens a fresh one.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, where);
    return new PostgresStore(pool, options);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const typed = toPostgresStoreError(error, false);
    if (typed instanceof StoreError) {
      const what = typed.code === 'Unavailable' ? `cannot use the PostgreSQL database at ${where}` : where;
      throw new StoreError(typed.code, typed.message.includes(where) ? typed.message : `${what}: ${messageOf(typed)}`);
    }
    throw typed;
  }
}

/** File name of the store inside DATA_DIR. */
export const SQLITE_FILE_NAME = 'orchestrator.sqlite';

/** Creates `dataDir` if needed, opens `<dataDir>/orchestrator.sqlite`, applies migrations and returns the store. */
export async function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  ensureWritableDir(dataDir);
  const file = join(dataDir, SQLITE_FILE_NAME);
  let db: Database.Database;
  try {
    db = new Database(file);
  } catch (error) {
    throw new StoreError('Unavailable', `cannot open ${file}: ${messageOf(error)}`);
  }
  try {
    // Checked before any pragma: switching to WAL rewrites the header of a file we must leave untouched.
    assertSupported(db);
    configure(db);
    migrate(db);
    return new SqliteStore(db, options);
  } catch (error) {
    db.close();
    const typed = toStoreError(error);
    if (typed instanceof StoreError && !typed.message.includes(file)) {
      throw new StoreError(typed.code, `${file}: ${typed.message}`);
    }
    throw typed;
  }
}

/** Runs `PRAGMA integrity_check`: 'ok' for a sound file, otherwise the problems SQLite found. */
export async function checkIntegrity(store: SqliteStore): Promise<'ok' | string[]> {
  const rows = await store.integrityCheck();
  return rows.length === 1 && rows[0] === 'ok' ? 'ok' : rows;
}

function configure(db: Database.Database): void {
  // WAL lets readers (API snapshots) run while the reconciler writes, and a commit is one append to the WAL.
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new StoreError('Unavailable', `${db.name}: cannot enable WAL journal mode (got '${String(mode)}')`);
  // NORMAL in WAL mode writes every commit to the WAL file before returning but fsyncs only at checkpoints.
  // A killed process (kill -9, OOM) loses nothing it was told was committed, since the OS still holds the
  // written pages; only a power cut or kernel crash can drop the last commits. FULL would fsync every
  // activity append for a guarantee the spec does not ask for.
  db.pragma('synchronous = NORMAL');
  // Another handle (a backup, an operator's sqlite3 shell) may hold the lock briefly: wait, do not fail.
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
}

/** Fails early with the path in the message, rather than with a bare SQLITE_CANTOPEN later. */
function ensureWritableDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new StoreError('Unavailable', `data directory ${dataDir} is not writable: ${messageOf(error)}`);
  }
}
