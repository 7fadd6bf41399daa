import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityInput } from '../activity/activity';
import { openPostgresStore, openSqliteStore } from '../store/open-store';
import type { PostgresStore } from '../store/postgres.store';
import { acquirePostgresServer, createTestDatabase, type PostgresServer, type TestDatabase } from '../store/testing/postgres';
import type { NotificationEvent } from '../notify/notification';
import { ELECTION_NAME, LeaderElector, type ElectorOptions } from './leader-elector';
import { notifyLeaderChanges } from './leader-notifications';

const TIMINGS = { leaseMs: 1_000, renewDeadlineMs: 700, retryMs: 100 };

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('LeaderElector on PostgreSQL', () => {
  let server: PostgresServer;
  let database: TestDatabase;
  let store: PostgresStore;
  const electors: LeaderElector[] = [];
  const entries: ActivityInput[] = [];
  const elector = (id: string, options: Partial<ElectorOptions> = {}) => {
    const made = new LeaderElector(store.lease, { record: (input) => entries.push(input) }, { id, single: false, ...TIMINGS, ...options });
    electors.push(made);
    return made;
  };

  beforeAll(async () => {
    server = await acquirePostgresServer();
  }, 120_000);
  afterAll(() => server?.release(), 60_000);
  beforeEach(async () => {
    database = await createTestDatabase(server.url);
    store = await openPostgresStore(database.url);
    entries.length = 0;
  });
  afterEach(async () => {
    await Promise.all(electors.splice(0).map((made) => made.stop()));
    await store.close();
    await database.drop();
  });

  it('sends leader.changed from the replica that takes the lead, naming the one before it', async () => {
    const events: NotificationEvent[] = [];
    const a = elector('a');
    const b = elector('b');
    for (const made of [a, b]) notifyLeaderChanges(made, { notify: (event) => events.push(event) });
    await a.start();
    await until(() => a.role === 'leader', 'a leading');
    await b.start();
    await until(() => b.leader?.id === 'a', 'b knowing a');
    const first = a.fence()!.epoch;
    await a.stop();
    await until(() => b.role === 'leader', 'b taking over');
    expect(events.map((event) => [event.event, event.message])).toEqual([
      ['leader.changed', `a leads at epoch ${first}`],
      ['leader.changed', `b leads at epoch ${first + 1} (after a, epoch ${first})`],
    ]);
  });

  it('elects exactly one of two, and the other takes over at once with a higher epoch when the leader releases', async () => {
    const a = elector('a');
    const b = elector('b');
    await Promise.all([a.start(), b.start()]);
    await until(() => [a.role, b.role].includes('leader'), 'a leader');
    const [leader, follower] = a.role === 'leader' ? [a, b] : [b, a];
    expect(follower.role).toBe('follower');
    await until(() => follower.leader?.id === leader.id, 'the follower knowing the leader');
    const first = leader.fence()!.epoch;
    await leader.stop();
    expect((await store.lease.read(ELECTION_NAME))?.holder).not.toBe(leader.id);
    await until(() => follower.role === 'leader', 'the follower taking over', 1_000);
    expect(follower.fence()!.epoch).toBe(first + 1);
    expect(entries.filter((entry) => entry.category === 'leader').map((entry) => entry.data?.action)).toEqual(['elected', 'stepped-down', 'elected']);
  });

  it('stops answering fence() the moment its renew deadline passes on its own clock, before the lease can be taken', async () => {
    let now = 0;
    const lead = elector('a', { monotonic: () => now });
    await lead.start();
    expect(lead.fence()).toEqual({ epoch: expect.any(Number), leader: 'a' });
    const follows: string[] = [];
    lead.onLeadership({ follow: (reason) => follows.push(reason) });
    // As a process paused (SIGSTOP) past its deadline sees it on waking: its clock jumped, no renew has run.
    now += TIMINGS.renewDeadlineMs;
    expect(lead.fence()).toBeNull();
    expect(lead.role).toBe('follower');
    expect(follows).toEqual([expect.stringContaining('renew deadline')]);
    // The lease is still its own in the database: nobody could have acquired yet.
    expect((await store.lease.read(ELECTION_NAME))?.holder).toBe('a');
  });

  it('keeps the lead while it renews, and a follower cannot take an unexpired lease', async () => {
    const a = elector('a');
    await a.start();
    const b = elector('b');
    await b.start();
    await new Promise((resolve) => setTimeout(resolve, TIMINGS.leaseMs * 2));
    expect([a.role, b.role]).toEqual(['leader', 'follower']);
    expect(b.leader).toMatchObject({ id: 'a', epoch: a.fence()!.epoch });
  });
});

describe('LeaderElector on SQLite (one orchestrator)', () => {
  it('always leads, with an epoch that grows at each start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mo-elector-'));
    try {
      const epochs: number[] = [];
      for (let run = 0; run < 2; run++) {
        const store = await openSqliteStore(dir);
        const made = new LeaderElector(store.lease, { record: () => undefined }, { id: `run-${run}`, single: true, ...TIMINGS, monotonic: () => 1e12 });
        await made.start();
        // No renewals in single-node mode: even a clock far past any deadline leaves it leading.
        expect(made.role).toBe('leader');
        epochs.push(made.fence()!.epoch);
        // A crash: no release; the next start takes the lease all the same.
        await store.close();
      }
      expect(epochs[1]).toBe(epochs[0] + 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
