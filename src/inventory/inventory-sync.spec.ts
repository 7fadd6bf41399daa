/**
 * The leader's publisher and a follower's mirror on one real PostgreSQL database, each with its own pool as
 * two replicas would have: a 10,000-scenario inventory goes over once, then a handful of changes go over as
 * a handful of rows, within a second.
 */
import type { ScenarioSpec } from '../discovery/scenario';
import { unknownRecord, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';
import { standaloneTimers } from '../schedules/scheduler-timers';
import { openPostgresStore } from '../store/open-store';
import type { PostgresStore } from '../store/postgres.store';
import { acquirePostgresServer, createTestDatabase, type PostgresServer, type TestDatabase } from '../store/testing/postgres';
import type { SeenScenario } from './inventory-diff';
import { InventoryMirror, type MirrorTarget } from './inventory-mirror';
import { InventoryPublisher } from './inventory-publisher';

const FLEET = 10_000;

const spec = (id: string): ScenarioSpec => ({
  id, name: id, displayName: id, description: '', tags: ['maintenance'], weight: 'light', canDeactivate: true, conflictsWith: [],
  stateEndpoint: '/api/maintenance/state', endpoint: 'http://127.0.0.1:1', endpointSource: 'port', endpointProblem: null, sourceFile: `/s/${id}`,
});

async function until(check: () => boolean, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

describe('publisher and mirror on PostgreSQL', () => {
  let server: PostgresServer;
  let database: TestDatabase;
  let leaderStore: PostgresStore;
  let followerStore: PostgresStore;
  const timers = standaloneTimers();
  let publisher: InventoryPublisher;
  let mirror: InventoryMirror;

  beforeAll(async () => {
    server = await acquirePostgresServer();
    database = await createTestDatabase(server.url);
    leaderStore = await openPostgresStore(database.url);
    followerStore = await openPostgresStore(database.url);
  }, 120_000);
  afterAll(async () => {
    publisher?.stop();
    mirror?.stop();
    await leaderStore?.close();
    await followerStore?.close();
    await database?.drop();
    await server?.release();
  }, 60_000);

  it('sends the whole fleet once, then only what changed, to a follower within a second', async () => {
    const verdict: ScenarioVerdict = { desired: { state: 'inactive', source: { kind: 'default' } }, target: 'inactive', reason: null, message: null };
    const seen: SeenScenario[] = Array.from({ length: FLEET }, (_, i) => ({ spec: spec(`s-${String(i).padStart(5, '0')}`), gone: false, verdict, observed: unknownRecord() }));
    const written: number[] = [];
    const inventory = leaderStore.inventory;
    publisher = new InventoryPublisher({ write: (changed, removed, options) => (written.push(changed.length + removed.length), inventory.write(changed, removed, options)) }, { seen: () => seen }, timers);

    let adopted: readonly ScenarioSpec[] = [];
    const target: MirrorTarget = { adoptScan: (specs) => (adopted = specs), forget: () => undefined, observed: new Map<string, ObservedRecord>(), verdicts: () => new Map(), changed: () => undefined };
    mirror = new InventoryMirror(followerStore, target, () => false, timers);
    await mirror.start();

    publisher.start();
    const firstMs = await until(() => adopted.length === FLEET, 'the follower lists the fleet', 20_000);
    expect(written).toEqual([FLEET]);
    // The first write of the whole fleet earns its gap (up to 2 s) before the next: a quiet fleet's change comes after it.
    await new Promise((resolve) => setTimeout(resolve, publisher.delayMs()));

    for (const index of [7, 4_242, 9_999]) {
      const record = seen[index].observed!;
      record.state = 'active';
      record.lastAck = 'active';
      publisher.changed();
    }
    const changeMs = await until(() => target.observed.get('s-09999')?.state === 'active' && target.observed.get('s-00007')?.state === 'active', 'the follower sees the change', 1_000);
    expect(written).toEqual([FLEET, 3]);
    expect(target.observed.get('s-04242')).toMatchObject({ state: 'active', lastAck: 'active', retryAt: null });
    expect(target.observed.get('s-00001')).toMatchObject({ state: 'unknown' });
    // For the record: how long the first publication and a change took on this machine.
    process.stdout.write(`inventory of ${FLEET}: first publication seen by the follower in ${firstMs} ms, a change in ${changeMs} ms\n`);
  }, 60_000);
});
