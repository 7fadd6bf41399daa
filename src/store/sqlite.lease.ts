/**
 * The lease and change feed of the SQLite store. One SQLite file serves one orchestrator, so it always leads:
 * `acquire` takes the row whoever held it (a previous run that died) and the epoch still grows at each start,
 * so calls and the activity log carry an epoch in single-node mode too. Nothing to notify across processes.
 */
import type { Database, Statement } from 'better-sqlite3';
import { settle } from './sqlite.support';
import type { ChangeFeed, ChangeNotice, LeaseRecord, LeaseRepository, SettingRepository } from './store.port';

interface LeaseRow {
  holder: string | null;
  epoch: number;
  acquired_at: string | null;
  renewed_at: string | null;
  lease_ms: number;
}

/** The `leader_lease` table on one SQLite connection. */
export class SqliteLease implements LeaseRepository {
  private readonly insertRow: Statement<[string]>;
  private readonly takeRow: Statement<{ name: string; holder: string; at: string; leaseMs: number }, { epoch: number; acquired_at: string }>;
  private readonly renewRow: Statement<{ name: string; holder: string; epoch: number; at: string }>;
  private readonly releaseRow: Statement<{ name: string; holder: string; epoch: number }>;
  private readonly readRow: Statement<[string], LeaseRow>;

  constructor(
    db: Database,
    private readonly now: () => Date,
  ) {
    this.insertRow = db.prepare('INSERT INTO leader_lease (name) VALUES (?) ON CONFLICT DO NOTHING');
    this.takeRow = db.prepare(
      'UPDATE leader_lease SET holder = @holder, epoch = epoch + 1, acquired_at = @at, renewed_at = @at, lease_ms = @leaseMs WHERE name = @name RETURNING epoch, acquired_at',
    );
    this.renewRow = db.prepare('UPDATE leader_lease SET renewed_at = @at WHERE name = @name AND holder = @holder AND epoch = @epoch');
    this.releaseRow = db.prepare('UPDATE leader_lease SET holder = NULL WHERE name = @name AND holder = @holder AND epoch = @epoch');
    this.readRow = db.prepare('SELECT holder, epoch, acquired_at, renewed_at, lease_ms FROM leader_lease WHERE name = ?');
  }

  acquire(name: string, holder: string, leaseMs: number): Promise<{ epoch: number; acquiredAt: string } | null> {
    return settle(() => {
      this.insertRow.run(name);
      const row = this.takeRow.get({ name, holder, at: this.now().toISOString(), leaseMs });
      return row ? { epoch: row.epoch, acquiredAt: row.acquired_at } : null;
    });
  }

  renew(name: string, holder: string, epoch: number): Promise<boolean> {
    return settle(() => this.renewRow.run({ name, holder, epoch, at: this.now().toISOString() }).changes === 1);
  }

  release(name: string, holder: string, epoch: number): Promise<void> {
    return settle(() => {
      this.releaseRow.run({ name, holder, epoch });
    });
  }

  read(name: string): Promise<LeaseRecord | null> {
    return settle(() => {
      const row = this.readRow.get(name);
      return row ? { holder: row.holder, epoch: row.epoch, acquiredAt: row.acquired_at, renewedAt: row.renewed_at, leaseMs: row.lease_ms } : null;
    });
  }
}

/** In-process notifications only: the one orchestrator on this file hears its own changes. */
export class LocalChangeFeed implements ChangeFeed {
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();

  constructor(private readonly settings: SettingRepository) {}

  async publish<T>(key: string, value: T, channel: string, payload: string): Promise<void> {
    await this.settings.set(key, value, { channel, payload });
  }

  async notify(channel: string, payload = ''): Promise<void> {
    this.deliver({ channel, payload });
  }

  /** Calls the listeners of a notice's channel; one that throws does not fail the write that sent it. */
  deliver(notice: ChangeNotice): void {
    for (const listener of this.listeners.get(notice.channel) ?? []) {
      try {
        listener(notice.payload ?? '');
      } catch {
        // A listener's failure is its own: the write is committed.
      }
    }
  }

  async listen(channel: string, listener: (payload: string) => void): Promise<() => void> {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    return () => set.delete(listener);
  }
}
