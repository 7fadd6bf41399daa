/**
 * Writes through any replica reach every replica and the leader acts on them (SPEC 9), with real processes:
 * three built orchestrators on one PostgreSQL database (the shared server, else a cluster of our own) and a
 * demo fleet over loopback HTTP. Custom presets, the policy, schedules and TTL overrides are written through
 * followers; every replica's GET must show them within a second, and only the leader calls scenarios and
 * expires TTLs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePostgresServer, createTestDatabase, type PostgresServer, type TestDatabase } from '../src/store/testing/postgres';
import { startChild, stopChild, writeLoadIndependentPolicy, type ChildOrchestrator } from './support/child';
import { demoSpecs, requestJson, startFleet, tempFleetDir, type Fleet } from './support/fleet';
import { activeIds, eventually } from './support/system';

type Json = Record<string, any>;

const IDS = ['orch-1', 'orch-2', 'orch-3'] as const;
type ReplicaId = (typeof IDS)[number];
/** Load-independent limits, as in the policy file: a PUT replaces the whole policy, so it carries them too. */
const LIMITS = { resourceLimits: { cpuLoadPercent: 1000, memoryPercent: 100 } };

jest.setTimeout(60_000);

describe('writes through followers propagate to every replica, and the leader acts on them', () => {
  let server: PostgresServer;
  let database: TestDatabase;
  let fleet: Fleet;
  let workDir: string;
  let cleanupFleet: () => Promise<void>;
  const replicas = new Map<ReplicaId, ChildOrchestrator>();

  const url = (id: ReplicaId) => replicas.get(id)!.url;
  const get = async (id: ReplicaId, path: string): Promise<Json> => (await requestJson(`${url(id)}/api/v1${path}`)).body as Json;
  const send = async (id: ReplicaId, method: string, path: string, body: unknown = {}) => {
    const reply = await requestJson(`${url(id)}/api/v1${path}`, body, method);
    if (reply.status >= 300) throw new Error(`${method} ${path} on ${id}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as Json;
  };
  /** Waits until `check` holds on every replica; fails past `withinMs` after `since`. */
  const onEveryReplica = async (what: string, check: (id: ReplicaId) => Promise<boolean>, since: number, withinMs = 1_000) => {
    await eventually(async () => (await Promise.all(IDS.map(check))).every(Boolean), `${what} on every replica`, withinMs + 2_000);
    expect(Date.now() - since).toBeLessThan(withinMs);
  };
  /** Scenario calls by anyone but the leader, orch-1. */
  const callsByOthers = () => fleet.scenarios.flatMap((scenario) => fleet.stats(scenario.id).calls.filter((call) => call.leader !== 'orch-1'));

  beforeAll(async () => {
    server = await acquirePostgresServer();
    database = await createTestDatabase(server.url);
    fleet = await startFleet(demoSpecs(8));
    const scenarios = await tempFleetDir(fleet);
    cleanupFleet = scenarios.cleanup;
    workDir = await mkdtemp(join(tmpdir(), 'mo-ha-propagation-'));
    const env = { DATABASE_URL: database.url, SCENARIOS_DIR: scenarios.dir, POLICY_FILE: await writeLoadIndependentPolicy(workDir), RESYNC_INTERVAL: '1h', LOG_LEVEL: 'warn', RATE_LIMIT: '1000000/min' };
    const start = async (id: ReplicaId) => replicas.set(id, await startChild({ ...env, REPLICA_ID: id, DATA_DIR: join(workDir, id) }, 30_000));
    // orch-1 first, so it leads; then the two followers.
    await start('orch-1');
    await eventually(async () => (await get('orch-1', '/status')).role === 'leader', 'orch-1 leads', 15_000);
    await Promise.all([start('orch-2'), start('orch-3')]);
    expect((await get('orch-2', '/status')).role).toBe('follower');
  }, 120_000);

  afterAll(async () => {
    for (const child of replicas.values()) await stopChild(child);
    await fleet?.stop();
    await cleanupFleet?.();
    await database?.drop();
    await server?.release();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }, 60_000);

  afterEach(() => expect(callsByOthers()).toEqual([]));

  it('a policy PUT on a follower is on every replica within 1 s, and the leader obeys it', async () => {
    const since = Date.now();
    await send('orch-2', 'PUT', '/policy', { spec: { ...LIMITS, maxActive: 1 } });
    await onEveryReplica('maxActive 1', async (id) => (await get(id, '/policy')).policy.maxActive === 1, since);

    await send('orch-3', 'PUT', '/desired-state', { overrides: { 'demo-0001': { state: 'active' }, 'demo-0002': { state: 'active' } }, confirm: true });
    await eventually(() => activeIds(fleet).length === 1, 'one of the two active', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(activeIds(fleet)).toEqual(['demo-0001']);

    // Lifted through the other follower: the leader starts the second at once, not at its next resync (an hour).
    await send('orch-3', 'PUT', '/policy', { spec: LIMITS });
    await eventually(() => activeIds(fleet).length === 2, 'both active once maxActive is lifted', 3_000);
    await send('orch-2', 'PUT', '/desired-state', { overrides: {}, confirm: true });
    await eventually(() => activeIds(fleet).length === 0, 'all inactive again', 5_000);
  });

  it('a custom preset created on a follower is applied through the other, and the leader activates its scenarios', async () => {
    const since = Date.now();
    await send('orch-2', 'POST', '/presets', { name: 'ha-batch', names: ['demo-0003', 'demo-0004'] });
    await onEveryReplica('the preset', async (id) => (await requestJson(`${url(id)}/api/v1/presets/ha-batch`)).status === 200, since);

    await send('orch-3', 'POST', '/presets/ha-batch/apply', { confirm: true });
    await eventually(() => activeIds(fleet).join() === 'demo-0003,demo-0004', 'the preset\'s scenarios active', 5_000);
    await send('orch-3', 'POST', '/presets/ha-batch/remove', { confirm: true });
    await eventually(() => activeIds(fleet).length === 0, 'the preset\'s scenarios inactive', 5_000);

    const deleted = Date.now();
    await send('orch-3', 'DELETE', '/presets/ha-batch');
    await onEveryReplica('the preset gone', async (id) => (await requestJson(`${url(id)}/api/v1/presets/ha-batch`)).status === 404, deleted);
  });

  it('a schedule created and deleted on a follower is on, then off, every replica within 1 s', async () => {
    const schedule = { name: 'new-year', kind: 'allow', preset: 'minimal', cron: '0 3 1 1 *', duration: '1h', timeZone: 'UTC' };
    const names = async (id: ReplicaId) => ((await get(id, '/schedules')).schedules as Json[]).map((entry) => entry.name);
    const created = Date.now();
    await send('orch-3', 'POST', '/schedules', schedule);
    await onEveryReplica('the schedule', async (id) => (await names(id)).includes('new-year'), created);
    const deleted = Date.now();
    await send('orch-2', 'DELETE', '/schedules/new-year');
    await onEveryReplica('the schedule gone', async (id) => !(await names(id)).includes('new-year'), deleted);
  });

  it('a short-TTL override set on a follower expires exactly once, by the leader, and is gone everywhere', async () => {
    await send('orch-2', 'PUT', '/desired-state', { overrides: { 'demo-0005': { state: 'active', ttl: '2s' } }, confirm: true });
    await eventually(() => fleet.stateOf('demo-0005') === 'active', 'demo-0005 active', 5_000);
    await eventually(() => fleet.stateOf('demo-0005') === 'inactive', 'demo-0005 back to inactive after its TTL', 6_000);
    const gone = Date.now();
    await onEveryReplica('the override gone', async (id) => (await get(id, '/desired-state')).overrides?.['demo-0005'] === undefined, gone);
    // Passes keep running on every replica meanwhile; none of them may expire it again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const id of IDS) {
      const log = await get(id, '/activity?scenario=demo-0005&category=action');
      const expiries = (log.entries as Json[]).filter((entry) => entry.data?.action === 'expire');
      expect(expiries).toHaveLength(1);
    }
  });
});
