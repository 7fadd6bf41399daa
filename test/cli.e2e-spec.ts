/**
 * The CLI end to end, as a user runs it: the built `bin/run.js` spawned against an in-process orchestrator
 * that drives the demo fleet of examples/fleet (same ids, free ports). Checks stdout, --json, exit codes and
 * the scenarios' own state. Needs `npm run build` first (`npm test` does it).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CLI_ACTOR as ACTOR, cliAt, collect, requireBuiltCli, spawnCli } from './support/cli-runner';
import { readFleetDir, requestJson } from './support/fleet';
import { activeIds, eventually, quietWeekday, startTestSystem, type TestSystem } from './support/system';

const ROOT = join(__dirname, '..');
const ALL = ['backup-manager', 'cache-optimizer', 'code-smell', 'database-vacuum', 'dependency-audit', 'health-checker', 'log-cleanup', 'log-rotation', 'performance-monitor', 'query-analyzer', 'security-scanner'];

jest.setTimeout(60_000);

describe('maintenance-orchestrator CLI', () => {
  let system: TestSystem;
  let scratch: string;
  const { cli, json } = cliAt(() => system.url);

  beforeAll(async () => {
    requireBuiltCli();
    // The demo fleet's ids and metadata, on free ports so a running demo does not collide.
    const { specs } = await readFleetDir(join(ROOT, 'examples', 'fleet'));
    system = await startTestSystem({ specs: specs.map((spec) => ({ ...spec, port: undefined })) });
    scratch = await mkdtemp(join(tmpdir(), 'mo-cli-'));
  });

  afterAll(async () => {
    await system?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('lists every scenario as a table and as the API object', async () => {
    const [table, { run, body }] = await Promise.all([cli('list'), json<{ scenarios: { id: string }[]; total: number }>('list')]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+OBSERVED\s+DESIRED\s+TTL\s+REASON/);
    for (const id of ALL) expect(table.stdout).toMatch(new RegExp(`^${id}\\s+inactive\\s+inactive`, 'm'));
    expect(run.code).toBe(0);
    expect(body.total).toBe(ALL.length);
    expect(body.scenarios.map((scenario) => scenario.id)).toEqual(ALL);
  });

  it('prints the status object with --json, and a one-line error when no server runs', async () => {
    const closedPort = await freePort();
    const [{ run, body }, unreachable] = await Promise.all([json<Record<string, unknown>>('status'), collect(spawnCli(['list', '--url', `http://127.0.0.1:${closedPort}`]))]);
    expect(run.code).toBe(0);
    for (const key of ['health', 'maintenanceState', 'totalScenarios', 'activeScenarios', 'inactiveScenarios', 'recentActivity', 'uptime']) expect(body).toHaveProperty(key);
    expect(body.totalScenarios).toBe(ALL.length);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    expect(unreachable.stderr.trim().split('\n')).toEqual([
      `cannot reach the orchestrator at http://127.0.0.1:${closedPort}: connection refused (is it running? start it with 'npm start' or 'maintenance-orchestrator serve')`,
    ]);
  });

  it('activates and deactivates one scenario, which its own endpoint reports', async () => {
    const activated = await cli('activate', 'code-smell');
    expect(activated).toMatchObject({ code: 0, stdout: 'code-smell: active\n' });
    expect(system.fleet.stateOf('code-smell')).toBe('active');
    const deactivated = await cli('deactivate', 'code-smell');
    expect(deactivated).toMatchObject({ code: 0, stdout: 'code-smell: inactive\n' });
    expect(system.fleet.stateOf('code-smell')).toBe('inactive');
    const unknown = await cli('activate', 'no-such-scenario');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-scenario');
  });

  it('refuses a bulk preset without a terminal or --yes, printing the plan and changing nothing', async () => {
    const run = await cli('preset', 'apply', 'full');
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/would activate:.*code-smell/);
    expect(run.stderr).toContain('--yes');
    expect(activeIds(system.fleet)).toEqual([]);
    const asJson = await cli('preset', 'apply', 'full', '--json');
    expect(asJson.code).toBe(3);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ statusCode: 428, plan: { activate: expect.arrayContaining(['code-smell']) } });
  });

  it('applies full with --yes (blocked ones shown with their gate), then exactly minimal, idempotently', async () => {
    const full = await cli('preset', 'apply', 'full', '--yes');
    expect(full.code).toBe(0);
    expect(full.stdout).toContain('preset full applied');
    // database-vacuum conflicts with backup-manager, which sorts first and wins the slot.
    expect(full.stdout).toMatch(/database-vacuum\s+Conflict: conflicts with backup-manager/);
    expect(activeIds(system.fleet)).toEqual(ALL.filter((id) => id !== 'database-vacuum'));

    const minimal = await json<{ success: boolean; activated: string[]; deactivated: string[] }>('preset', 'apply', 'minimal', '--yes');
    expect(minimal.run.code).toBe(0);
    expect(minimal.body.success).toBe(true);
    expect(activeIds(system.fleet)).toEqual(['health-checker', 'log-cleanup']);
    const again = await json<{ activated: string[]; deactivated: string[]; plan: { touched: string[] } }>('preset', 'apply', 'minimal', '--yes');
    expect(again.body).toMatchObject({ activated: [], deactivated: [], plan: { touched: [] } });
    expect(activeIds(system.fleet)).toEqual(['health-checker', 'log-cleanup']);
  });

  it('plans a MaintenanceState file with --dry-run, then applies it with --yes', async () => {
    const dry = await cli('apply', '-f', 'manifests/examples/state.yaml', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('MaintenanceState/weekday: planned');
    expect(dry.stdout).toMatch(/would activate:\s+cache-optimizer, code-smell, performance-monitor/);
    expect(dry.stdout).toMatch(/would deactivate:\s+health-checker, log-cleanup/);
    expect(activeIds(system.fleet)).toEqual(['health-checker', 'log-cleanup']);

    const applied = await json<{ success: boolean; documents: { kind: string; result: string }[] }>('apply', '-f', 'manifests/examples/state.yaml', '--yes');
    expect(applied.run.code).toBe(0);
    expect(applied.body.documents).toEqual([expect.objectContaining({ kind: 'MaintenanceState', result: 'applied' })]);
    await eventually(() => activeIds(system.fleet).join() === 'cache-optimizer,code-smell,performance-monitor', 'the weekday state to converge');
    const list = await cli('list', '--state', 'active');
    expect(list.stdout).toMatch(/^code-smell\s+active\s+active\s+(1h 59m|2h)\s+-$/m);
  });

  it('stops everything, refuses activations until resume, then activates again', async () => {
    const unconfirmed = await cli('stop-all', '--reason', 'incident 42');
    expect(unconfirmed.code).toBe(3);
    expect(unconfirmed.stderr).toContain('--yes');
    expect(activeIds(system.fleet)).not.toEqual([]);

    const before = await json<{ appliedPresets: string[]; overrides: Record<string, unknown> }>('status');
    expect(before.body.appliedPresets).toEqual(['performance']);
    expect(Object.keys(before.body.overrides)).toEqual(['code-smell', 'query-analyzer']);
    const stopped = await cli('stop-all', '--yes', '--reason', 'incident 42');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`emergency stop by ${ACTOR}: incident 42\n`);
    // It says what it did, and what it says is what the server did.
    expect(stopped.stdout).toContain('applied presets and overrides cleared');
    expect(activeIds(system.fleet)).toEqual([]);

    const [refused, status] = await Promise.all([cli('activate', 'code-smell'), json<{ maintenanceState: string; emergencyStop: { reason: string; actor: string }; appliedPresets: string[]; overrides: object }>('status')]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^code-smell: blocked by EmergencyStop: .*incident 42/);
    expect(status.body).toMatchObject({ maintenanceState: 'stopped', emergencyStop: { reason: 'incident 42', actor: ACTOR }, appliedPresets: [], overrides: {} });
    expect(system.fleet.stateOf('code-smell')).toBe('inactive');

    expect((await cli('resume')).code).toBe(0);
    expect(activeIds(system.fleet)).toEqual([]);
    const activated = await json<{ success: boolean; newState: string }>('activate', 'code-smell');
    expect(activated.run.code).toBe(0);
    expect(activated.body).toMatchObject({ success: true, scenario: 'code-smell', newState: 'active' });
    expect(system.fleet.stateOf('code-smell')).toBe('active');
  });

  it('exits 3 with the gate and its message when a gate blocks an activation', async () => {
    expect((await cli('activate', 'backup-manager')).code).toBe(0);
    const blocked = await cli('activate', 'database-vacuum');
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toMatch(/^database-vacuum: blocked by Conflict: conflicts with backup-manager/);
    expect(system.fleet.stateOf('database-vacuum')).toBe('inactive');
    const plan = await cli('plan');
    expect(plan.stdout).toMatch(/database-vacuum\s+Conflict: conflicts with backup-manager/);
    expect((await cli('deactivate', 'database-vacuum')).code).toBe(0);
  });

  it('creates, exports, imports and deletes a custom preset', async () => {
    const created = await cli('preset', 'create', 'cli-saved');
    expect(created.stdout).toMatch(/^preset cli-saved created \(snapshot of the active scenarios\): selects backup-manager, code-smell$/m);
    const exported = await cli('preset', 'export', 'cli-saved');
    expect(exported.stdout).toMatch(/^kind: Preset$/m);
    const file = join(scratch, 'preset.json');
    const asJson = await json<{ metadata: { name: string } }>('preset', 'export', 'cli-saved', '--format', 'json');
    await writeFile(file, JSON.stringify({ ...asJson.body, metadata: { ...asJson.body.metadata, name: 'cli-imported' } }));
    const imported = await cli('preset', 'import', file);
    expect(imported).toMatchObject({ code: 0, stdout: 'imported 1 preset(s): cli-imported (2 scenarios)\n' });
    expect((await cli('preset', 'import', file)).code).toBe(1);
    const [list, deleted, defaultDelete] = await Promise.all([cli('preset', 'list'), cli('preset', 'delete', 'cli-saved'), cli('preset', 'delete', 'full')]);
    expect(list.stdout).toMatch(/^cli-imported\s+-\s+custom\s+2\s/m);
    expect(deleted).toMatchObject({ code: 0, stdout: 'preset cli-saved deleted\n' });
    expect(defaultDelete.code).toBe(1);
    expect(defaultDelete.stderr).toContain('cannot be deleted');
  });

  it('creates, lists, shows and deletes maintenance windows; refuses a bad cron with exit 2', async () => {
    const day = quietWeekday();
    const cron = `0 2 * * ${day}`;
    const created = await cli('schedule', 'create', '--preset', 'security-only', '--cron', cron, '--duration', '2h');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`schedule security-only-0-2-x-x-${day} created`));
    const zoned = await json<{ name: string; nextOpenLocal: string; preset: string }>('schedule', 'create', '--name', 'weekly-security', '--preset', 'security', '--cron', cron, '--duration', '2h', '--time-zone', 'Europe/Berlin');
    expect(zoned.run.code).toBe(0);
    expect(zoned.body).toMatchObject({ name: 'weekly-security', preset: 'security', nextOpenLocal: expect.stringMatching(/ 02:00 (CET|CEST|GMT\+\d)/) });
    const list = await cli('schedule', 'list');
    expect(list.stdout).toMatch(new RegExp(`weekly-security\\s+allow\\s+security\\s+0 2 \\* \\* ${day} Europe/Berlin for 2h\\s+opens `));
    const show = await cli('schedule', 'show', 'weekly-security');
    expect(show.stdout).toMatch(/next opens:/);
    const bad = await cli('schedule', 'create', '--name', 'bad', '--preset', 'security', '--cron', '0 25 * * *', '--duration', '2h');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hour 25/);
    for (const name of ['weekly-security', `security-only-0-2-x-x-${day}`]) expect((await cli('schedule', 'delete', name)).code).toBe(0);
    expect((await cli('schedule', 'show', 'weekly-security')).code).toBe(1);
  });

  it('follows the activity log live', async () => {
    const child = spawnCli(['logs', '--follow', '--scenario', 'health-checker', '--limit', '1', '--url', system.url]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      await eventually(() => stderr.includes('following activity'), 'logs --follow to connect');
      const reply = await requestJson(`${system.url}/api/v1/scenarios/health-checker/activate`, { reason: 'from the test' });
      expect(reply.status).toBe(200);
      // The request came from the test, not the CLI: no X-Maintenance-Actor, so the actor is plain `local`.
      await eventually(() => /^\S+ api health-checker local activate requested \(from the test\)$/m.test(stdout), 'the activation entry on stdout');
    } finally {
      child.kill();
    }
  });
});

/** A port nothing listens on: bound, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
