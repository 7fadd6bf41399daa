/**
 * SQLite adapter of the Store port (the default, single-orchestrator store). better-sqlite3 is
 * synchronous: every method does its work before returning an already-settled Promise, so by the time a
 * caller's `await` resumes, the change is committed to the WAL file and survives a kill -9.
 */
import type { Database, Statement } from 'better-sqlite3';
import { SCHEMA_VERSION, schemaVersion } from './migrations';
import { SqliteActivity } from './sqlite.activity';
import { LocalChangeFeed, SqliteLease } from './sqlite.lease';
import { SqliteInventory, SqliteRegistrations } from './sqlite.shared';
import { parseJson, settle, toJson } from './sqlite.support';
import type { ActivityRepository, ChangeFeed, ChangeNotice, DocumentRepository, InventoryRepository, LeaseRepository, RegistrationRepository, SettingRepository, Store, StoredDocument } from './store.port';
import { StoreError } from './store.port';

/** Edges the store needs besides the file: only the clock, so tests can pin timestamps. */
export interface SqliteStoreOptions {
  now?: () => Date;
}

/** The Store over one open, migrated better-sqlite3 connection; `openSqliteStore` builds it. */
export class SqliteStore implements Store {
  /** Which adapter this is (for health and logs). */
  readonly kind = 'sqlite' as const;
  /** Custom presets. */
  readonly presets: DocumentRepository;
  /** Schedules. */
  readonly schedules: DocumentRepository;
  /** The policy and other single documents. */
  readonly settings: SettingRepository;
  /** The activity log. */
  readonly activity: ActivityRepository;
  /** The leader lease (always this process's: one SQLite file, one orchestrator). */
  readonly lease: LeaseRepository;
  /** In-process only. */
  readonly changes: ChangeFeed;
  /** Registrations (unused by a single node, which keeps them in memory; here for the shared contract). */
  readonly registrations: RegistrationRepository;
  /** The published inventory (likewise). */
  readonly inventory: InventoryRepository;

  constructor(
    private readonly db: Database,
    options: SqliteStoreOptions = {},
  ) {
    // Statements below are prepared against the current schema; an unmigrated file would fail later and obscurely.
    const version = schemaVersion(db);
    if (version !== SCHEMA_VERSION) {
      throw new StoreError('Corrupt', `${db.name} is at schema version ${version}, expected ${SCHEMA_VERSION}; run migrations first`);
    }
    const now = options.now ?? (() => new Date());
    // Notices of writes go to this process's listeners, once the write is committed.
    const deliver = (notice: ChangeNotice) => feed.deliver(notice);
    this.presets = new SqliteDocuments(db, 'presets', now, deliver);
    this.schedules = new SqliteDocuments(db, 'schedules', now, deliver);
    this.settings = new SqliteSettings(db, deliver);
    this.activity = new SqliteActivity(db);
    this.lease = new SqliteLease(db, now);
    const feed = new LocalChangeFeed(this.settings);
    this.changes = feed;
    this.registrations = new SqliteRegistrations(db, now, this.changes);
    this.inventory = new SqliteInventory(db, this.changes);
  }

  /** Path of the database file. */
  get file(): string {
    return this.db.name;
  }

  /** `PRAGMA integrity_check` rows: `['ok']` for a sound file, otherwise one line per problem. */
  integrityCheck(): Promise<string[]> {
    return settle(() => (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check));
  }

  /** Folds the WAL back into the main file, then closes; safe to call twice. */
  close(): Promise<void> {
    return settle(() => {
      if (!this.db.open) return;
      // TRUNCATE leaves a single self-contained file behind, which is what a backup copies.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    });
  }
}

interface DocumentRow {
  id: string;
  body: string;
  created_at: string;
  updated_at: string;
}

interface DocumentWrite {
  collection: string;
  id: string;
  body: string;
  at: string;
}

/** One collection of the `documents` table; ids compare exactly (BINARY collation), so `FULL` != `full`. */
class SqliteDocuments implements DocumentRepository {
  private readonly listRows: Statement<[string], DocumentRow>;
  private readonly getRow: Statement<[string, string], DocumentRow>;
  private readonly insertRow: Statement<DocumentWrite>;
  private readonly upsertRow: Statement<DocumentWrite, DocumentRow>;
  private readonly deleteRow: Statement<[string, string]>;

  constructor(
    db: Database,
    private readonly collection: string,
    private readonly now: () => Date,
    private readonly deliver: (notice: ChangeNotice) => void,
  ) {
    const columns = 'id, body, created_at, updated_at';
    this.listRows = db.prepare(`SELECT ${columns} FROM documents WHERE collection = ? ORDER BY id`);
    this.getRow = db.prepare(`SELECT ${columns} FROM documents WHERE collection = ? AND id = ?`);
    this.insertRow = db.prepare(
      'INSERT INTO documents (collection, id, body, created_at, updated_at) VALUES (@collection, @id, @body, @at, @at) ON CONFLICT DO NOTHING',
    );
    // An upsert keeps the original created_at: replacing a preset does not make it new.
    this.upsertRow = db.prepare(
      `INSERT INTO documents (collection, id, body, created_at, updated_at) VALUES (@collection, @id, @body, @at, @at)
       ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
       RETURNING ${columns}`,
    );
    this.deleteRow = db.prepare('DELETE FROM documents WHERE collection = ? AND id = ?');
  }

  list(): Promise<StoredDocument[]> {
    return settle(() => this.listRows.all(this.collection).map(toDocument));
  }

  get(id: string): Promise<StoredDocument | null> {
    return settle(() => {
      const row = this.getRow.get(this.collection, id);
      return row ? toDocument(row) : null;
    });
  }

  create(id: string, body: unknown, notice?: ChangeNotice): Promise<StoredDocument> {
    return settle(() => {
      const at = this.now().toISOString();
      const json = toJson(body, `${this.collection}/${id}`);
      if (this.insertRow.run({ collection: this.collection, id, body: json, at }).changes === 0) {
        throw new StoreError('Conflict', `${this.collection} '${id}' already exists`);
      }
      if (notice) this.deliver(notice);
      return { id, body: JSON.parse(json) as unknown, createdAt: at, updatedAt: at };
    });
  }

  put(id: string, body: unknown, notice?: ChangeNotice): Promise<StoredDocument> {
    return settle(() => {
      const json = toJson(body, `${this.collection}/${id}`);
      const row = this.upsertRow.get({ collection: this.collection, id, body: json, at: this.now().toISOString() });
      if (!row) throw new StoreError('Unavailable', `upsert of ${this.collection} '${id}' returned no row`);
      if (notice) this.deliver(notice);
      return toDocument(row);
    });
  }

  delete(id: string, notice?: ChangeNotice): Promise<boolean> {
    return settle(() => {
      const deleted = this.deleteRow.run(this.collection, id).changes > 0;
      if (deleted && notice) this.deliver(notice);
      return deleted;
    });
  }
}

/** Settings are one JSON value per key. */
class SqliteSettings implements SettingRepository {
  private readonly getValue: Statement<[string], { value: string }>;
  private readonly setValue: Statement<[string, string]>;

  constructor(
    db: Database,
    private readonly deliver: (notice: ChangeNotice) => void,
  ) {
    this.getValue = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.setValue = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  }

  get<T>(key: string): Promise<T | null> {
    return settle(() => {
      const row = this.getValue.get(key);
      return row ? (parseJson(row.value, `setting '${key}'`) as T) : null;
    });
  }

  set<T>(key: string, value: T, notice?: ChangeNotice): Promise<void> {
    return settle(() => {
      this.setValue.run(key, toJson(value, `setting '${key}'`));
      if (notice) this.deliver(notice);
    });
  }
}

function toDocument(row: DocumentRow): StoredDocument {
  return { id: row.id, body: parseJson(row.body, `document '${row.id}'`), createdAt: row.created_at, updatedAt: row.updated_at };
}

