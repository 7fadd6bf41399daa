/**
 * What replicas share besides the desired state (SPEC 9), on PostgreSQL: registrations (expiry judged on the
 * database's clock) and the inventory the leader publishes. Every write notifies its channel inside its own
 * transaction, so the notification goes out when, and only if, the write is stored.
 */
import type { PostgresGateway, TransactionQuery } from './postgres.support';
import { toJson } from './sqlite.support';
import {
  INVENTORY_CHANNEL,
  REGISTRATIONS_CHANNEL,
  type InventoryRepository,
  type InventoryRow,
  type RegistrationRefusal,
  type RegistrationRepository,
  type StoredRegistration,
} from './store.port';

/** Key of the advisory lock under which a registration is counted against the limit and stored. */
const REGISTRATION_LOCK_KEY = 7_236_284_912;

/** How long a row still lives, in milliseconds of the database's clock (0 once expired). */
const REMAINING_MS = `GREATEST(0, EXTRACT(EPOCH FROM (expires_at - now())) * 1000)::float8 AS remaining_ms`;

interface RegistrationRow {
  id: string;
  body: unknown;
  remaining_ms: number;
}

/** The `registrations` table. */
export class PostgresRegistrations implements RegistrationRepository {
  constructor(private readonly db: PostgresGateway) {}

  put<T>(id: string, body: T, ttlMs: number, maxLive: number): Promise<{ stored: StoredRegistration<T> } | { refused: RegistrationRefusal }> {
    const json = toJson(body, `registration '${id}'`);
    return this.db.transaction(async (query) => {
      await query('SELECT pg_advisory_xact_lock($1)', [REGISTRATION_LOCK_KEY]);
      const refusal = await refusalOf(query, id, maxLive);
      if (refusal) return { refused: refusal };
      const { rows } = await query<RegistrationRow>(
        `INSERT INTO registrations (id, body, expires_at) VALUES ($1, $2::json, now() + $3 * interval '1 millisecond')
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, expires_at = excluded.expires_at
         RETURNING id, body, ${REMAINING_MS}`,
        [id, json, ttlMs],
      );
      await query('SELECT pg_notify($1, $2)', [REGISTRATIONS_CHANNEL, id]);
      return { stored: toRegistration<T>(rows[0]) };
    });
  }

  async get<T>(id: string): Promise<StoredRegistration<T> | null> {
    const { rows } = await this.db.query<RegistrationRow>(`SELECT id, body, ${REMAINING_MS} FROM registrations WHERE id = $1 AND expires_at > now()`, [id]);
    return rows.length ? toRegistration<T>(rows[0]) : null;
  }

  async list<T>(): Promise<StoredRegistration<T>[]> {
    const { rows } = await this.db.query<RegistrationRow>(`SELECT id, body, ${REMAINING_MS} FROM registrations WHERE expires_at > now() ORDER BY id`);
    return rows.map((row) => toRegistration<T>(row));
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `WITH gone AS (DELETE FROM registrations WHERE id = $1 RETURNING id) SELECT pg_notify($2, id) FROM gone`,
      [id, REGISTRATIONS_CHANNEL],
    );
    return (rowCount ?? 0) > 0;
  }

  async deleteExpired(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `WITH gone AS (DELETE FROM registrations WHERE expires_at <= now() RETURNING id) SELECT id, pg_notify($1, id) FROM gone ORDER BY id`,
      [REGISTRATIONS_CHANNEL],
    );
    return rows.map((row) => row.id);
  }
}

/** Why `id` may not be stored now, or null. */
async function refusalOf(query: TransactionQuery, id: string, maxLive: number): Promise<RegistrationRefusal | null> {
  const { rows } = await query<{ taken: boolean; live: boolean; count: number }>(
    `SELECT EXISTS (SELECT 1 FROM inventory WHERE id = $1 AND discovered AND NOT removed) AS taken,
            EXISTS (SELECT 1 FROM registrations WHERE id = $1 AND expires_at > now()) AS live,
            (SELECT count(*)::int FROM registrations WHERE expires_at > now()) AS count`,
    [id],
  );
  const { taken, live, count } = rows[0];
  if (taken) return 'FileDiscovered';
  return !live && count >= maxLive ? 'Full' : null;
}

function toRegistration<T>(row: RegistrationRow): StoredRegistration<T> {
  return { id: row.id, body: row.body as T, remainingMs: Math.round(row.remaining_ms) };
}

interface InventoryDbRow {
  id: string;
  body: unknown;
  discovered: boolean;
  removed: boolean;
}

/** The `inventory` table; revisions come from one sequence. */
export class PostgresInventory implements InventoryRepository {
  constructor(private readonly db: PostgresGateway) {}

  write<T>(changed: readonly InventoryRow<T>[], removed: readonly string[], options: { replace?: boolean } = {}): Promise<number> {
    const rows = toJson(changed, 'inventory rows');
    return this.db.transaction(async (query) => {
      // One statement for the whole batch: a 10,000-row first publication is one round trip, not 10,000.
      if (changed.length > 0) {
        await query(
          `INSERT INTO inventory (id, body, discovered, removed, revision)
           SELECT r.id, r.body, r.discovered, false, nextval('inventory_revision') FROM json_to_recordset($1::json) AS r(id text, body json, discovered boolean)
           ON CONFLICT (id) DO UPDATE SET body = excluded.body, discovered = excluded.discovered, removed = false, revision = excluded.revision`,
          [rows],
        );
      }
      if (removed.length > 0) {
        await query(`UPDATE inventory SET removed = true, revision = nextval('inventory_revision') WHERE id = ANY($1::text[]) AND NOT removed`, [removed]);
      }
      if (options.replace) {
        await query(`UPDATE inventory SET removed = true, revision = nextval('inventory_revision') WHERE NOT removed AND NOT (id = ANY($1::text[]))`, [
          changed.map((row) => row.id),
        ]);
      }
      const { rows: newest } = await query<{ revision: string }>('SELECT coalesce(max(revision), 0) AS revision FROM inventory');
      await query('SELECT pg_notify($1, $2)', [INVENTORY_CHANNEL, newest[0].revision]);
      return Number(newest[0].revision);
    });
  }

  async changesSince<T>(since: number): Promise<{ rows: (InventoryRow<T> & { removed: boolean })[]; revision: number }> {
    // The newest revision first: a write committed between the two reads shows up again next time, never lost.
    const { rows: newest } = await this.db.query<{ revision: string }>('SELECT coalesce(max(revision), 0) AS revision FROM inventory');
    const { rows } = await this.db.query<InventoryDbRow & { revision: string }>(
      `SELECT id, body, discovered, removed, revision FROM inventory WHERE revision > $1 AND (revision <= $2) AND ($1 > 0 OR NOT removed) ORDER BY id`,
      [since, newest[0].revision],
    );
    return { rows: rows.map((row) => ({ id: row.id, body: row.body as T, discovered: row.discovered, removed: row.removed })), revision: Number(newest[0].revision) };
  }
}
