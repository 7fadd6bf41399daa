/**
 * Nothing acknowledged is lost on a crash: a child orchestrator takes a stream of preset creations and
 * activations, is killed with SIGKILL mid-stream, and restarts on the same DATA_DIR.
 */
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestJson, startFleet, tempFleetDir, demoSpecs, type Fleet } from './support/fleet';
import { startChild, stopChild, writeLoadIndependentPolicy } from './support/child';
import { activeIds, eventually } from './support/system';

type Json = Record<string, any>;

describe('crash safety', () => {
  let fleet: Fleet;
  let dataDir: string;
  let cleanupFleet: () => Promise<void>;
  let env: Record<string, string>;

  beforeAll(async () => {
    fleet = await startFleet(demoSpecs(6));
    const scenarios = await tempFleetDir(fleet);
    cleanupFleet = scenarios.cleanup;
    dataDir = await mkdtemp(join(tmpdir(), 'mo-crash-'));
    const policy = await writeLoadIndependentPolicy(dataDir);
    env = { DATA_DIR: dataDir, SCENARIOS_DIR: scenarios.dir, POLICY_FILE: policy, RESYNC_INTERVAL: '1s' };
  });
  afterAll(async () => {
    await fleet.stop();
    await cleanupFleet();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and drives everything inactive again after kill -9', async () => {
    const first = await startChild(env);
    const acknowledged: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const id = `crash-${i}`;
        try {
          const reply = await requestJson(`${first.url}/api/v1/presets`, { name: id, names: [`demo-000${(i % 6) + 1}`] });
          if (reply.status === 201) acknowledged.push(id);
          await requestJson(`${first.url}/api/v1/scenarios/demo-000${(i % 6) + 1}/${i % 2 ? 'deactivate' : 'activate'}`, {});
        } catch {
          return; // the server is gone
        }
      }
    })();
    await eventually(() => acknowledged.length >= 40, '40 acknowledged preset creations', 20_000);
    await eventually(() => activeIds(fleet).length > 0, 'some scenario active before the crash', 5_000);
    await stopChild(first, true);
    stop = true;
    await writer;

    const file = join(dataDir, 'orchestrator.sqlite');
    const second = await startChild(env);
    try {
      const presets = ((await requestJson(`${second.url}/api/v1/presets`)).body as Json).presets.map((p: Json) => p.id);
      for (const id of acknowledged) expect(presets).toContain(id);
      const activity = (await requestJson(`${second.url}/api/v1/activity?category=api&limit=1000`)).body as Json;
      const logged = activity.entries.map((e: Json) => e.message).join('\n');
      for (const id of acknowledged) expect(logged).toContain(`preset ${id} created`);
      await eventually(() => activeIds(fleet).length === 0, 'every scenario driven inactive after the restart', 10_000);
      const status = (await requestJson(`${second.url}/api/v1/status`)).body as Json;
      expect(status).toMatchObject({ activeScenarios: 0, appliedPresets: [], overrides: {} });
    } finally {
      await stopChild(second);
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
