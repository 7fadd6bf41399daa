/**
 * Registrations and the published inventory on SQLite. A single SQLite orchestrator keeps its registrations in
 * memory (SPEC 7's restart rule) and publishes nothing; these tables exist so both stores answer the same
 * contract, and expiry here is judged on the store's clock (its `now` option).
 */
import type { Database, Statement } from 'better-sqlite3';
import { parseJson, settle, toJson } from './sqlite.support';
import {
  INVENTORY_CHANNEL,
  REGISTRATIONS_CHANNEL,
  type ChangeFeed,
  type InventoryRepository,
  type InventoryRow,
  type RegistrationRefusal,
  type RegistrationRepository,
  type StoredRegistration,
} from './store.port';

interface RegistrationRow {
  id: string;
  body: string;
  expires_at: string;
}

/** The `registrations` table on one connection; notifications go to this process's listeners after commit. */
export class SqliteRegistrations implements RegistrationRepository {
  private readonly liveRow: Statement<[string, string], RegistrationRow>;
  private readonly liveRows: Statement<[string], RegistrationRow>;
  private readonly liveCount: Statement<[string], { count: number }>;
  private readonly discoveredRow: Statement<[string], { id: string }>;
  private readonly upsertRow: Statement<[string, string, string]>;
  private readonly deleteRow: Statement<[string]>;
  private readonly deleteExpiredRows: Statement<[string], { id: string }>;

  constructor(
    private readonly db: Database,
    private readonly now: () => Date,
    private readonly changes: ChangeFeed,
  ) {
    this.liveRow = db.prepare('SELECT id, body, expires_at FROM registrations WHERE id = ? AND expires_at > ?');
    this.liveRows = db.prepare('SELECT id, body, expires_at FROM registrations WHERE expires_at > ? ORDER BY id');
    this.liveCount = db.prepare('SELECT count(*) AS count FROM registrations WHERE expires_at > ?');
    this.discoveredRow = db.prepare('SELECT id FROM inventory WHERE id = ? AND discovered = 1 AND removed = 0');
    this.upsertRow = db.prepare('INSERT INTO registrations (id, body, expires_at) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at');
    this.deleteRow = db.prepare('DELETE FROM registrations WHERE id = ?');
    this.deleteExpiredRows = db.prepare('DELETE FROM registrations WHERE expires_at <= ? RETURNING id');
  }

  async put<T>(id: string, body: T, ttlMs: number, maxLive: number): Promise<{ stored: StoredRegistration<T> } | { refused: RegistrationRefusal }> {
    const outcome = await settle(() =>
      this.db.transaction((): { stored: StoredRegistration<T> } | { refused: RegistrationRefusal } => {
        const now = this.now();
        if (this.discoveredRow.get(id)) return { refused: 'FileDiscovered' };
        const live = this.liveRow.get(id, now.toISOString()) !== undefined;
        if (!live && this.liveCount.get(now.toISOString())!.count >= maxLive) return { refused: 'Full' };
        const json = toJson(body, `registration '${id}'`);
        this.upsertRow.run(id, json, new Date(now.getTime() + ttlMs).toISOString());
        return { stored: { id, body: JSON.parse(json) as T, remainingMs: ttlMs } };
      }).immediate(),
    );
    if ('stored' in outcome) await this.changes.notify(REGISTRATIONS_CHANNEL, id);
    return outcome;
  }

  get<T>(id: string): Promise<StoredRegistration<T> | null> {
    return settle(() => {
      const now = this.now();
      const row = this.liveRow.get(id, now.toISOString());
      return row ? toRegistration<T>(row, now) : null;
    });
  }

  list<T>(): Promise<StoredRegistration<T>[]> {
    return settle(() => {
      const now = this.now();
      return this.liveRows.all(now.toISOString()).map((row) => toRegistration<T>(row, now));
    });
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await settle(() => this.deleteRow.run(id).changes > 0);
    if (deleted) await this.changes.notify(REGISTRATIONS_CHANNEL, id);
    return deleted;
  }

  async deleteExpired(): Promise<string[]> {
    const ids = await settle(() => this.deleteExpiredRows.all(this.now().toISOString()).map((row) => row.id).sort());
    for (const id of ids) await this.changes.notify(REGISTRATIONS_CHANNEL, id);
    return ids;
  }
}

function toRegistration<T>(row: RegistrationRow, now: Date): StoredRegistration<T> {
  return { id: row.id, body: parseJson(row.body, `registration '${row.id}'`) as T, remainingMs: Math.max(0, Date.parse(row.expires_at) - now.getTime()) };
}

interface InventoryDbRow {
  id: string;
  body: string;
  discovered: number;
  removed: number;
}

/** The `inventory` table; the next revision is one above the newest, taken inside the write's transaction. */
export class SqliteInventory implements InventoryRepository {
  private readonly newest: Statement<[], { revision: number }>;
  private readonly upsertRow: Statement<[string, string, number, number]>;
  private readonly removeRow: Statement<[number, string]>;
  private readonly liveIds: Statement<[], { id: string }>;
  private readonly rowsSince: Statement<[number, number], InventoryDbRow>;

  constructor(
    private readonly db: Database,
    private readonly changes: ChangeFeed,
  ) {
    this.newest = db.prepare('SELECT coalesce(max(revision), 0) AS revision FROM inventory');
    this.upsertRow = db.prepare(
      'INSERT INTO inventory (id, body, discovered, removed, revision) VALUES (?, ?, ?, 0, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body, discovered = excluded.discovered, removed = 0, revision = excluded.revision',
    );
    this.removeRow = db.prepare('UPDATE inventory SET removed = 1, revision = ? WHERE id = ? AND removed = 0');
    this.liveIds = db.prepare('SELECT id FROM inventory WHERE removed = 0');
    this.rowsSince = db.prepare('SELECT id, body, discovered, removed FROM inventory WHERE revision > ? AND (? > 0 OR removed = 0) ORDER BY id');
  }

  async write<T>(changed: readonly InventoryRow<T>[], removed: readonly string[], options: { replace?: boolean } = {}): Promise<number> {
    const revision = await settle(() =>
      this.db.transaction(() => {
        let next = this.newest.get()!.revision;
        for (const row of changed) this.upsertRow.run(row.id, toJson(row.body, `inventory '${row.id}'`), row.discovered ? 1 : 0, ++next);
        const kept = new Set(changed.map((row) => row.id));
        const gone = options.replace ? this.liveIds.all().map((row) => row.id).filter((id) => !kept.has(id)) : [];
        for (const id of [...removed, ...gone]) if (this.removeRow.run(next + 1, id).changes > 0) next++;
        return next;
      }).immediate(),
    );
    await this.changes.notify(INVENTORY_CHANNEL, String(revision));
    return revision;
  }

  changesSince<T>(since: number): Promise<{ rows: (InventoryRow<T> & { removed: boolean })[]; revision: number }> {
    return settle(() => {
      const revision = this.newest.get()!.revision;
      const rows = this.rowsSince.all(since, since).map((row) => ({
        id: row.id,
        body: parseJson(row.body, `inventory '${row.id}'`) as T,
        discovered: row.discovered === 1,
        removed: row.removed === 1,
      }));
      return { rows, revision };
    });
  }
}
