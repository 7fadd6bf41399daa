/**
 * `explain`, `plan --at` and `timeline` end to end: the built CLI against an in-process orchestrator whose
 * clock reads Tuesday 2026-12-08 10:00 UTC, inside a deny window over the security preset (09:00-18:00
 * Europe/Berlin). Needs `npm run build`.
 */
import { cliAt, requireBuiltCli } from './support/cli-runner';
import { startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-12-08T10:00:00Z');

describe('CLI explain, plan --at, timeline', () => {
  let system: TestSystem;
  const { cli, json } = cliAt(() => system.url);

  beforeAll(async () => {
    requireBuiltCli();
    const offset = NOW - Date.now();
    system = await startTestSystem({
      specs: [
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'backup-manager', service: { tags: ['backup'] } },
      ],
      env: { RESYNC_INTERVAL: '1h' },
      overrides: { clock: () => Date.now() + offset },
    });
    const put = (name: string, body: unknown) => fetch(`${system.url}/api/v1/schedules/${name}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await put('business-hours', { preset: 'security', cron: '0 9 * * 1-5', duration: '9h', timeZone: 'Europe/Berlin', kind: 'deny' });
    await fetch(`${system.url}/api/v1/presets/security/apply`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"confirm":true}' });
  });
  afterAll(() => system?.stop());

  it('explain ID: the source, every gate, the target and when the deny window closes', async () => {
    const run = await cli('explain', 'security-scanner');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('desired:  active, from preset security');
    expect(run.stdout).toContain('target:   inactive (WindowClosed: deny window business-hours is open until 2026-12-08T17:00:00.000Z)');
    expect(run.stdout).toMatch(/^\s+EmergencyStop\s+pass\s+passes$/m);
    expect(run.stdout).toMatch(/^\s+WindowClosed\s+block\s+deny window business-hours/m);
    expect(run.stdout).toContain('next:     2026-12-08T17:00:00.000Z: deny window business-hours closes at 18:00 Europe/Berlin');
  });

  it('explain ID --at TIME --tz ZONE --json: the API answer, at that instant', async () => {
    const { run, body } = await json<{ at: string; target: string; nextTransition: { cause: string } }>('explain', 'security-scanner', '--at', 'tomorrow 08:30', '--tz', 'Europe/Berlin');
    expect(run.code).toBe(0);
    expect(body.at).toBe('2026-12-09T07:30:00.000Z');
    expect(body.target).toBe('active');
    expect(body.nextTransition.cause).toBe('deny window business-hours opens at 09:00 Europe/Berlin');
  });

  it('refuses an unreadable --at (exit 2) and an unknown id (exit 1), saying what is wrong', async () => {
    const bad = await cli('explain', 'security-scanner', '--at', 'someday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"someday" is not a time');
    const unknown = await cli('explain', 'no-such-scenario');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-scenario');
  });

  it('plan --at TIME: the fleet at that instant, and what changes from now', async () => {
    const run = await cli('plan', '--at', '2026-12-08T18:30', '--tz', 'Europe/Berlin');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('at 2026-12-08T17:30:00.000Z (Europe/Berlin), under today\'s declarations:');
    expect(run.stdout).toContain('would activate:   security-scanner');
    expect(run.stdout).toMatch(/^\s+security-scanner\s+active\s+preset security\s+active/m);
    expect(run.stdout).toContain('1 of 2 scenarios active');
    const { body } = await json<{ blocked: { scenario: string }[] }>('plan', '--at', 'now');
    expect(body.blocked.map((entry) => entry.scenario)).toEqual(['security-scanner']);
    const both = await cli('plan', '--at', '+1h', '-f', 'manifests/examples/state.yaml');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--at plans today\'s declarations');
  });

  it('timeline: the deny window\'s runs of the week, in order', async () => {
    const run = await cli('timeline', '--tz', 'Europe/Berlin');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.includes('business-hours'));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^\s+2026-12-08T08:00:00.000Z\s+2026-12-08T17:00:00.000Z\s+deny\s+business-hours\s+security: 1 scenarios$/);
    const { body } = await json<{ entries: unknown[] }>('timeline', '--from', '2026-12-12', '--to', '2026-12-13');
    expect(body.entries).toEqual([]);
  });
});
