/**
 * SPEC 12's proof, with real processes: the built orchestrator (`dist/src/launch.js`) and five SDK-based
 * demo scenarios in a process of their own (`dist/examples/demo-scenario/main.js`), on loopback.
 *
 * - kill -9 of the orchestrator while all five are active: with a lease, each goes inactive on its own
 *   within the lease; with ACTIVATION_LEASE=0 they stay active (the old behaviour). The difference is printed.
 * - A scenario process restarted while active comes back inactive, and the loop activates it again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, stopChild, writeLoadIndependentPolicy, type ChildOrchestrator } from './support/child';
import { demoSpecs, requestJson, startFleet, tempFleetDir, type FleetScenario } from './support/fleet';
import { eventually } from './support/system';

type Json = Record<string, any>;

const DEMO_MAIN = join(__dirname, '..', 'dist', 'examples', 'demo-scenario', 'main.js');
const LEASE_MS = 3_000;
/** Timer and polling slack on top of the lease: the scenarios' own timers fire at the lease's end. */
const SLACK_MS = 1_000;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The demo fleet process serving every scenario of `dir` on its declared port. */
async function startScenarioProcess(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [DEMO_MAIN, '--fleet', dir], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the scenario process did not start:\n${output}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/scenarios up/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the scenario process exited with ${code}:\n${output}`));
    });
  });
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** What each scenario reports on its own state route (GET, as any client would ask). */
async function reported(scenarios: readonly FleetScenario[]): Promise<string[]> {
  return Promise.all(
    scenarios.map(async (scenario) => ((await requestJson(`${scenario.url}${scenario.stateEndpoint}`)).body as Json).maintenanceState as string),
  );
}

/** Each scenario's own counters, from the demo's control route. */
async function stats(scenarios: readonly FleetScenario[]): Promise<Json[]> {
  return Promise.all(scenarios.map(async (scenario) => (await requestJson(`${scenario.url}/__demo/stats`)).body as Json));
}

describe('activation leases with real processes', () => {
  let scenarios: readonly FleetScenario[];
  let fleetDir: { dir: string; cleanup: () => Promise<void> };
  let workDir: string;
  let policy: string;
  let scenarioProcess: ChildProcess | null = null;
  let orchestrator: ChildOrchestrator | null = null;
  const measured: string[] = [];

  beforeAll(async () => {
    for (const file of [DEMO_MAIN]) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
    // Five ports picked by the kernel, written into service.json, then handed to the scenario process.
    const probe = await startFleet(demoSpecs(5));
    scenarios = probe.scenarios;
    fleetDir = await tempFleetDir(probe);
    await probe.stop();
    workDir = await mkdtemp(join(tmpdir(), 'mo-leases-'));
    policy = await writeLoadIndependentPolicy(workDir);
  });
  beforeEach(async () => {
    scenarioProcess = await startScenarioProcess(fleetDir.dir);
  });
  afterEach(async () => {
    if (orchestrator) await stopChild(orchestrator, true);
    orchestrator = null;
    if (scenarioProcess) await kill(scenarioProcess);
    scenarioProcess = null;
  });
  afterAll(async () => {
    if (measured.length) process.stdout.write(`activation leases, kill -9 of the orchestrator with 5 active:\n${measured.map((line) => `  ${line}`).join('\n')}\n`);
    await fleetDir?.cleanup();
    await rm(workDir, { recursive: true, force: true });
  });

  /** Starts an orchestrator with `lease`, applies `full` and waits until all five report active. */
  async function allActive(lease: string): Promise<ChildOrchestrator> {
    const dataDir = await mkdtemp(join(workDir, 'data-'));
    const child = await startChild({ DATA_DIR: dataDir, SCENARIOS_DIR: fleetDir.dir, POLICY_FILE: policy, RESYNC_INTERVAL: '1s', ACTIVATION_LEASE: lease });
    orchestrator = child;
    const reply = await requestJson(`${child.url}/api/v1/presets/full/apply`, { confirm: true });
    expect(reply.status).toBe(200);
    await eventually(async () => (await reported(scenarios)).every((state) => state === 'active'), 'all five active', 10_000);
    return child;
  }

  it('drives every scenario inactive within the lease after kill -9 of the orchestrator', async () => {
    const child = await allActive(`${LEASE_MS}ms`);
    // Let at least one round of renewals happen, so the leases that run out are renewed ones.
    await sleep(LEASE_MS);
    expect(await reported(scenarios)).toEqual(Array(5).fill('active'));
    // Start-up deactivation, activation, and at least one renewal each.
    expect(Math.min(...(await stats(scenarios)).map((s) => s.posts as number))).toBeGreaterThanOrEqual(3);
    await stopChild(child, true);
    const killedAt = Date.now();
    let states = await reported(scenarios);
    while (states.some((state) => state !== 'inactive') && Date.now() - killedAt < LEASE_MS + SLACK_MS) {
      await sleep(POLL_MS);
      states = await reported(scenarios);
    }
    const elapsed = Date.now() - killedAt;
    expect(states).toEqual(Array(5).fill('inactive'));
    expect(elapsed).toBeLessThanOrEqual(LEASE_MS + SLACK_MS);
    // On their own: each lease ran out, nothing deactivated them.
    expect((await stats(scenarios)).map((s) => [s.expiredLeases, s.leaseExpiresAt])).toEqual(Array(5).fill([1, null]));
    measured.push(`ACTIVATION_LEASE=${LEASE_MS / 1000}s: all 5 inactive ${elapsed} ms after the kill (lease ${LEASE_MS} ms)`);
  });

  it('leaves every scenario active after kill -9 when ACTIVATION_LEASE is 0 (the behaviour before leases)', async () => {
    const child = await allActive('0');
    await stopChild(child, true);
    const killedAt = Date.now();
    await sleep(LEASE_MS + SLACK_MS);
    const states = await reported(scenarios);
    expect(states).toEqual(Array(5).fill('active'));
    expect((await stats(scenarios)).map((s) => [s.expiredLeases, s.leaseExpiresAt])).toEqual(Array(5).fill([0, null]));
    measured.push(`ACTIVATION_LEASE=0: ${states.filter((state) => state === 'active').length} of 5 still active ${Date.now() - killedAt} ms after the kill`);
  });

  it('activates again a scenario that was restarted while active and came back inactive', async () => {
    // A long lease, so no renewal lands first: the resync (every second) must see the drift.
    const child = await allActive('30s');
    await kill(scenarioProcess!);
    scenarioProcess = await startScenarioProcess(fleetDir.dir);
    await eventually(async () => (await reported(scenarios)).every((state) => state === 'active'), 'all five activated again by the loop', 10_000);
    const history = (await stats(scenarios)).map((s) => s.history.map((change: Json) => change.state));
    expect(history).toEqual(Array(5).fill(['active']));
    const activity = ((await requestJson(`${child.url}/api/v1/activity?scenario=demo-0001&limit=50`)).body as Json).entries.map((entry: Json) => entry.message);
    // The restarted scenarios reported inactive (the resync may first have found the port closed).
    expect(activity.join('\n')).toMatch(/observed inactive \(was (active|unreachable)\)/);
    expect((await requestJson(`${child.url}/api/v1/scenarios/demo-0001`)).body).toMatchObject({ isActive: true, desiredState: 'active', leaseExpiresAt: expect.any(String) });
  });
});
