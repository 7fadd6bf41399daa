/**
 * The lease and change feed of the PostgreSQL store (SPEC 9). Acquire and renew are one statement each and
 * judged on the database's clock (now()), so a replica's clock step cannot make two leaders.
 */
import type { Pool, PoolClient } from 'pg';
import type { PostgresGateway } from './postgres.support';
import { toJson } from './sqlite.support';
import type { ChangeFeed, LeaseRecord, LeaseRepository } from './store.port';

interface LeaseRow {
  holder: string | null;
  epoch: string;
  acquired_at: Date | null;
  renewed_at: Date | null;
  lease_ms: number;
}

// Free (released, or never held) or expired on the database's clock: the only two ways to take the lease.
const ACQUIRE = `
  UPDATE leader_lease SET holder = $2, epoch = epoch + 1, acquired_at = now(), renewed_at = now(), lease_ms = $3
   WHERE name = $1 AND (holder IS NULL OR renewed_at + lease_ms * interval '1 millisecond' < now())
  RETURNING epoch, acquired_at`;

/** The `leader_lease` table through the store's pool. */
export class PostgresLease implements LeaseRepository {
  constructor(private readonly db: PostgresGateway) {}

  async acquire(name: string, holder: string, leaseMs: number): Promise<{ epoch: number; acquiredAt: string } | null> {
    await this.db.query('INSERT INTO leader_lease (name) VALUES ($1) ON CONFLICT DO NOTHING', [name]);
    const { rows } = await this.db.query<{ epoch: string; acquired_at: Date }>(ACQUIRE, [name, holder, leaseMs]);
    return rows.length ? { epoch: Number(rows[0].epoch), acquiredAt: rows[0].acquired_at.toISOString() } : null;
  }

  async renew(name: string, holder: string, epoch: number): Promise<boolean> {
    const { rowCount } = await this.db.query('UPDATE leader_lease SET renewed_at = now() WHERE name = $1 AND holder = $2 AND epoch = $3', [name, holder, epoch]);
    return rowCount === 1;
  }

  async release(name: string, holder: string, epoch: number): Promise<void> {
    await this.db.query('UPDATE leader_lease SET holder = NULL WHERE name = $1 AND holder = $2 AND epoch = $3', [name, holder, epoch]);
  }

  async read(name: string): Promise<LeaseRecord | null> {
    const { rows } = await this.db.query<LeaseRow>('SELECT holder, epoch, acquired_at, renewed_at, lease_ms FROM leader_lease WHERE name = $1', [name]);
    if (!rows.length) return null;
    const row = rows[0];
    return { holder: row.holder, epoch: Number(row.epoch), acquiredAt: row.acquired_at?.toISOString() ?? null, renewedAt: row.renewed_at?.toISOString() ?? null, leaseMs: row.lease_ms };
  }
}

/** How long to wait before opening the LISTEN connection again after it broke. */
const RELISTEN_DELAY_MS = 1_000;

/**
 * LISTEN/NOTIFY on one connection taken from the pool and kept. When it breaks (server restart), it is opened
 * again after a second, LISTENing to every channel again; notifications sent meanwhile are lost, which is
 * why listeners also poll.
 */
export class PostgresChangeFeed implements ChangeFeed {
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private client: PoolClient | null = null;
  private connecting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    private readonly db: PostgresGateway,
  ) {}

  async notify(channel: string, payload = ''): Promise<void> {
    await this.db.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async publish<T>(key: string, value: T, channel: string, payload: string): Promise<void> {
    // One statement is one transaction: the NOTIFY is delivered at its commit, after the value is visible.
    await this.db.query(
      `WITH saved AS (INSERT INTO settings (key, value) VALUES ($1, $2::json) ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING 1)
       SELECT pg_notify($3, $4) FROM saved`,
      [key, toJson(value, `setting '${key}'`), channel, payload],
    );
  }

  async listen(channel: string, listener: (payload: string) => void): Promise<() => void> {
    const set = this.listeners.get(channel) ?? new Set();
    const first = set.size === 0;
    set.add(listener);
    this.listeners.set(channel, set);
    if (first) await this.subscribe(channel).catch(() => this.reconnectLater());
    return () => set.delete(listener);
  }

  /** Drops the LISTEN connection; no reconnection afterwards. */
  close(): void {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.client?.release(true);
    this.client = null;
  }

  private async subscribe(channel: string): Promise<void> {
    await this.connect();
    // Channel names are ours (identifiers); quoted so case is kept.
    await this.client?.query(`LISTEN "${channel.replace(/"/g, '')}"`);
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= (async () => {
      try {
        const client = await this.pool.connect();
        if (this.closed) {
          client.release(true);
          return;
        }
        client.on('notification', (message) => {
          for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload ?? '');
        });
        client.on('error', () => this.dropAndReconnect(client));
        client.on('end', () => this.dropAndReconnect(client));
        this.client = client;
      } finally {
        this.connecting = null;
      }
    })();
    return this.connecting;
  }

  private dropAndReconnect(client: PoolClient): void {
    if (this.client !== client) return;
    this.client = null;
    client.release(true);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void (async () => {
        try {
          for (const channel of this.listeners.keys()) await this.subscribe(channel);
        } catch {
          this.client?.release(true);
          this.client = null;
          this.reconnectLater();
        }
      })();
    }, RELISTEN_DELAY_MS);
    this.retry.unref();
  }
}
