/**
 * High availability with real processes (SPEC 9): three built orchestrators on one PostgreSQL database (a
 * throwaway cluster of our own, so the shared server may be absent) and the demo fleet over loopback HTTP.
 * The fleet logs every state POST on arrival with its X-Maintenance-Epoch and X-Maintenance-Leader: that log
 * is what the fencing assertions read.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../src/store/testing/postgres';
import { startChild, stopChild, type ChildOrchestrator } from './support/child';
import { demoSpecs, requestJson, startFleet, tempFleetDir, type Fleet, type StateCall } from './support/fleet';
import { activeIds, eventually } from './support/system';

type Json = Record<string, any>;

const IDS = ['orch-1', 'orch-2', 'orch-3'] as const;
type ReplicaId = (typeof IDS)[number];
/** Two of the fleet declared in conflict: never both active, across a failover too. */
const CONFLICT = ['demo-0099', 'demo-0100'];

jest.setTimeout(120_000);

describe('three replicas on one PostgreSQL database', () => {
  let cluster: PostgresCluster;
  let fleet: Fleet;
  let workDir: string;
  let cleanupFleet: () => Promise<void>;
  const replicas = new Map<ReplicaId, ChildOrchestrator>();
  let env: Record<string, string>;

  const url = (id: ReplicaId) => replicas.get(id)!.url;
  const status = async (id: ReplicaId): Promise<Json> => (await requestJson(`${url(id)}/api/v1/status`)).body as Json;
  const start = async (id: ReplicaId) => replicas.set(id, await startChild({ ...env, REPLICA_ID: id, DATA_DIR: join(workDir, id) }, 30_000));
  /** Every state POST the fleet received, in arrival order. */
  const calls = (): (StateCall & { scenario: string })[] =>
    fleet.scenarios.flatMap((scenario) => fleet.stats(scenario.id).calls.map((call) => ({ ...call, scenario: scenario.id }))).sort((a, b) => a.seq - b.seq);
  const lastSeq = () => calls().reduce((max, call) => Math.max(max, call.seq), 0);
  /** The replica whose /status says it leads, among those alive (and not paused). */
  const leaderAmong = async (ids: readonly ReplicaId[]): Promise<{ id: ReplicaId; epoch: number } | null> => {
    for (const id of ids) {
      const body = await status(id).catch(() => null);
      if (body?.role === 'leader') return { id, epoch: body.leader.epoch };
    }
    return null;
  };
  const setOverrides = (id: ReplicaId, active: readonly string[]) =>
    requestJson(`${url(id)}/api/v1/desired-state`, { overrides: Object.fromEntries(active.map((scenario) => [scenario, { state: 'active' }])), confirm: true }, 'PUT');

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    fleet = await startFleet(demoSpecs(100));
    const scenarios = await tempFleetDir(fleet);
    cleanupFleet = scenarios.cleanup;
    workDir = await mkdtemp(join(tmpdir(), 'mo-ha-'));
    const policy = join(workDir, 'policy.yaml');
    await writeFile(
      policy,
      `apiVersion: maintenance/v1\nkind: Policy\nspec:\n  resourceLimits: {cpuLoadPercent: 1000, memoryPercent: 100}\n  conflicts: [[${CONFLICT.join(', ')}]]\n  bulkConfirmThreshold: 1000\n`,
    );
    env = { DATABASE_URL: cluster.url, SCENARIOS_DIR: scenarios.dir, POLICY_FILE: policy, RESYNC_INTERVAL: '2s', MAX_IN_FLIGHT: '8', LOG_LEVEL: 'warn', RATE_LIMIT: '1000000/min' };
    // orch-1 first, so it leads; then the two followers.
    await start('orch-1');
    await eventually(async () => (await status('orch-1')).role === 'leader', 'orch-1 leads', 15_000);
    await Promise.all([start('orch-2'), start('orch-3')]);
  });

  afterAll(async () => {
    for (const child of replicas.values()) {
      child.process.kill('SIGCONT');
      await stopChild(child);
    }
    await fleet?.stop();
    await cleanupFleet?.();
    await cluster?.stop({ remove: true });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('1: an apply through replica 2 is carried out by the leader, replica 1, and visible on replica 3 within 1 s', async () => {
    expect((await status('orch-2')).role).toBe('follower');
    expect((await status('orch-3')).leader).toMatchObject({ id: 'orch-1' });
    const epoch = (await status('orch-1')).leader.epoch as number;
    const reply = await setOverrides('orch-2', ['demo-0001']);
    expect(reply.status).toBe(200);
    const written = Date.now();
    await eventually(async () => ((await requestJson(`${url('orch-3')}/api/v1/desired-state`)).body as Json).overrides?.['demo-0001']?.state === 'active', 'the override on replica 3', 1_000);
    expect(Date.now() - written).toBeLessThan(1_000);
    await eventually(() => fleet.stateOf('demo-0001') === 'active', 'demo-0001 activated', 5_000);
    const accepted = fleet.stats('demo-0001').calls.filter((call) => call.status === 200);
    expect(accepted.at(-1)).toMatchObject({ leader: 'orch-1', epoch });
    // Only the leader ever called a scenario.
    expect(new Set(calls().map((call) => call.leader))).toEqual(new Set(['orch-1']));
    // The activity log records the action with its epoch (written after the answer, in the leader's next flush).
    const logged = async () => {
      const log = (await requestJson(`${url('orch-3')}/api/v1/activity?scenario=demo-0001&category=action`)).body as Json;
      return log.entries.some((entry: Json) => entry.data?.epoch === epoch && entry.data?.action === 'activate');
    };
    await eventually(logged, 'the activation in the activity log with its epoch', 3_000);
  });

  it('3: a leader paused longer than its lease does not call a single scenario after waking, and follows', async () => {
    const paused = (await leaderAmong(IDS))!;
    const child = replicas.get(paused.id)!;
    const others = IDS.filter((id) => id !== paused.id);
    child.process.kill('SIGSTOP');
    const stoppedAt = lastSeq();
    try {
      await eventually(async () => (await leaderAmong(others)) !== null, 'a follower takes over', 15_000);
      const next = (await leaderAmong(others))!;
      expect(next.epoch).toBeGreaterThan(paused.epoch);
      // The new leader acts while the old one is still paused, past its lease.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await setOverrides(next.id, ['demo-0001', 'demo-0002'])).status).toBe(200);
      await eventually(() => fleet.stateOf('demo-0002') === 'active', 'demo-0002 activated by the new leader', 5_000);
    } finally {
      child.process.kill('SIGCONT');
    }
    // Awake: it must see its deadline passed before anything else, and a write through it changes nothing of that.
    await eventually(async () => (await status(paused.id).catch(() => null))?.role === 'follower', 'the woken replica follows', 10_000);
    expect((await setOverrides(paused.id, ['demo-0001', 'demo-0002', 'demo-0003'])).status).toBe(200);
    await eventually(() => fleet.stateOf('demo-0003') === 'active', 'demo-0003 activated by the leader', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const late = calls().filter((call) => call.seq > stoppedAt && call.leader === paused.id);
    expect(late).toEqual([]);
    const leader = (await status(paused.id)).leader;
    expect(leader.id).not.toBe(paused.id);
  });

  it('2: kill -9 of the leader mid-apply of 100 scenarios; a follower finishes it, fenced and without conflicts', async () => {
    for (const scenario of fleet.scenarios) fleet.setDelay(scenario.id, 250);
    const all = fleet.scenarios.map((scenario) => scenario.id);
    const old = (await leaderAmong(IDS))!;
    const survivors = IDS.filter((id) => id !== old.id);
    const since = lastSeq();
    let bothActive = false;
    const watch = setInterval(() => {
      if (CONFLICT.every((id) => fleet.stateOf(id) === 'active')) bothActive = true;
    }, 5);
    try {
      expect((await setOverrides(survivors[0], all)).status).toBe(200);
      await eventually(() => activeIds(fleet).length >= 10, 'the apply under way', 20_000);
      expect(activeIds(fleet).length).toBeLessThan(90);
      await stopChild(replicas.get(old.id)!, true);
      replicas.delete(old.id);
      await eventually(async () => (await leaderAmong(survivors)) !== null, 'a follower takes over', 15_000);
      const next = (await leaderAmong(survivors))!;
      expect(next.epoch).toBeGreaterThan(old.epoch);
      // Every scenario active but one of the conflicting pair.
      await eventually(() => activeIds(fleet).length === 99, '99 scenarios active', 60_000);
      expect(CONFLICT.filter((id) => fleet.stateOf(id) === 'active')).toHaveLength(1);
      const after = calls().filter((call) => call.seq > since);
      const firstNewer = after.find((call) => call.epoch === next.epoch)!;
      expect(firstNewer).toBeDefined();
      const stale = after.filter((call) => call.seq > firstNewer.seq && (call.epoch ?? 0) < next.epoch);
      expect(stale).toEqual([]);
      expect(bothActive).toBe(false);
    } finally {
      clearInterval(watch);
      for (const scenario of fleet.scenarios) fleet.setDelay(scenario.id, 0);
    }
    await start(old.id);
    await eventually(async () => (await status(old.id)).role === 'follower', 'the restarted replica follows', 10_000);
  });

  it('5: every acknowledged write of a 30 s stream over the three replicas, the leader killed twice, is in the database', async () => {
    const acknowledged: string[] = [];
    let writing = true;
    const writer = async (lane: number) => {
      for (let i = 0; writing; i++) {
        const alive = IDS.filter((id) => replicas.has(id));
        const target = alive[(i + lane) % alive.length];
        const name = `stream-${lane}-${i}`;
        try {
          const reply = await requestJson(`${url(target)}/api/v1/presets`, { name, names: ['demo-0001'] });
          if (reply.status === 201) acknowledged.push(name);
        } catch {
          // A killed replica: the write was never acknowledged.
        }
      }
    };
    const lanes = [0, 1, 2].map(writer);
    for (const at of [8_000, 10_000]) {
      await new Promise((resolve) => setTimeout(resolve, at));
      const leader = (await leaderAmong(IDS.filter((id) => replicas.has(id))))!;
      await stopChild(replicas.get(leader.id)!, true);
      replicas.delete(leader.id);
      await start(leader.id);
    }
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    writing = false;
    await Promise.all(lanes);
    expect(acknowledged.length).toBeGreaterThan(100);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>("SELECT id FROM documents WHERE collection = 'presets' AND id LIKE 'stream-%'");
      const stored = new Set(rows.map((row) => row.id));
      expect(acknowledged.filter((name) => !stored.has(name))).toEqual([]);
    } finally {
      await client.end();
    }
    await eventually(async () => (await leaderAmong(IDS)) !== null, 'a leader after the stream', 15_000);
  });

  it('4: the database stopped for 20 s: writes answer 503, the leader steps down, nothing acts, and it all resumes', async () => {
    const before = (await leaderAmong(IDS))!;
    expect((await setOverrides(before.id, ['demo-0001', 'demo-0002'])).status).toBe(200);
    await eventually(() => activeIds(fleet).join(',') === 'demo-0001,demo-0002', 'the acknowledged state applied', 15_000);
    await cluster.stop();
    const stoppedAt = Date.now();
    try {
      const refused = await setOverrides(IDS[1], ['demo-0003']);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ statusCode: 503 });
      // Past the renew deadline (3 s), nobody leads.
      await eventually(async () => (await Promise.all(IDS.map(status))).every((body) => body.role === 'follower'), 'every replica follows', 6_000);
      const quietFrom = lastSeq();
      while (Date.now() - stoppedAt < 20_000) await new Promise((resolve) => setTimeout(resolve, 500));
      expect(calls().filter((call) => call.seq > quietFrom)).toEqual([]);
    } finally {
      await cluster.start();
    }
    await eventually(async () => (await leaderAmong(IDS)) !== null, 'a leader again', 20_000);
    // The acknowledged state held, and the refused write changed nothing.
    const desired = (await requestJson(`${url(IDS[2])}/api/v1/desired-state`)).body as Json;
    expect(Object.keys(desired.overrides).sort()).toEqual(['demo-0001', 'demo-0002']);
    expect((await setOverrides(IDS[2], ['demo-0003'])).status).toBe(200);
    await eventually(() => activeIds(fleet).join(',') === 'demo-0003', 'the fleet converges after', 15_000);
  });
});
