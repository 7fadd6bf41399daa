/** Opens the SQLite store under DATA_DIR: the only code here that touches the filesystem. */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { assertSupported, migrate } from './migrations';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.store';
import { toStoreError } from './sqlite.support';
import { StoreError } from './store.port';

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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
