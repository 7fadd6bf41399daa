/**
 * The shared inventory with real processes (SPEC 9): three built orchestrators on one PostgreSQL database
 * and a real fleet over loopback HTTP. Registrations live in the database (stored before they are
 * acknowledged, counted against MAX_REGISTRATIONS across replicas, kept across a kill -9 of the leader),
 * and followers serve what the leader observed, not only what is declared.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { acquirePostgresServer, createTestDatabase, type PostgresServer, type TestDatabase } from '../src/store/testing/postgres';
import { startChild, stopChild, writeLoadIndependentPolicy, type ChildOrchestrator } from './support/child';
import { demoSpecs, requestJson, startFleet, tempFleetDir, type Fleet } from './support/fleet';
import { eventually } from './support/system';

type Json = Record<string, any>;

const IDS = ['orch-1', 'orch-2', 'orch-3'] as const;
type ReplicaId = (typeof IDS)[number];
/** Scenarios no file declares: they exist only by registering. */
const REGISTERED = ['reg-0001', 'reg-0002'];

jest.setTimeout(90_000);

describe('the inventory shared by three replicas', () => {
  let server: PostgresServer;
  let database: TestDatabase;
  /** Reads the database directly, to see rows go. */
  let pool: Pool;
  let fleet: Fleet;
  let workDir: string;
  let cleanupDir: () => Promise<void>;
  const replicas = new Map<ReplicaId, ChildOrchestrator>();
  let env: Record<string, string>;

  const url = (id: ReplicaId) => replicas.get(id)!.url;
  const status = async (id: ReplicaId): Promise<Json> => (await requestJson(`${url(id)}/api/v1/status`)).body as Json;
  const scenario = async (id: ReplicaId, scenarioId: string): Promise<Json> => (await requestJson(`${url(id)}/api/v1/scenarios/${scenarioId}`)).body as Json;
  const start = async (id: ReplicaId) => replicas.set(id, await startChild({ ...env, REPLICA_ID: id, DATA_DIR: join(workDir, id) }, 30_000));
  const leaderAmong = async (ids: readonly ReplicaId[]): Promise<ReplicaId | null> => {
    for (const id of ids) if ((await status(id).catch(() => null))?.role === 'leader') return id;
    return null;
  };
  const register = (id: ReplicaId, scenarioId: string, ttlSeconds = 300) =>
    requestJson(`${url(id)}/api/v1/registrations`, { id: scenarioId, endpoint: fleet.scenarios.find((s) => s.id === scenarioId)?.url ?? 'http://127.0.0.1:9', ttlSeconds });
  const activate = (id: ReplicaId, scenarioId: string) => requestJson(`${url(id)}/api/v1/scenarios/${scenarioId}/activate`, {});

  beforeAll(async () => {
    server = await acquirePostgresServer();
    database = await createTestDatabase(server.url);
    pool = new Pool({ connectionString: database.url, max: 1 });
    fleet = await startFleet([...demoSpecs(3), ...REGISTERED.map((id) => ({ id, service: { tags: ['demo'] } }))]);
    // Only the demo scenarios have files; the registered ones announce themselves.
    const dir = await tempFleetDir({ scenarios: fleet.scenarios.filter((s) => !REGISTERED.includes(s.id)) });
    cleanupDir = dir.cleanup;
    workDir = await mkdtemp(join(tmpdir(), 'mo-ha-inventory-'));
    const policy = await writeLoadIndependentPolicy(workDir);
    env = { DATABASE_URL: database.url, SCENARIOS_DIR: dir.dir, POLICY_FILE: policy, RESYNC_INTERVAL: '2s', LOG_LEVEL: 'warn', RATE_LIMIT: '1000000/min', MAX_REGISTRATIONS: '2' };
    await start('orch-1');
    await eventually(async () => (await status('orch-1')).role === 'leader', 'orch-1 leads', 15_000);
    await Promise.all([start('orch-2'), start('orch-3')]);
  }, 120_000);

  afterAll(async () => {
    for (const child of replicas.values()) await stopChild(child);
    await fleet?.stop();
    await cleanupDir?.();
    await pool?.end();
    await database?.drop().catch(() => undefined);
    await server?.release();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it("a follower shows the observed state of a scenario the leader activated within 1-2 s, and every replica's /status counts it", async () => {
    expect((await activate('orch-1', 'demo-0001')).status).toBe(200);
    await eventually(() => fleet.stateOf('demo-0001') === 'active', 'demo-0001 active', 5_000);
    const activatedAt = Date.now();
    await eventually(async () => (await scenario('orch-3', 'demo-0001')).observedState === 'active', 'orch-3 shows demo-0001 observed active', 2_000);
    expect(Date.now() - activatedAt).toBeLessThan(2_000);
    const shown = await scenario('orch-2', 'demo-0001');
    expect(shown).toMatchObject({ isActive: true, observedState: 'active', desiredState: 'active', inFlight: null });
    await eventually(async () => (await status('orch-3')).activeScenarios === 1, "orch-3's /status counts it active", 2_000);
    // Followers do not scan: they list what the leader discovered, which the shared log records once.
    expect(((await requestJson(`${url('orch-2')}/api/v1/scenarios`)).body as Json).scenarios.map((s: Json) => s.id)).toEqual(['demo-0001', 'demo-0002', 'demo-0003']);
    const log = (await requestJson(`${url('orch-2')}/api/v1/activity?scenario=demo-0002&category=discovery`)).body as Json;
    expect(log.entries.filter((entry: Json) => entry.message.startsWith('Discovered scenario demo-0002'))).toHaveLength(1);
  });

  it("a follower's live stream tells its dashboard when the leader's observations change", async () => {
    const controller = new AbortController();
    const response = await fetch(`${url('orch-3')}/api/v1/events`, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      text = '';
      expect((await activate('orch-1', 'demo-0003')).status).toBe(200);
      await eventually(() => text.includes('event: state'), 'event: state on the follower', 2_000);
    } finally {
      controller.abort();
      await reading;
    }
  });

  it('a registration through a follower is stored, reaches the leader at once, and the leader activates it', async () => {
    const reply = await register('orch-2', 'reg-0001');
    expect(reply.status).toBe(200);
    await eventually(async () => ((await requestJson(`${url('orch-1')}/api/v1/registrations`)).body as Json).registrations.some((r: Json) => r.id === 'reg-0001'), 'the leader has it', 1_000);
    expect((await activate('orch-3', 'reg-0001')).status).toBe(200);
    await eventually(() => fleet.stateOf('reg-0001') === 'active', 'reg-0001 activated by the leader', 5_000);
    expect(fleet.stats('reg-0001').calls.at(-1)).toMatchObject({ leader: 'orch-1' });
    await eventually(async () => (await scenario('orch-2', 'reg-0001')).observedState === 'active', 'orch-2 shows reg-0001 active', 2_000);
  });

  it('refuses a registration that would take over a file-discovered id, on any replica', async () => {
    for (const id of IDS) expect((await register(id, 'demo-0002')).status).toBe(409);
  });

  it('counts MAX_REGISTRATIONS in the database, across replicas; a renewal is never refused', async () => {
    expect((await register('orch-3', 'reg-0002')).status).toBe(200);
    // Two live (the limit): a third id is refused on every replica, whichever accepted the first two.
    for (const id of IDS) expect((await register(id, 'reg-0003')).status).toBe(429);
    expect((await register('orch-1', 'reg-0002')).status).toBe(200);
    expect((await requestJson(`${url('orch-1')}/api/v1/registrations/reg-0002`, undefined, 'DELETE')).status).toBe(200);
    await eventually(async () => ((await requestJson(`${url('orch-3')}/api/v1/registrations`)).body as Json).registrations.length === 1, 'the unregistration reaches orch-3', 1_000);
  });

  it('a registration expires on every replica at its TTL, the leader deletes its row, and the log says so once', async () => {
    expect((await register('orch-2', 'reg-0002', 1)).status).toBe(200);
    await eventually(async () => (await scenario('orch-1', 'reg-0002')).id === 'reg-0002', 'the leader lists reg-0002', 1_000);
    const stored = async () => Number((await pool.query("SELECT count(*) AS n FROM registrations WHERE id = 'reg-0002'")).rows[0].n);
    expect(await stored()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    for (const id of IDS) {
      const live = ((await requestJson(`${url(id)}/api/v1/registrations`)).body as Json).registrations.map((r: Json) => r.id);
      expect({ id, live }).toEqual({ id, live: ['reg-0001'] });
    }
    await eventually(async () => (await stored()) === 0, 'the leader deleted the expired row', 2_000);
    const expiries = async () => {
      const log = (await requestJson(`${url('orch-3')}/api/v1/activity?scenario=reg-0002&category=discovery`)).body as Json;
      return log.entries.filter((entry: Json) => /expired/.test(entry.message)).length;
    };
    await eventually(async () => (await expiries()) > 0, 'the expiry in the activity log', 3_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await expiries()).toBe(1);
  });

  it('kill -9 of the leader: the new leader still has the registration and drives it', async () => {
    const old = (await leaderAmong(IDS))!;
    const survivors = IDS.filter((id) => id !== old);
    await stopChild(replicas.get(old)!, true);
    replicas.delete(old);
    // Turned off behind the orchestrators' back: the new leader must find it so and activate it again.
    fleet.configure('reg-0001', { state: 'inactive' });
    const since = Date.now();
    await eventually(async () => (await leaderAmong(survivors)) !== null, 'a follower takes over', 15_000);
    const next = (await leaderAmong(survivors))!;
    expect(((await requestJson(`${url(next)}/api/v1/registrations`)).body as Json).registrations.map((r: Json) => r.id)).toEqual(['reg-0001']);
    // The new leader starts from Unknown and drives the registered scenario to what is desired: still active.
    await eventually(() => fleet.stats('reg-0001').calls.some((call) => call.method === 'POST' && call.leader === next && Date.parse(call.at) >= since && call.status === 200), `${next} activates reg-0001`, 10_000);
    await eventually(() => fleet.stateOf('reg-0001') === 'active', 'reg-0001 active under the new leader', 5_000);
    // The other survivor follows the new leader's inventory, registered scenarios included.
    const follower = survivors.find((id) => id !== next)!;
    await eventually(async () => (await scenario(follower, 'reg-0001')).observedState === 'active', `${follower} shows reg-0001 active`, 3_000);
  });
});
