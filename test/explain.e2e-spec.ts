/**
 * Explain, plan --at and the timeline end to end (SPEC 10), against a real fleet on loopback. The
 * orchestrator's clock is set to Tuesday 2026-12-08 10:00 UTC (11:00 in Berlin), inside a deny window
 * "business-hours" (09:00-18:00 Europe/Berlin, weekdays) over the security preset.
 */
import request from 'supertest';
import type { Server } from 'node:http';
import { GATES } from '../src/reconciler/types';
import { eventually, startTestSystem, type TestSystem } from './support/system';

const NOW = Date.parse('2026-12-08T10:00:00Z');
const CLOSES = '2026-12-08T17:00:00.000Z'; // 18:00 in Berlin

describe('explain, plan --at and timeline', () => {
  let system: TestSystem;
  let http: Server;
  let offset = 0;
  beforeAll(async () => {
    offset = NOW - Date.now();
    system = await startTestSystem({
      specs: [
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'dependency-audit', service: { tags: ['security'] } },
        { id: 'backup-manager', service: { tags: ['backup'] } },
      ],
      env: { RESYNC_INTERVAL: '1h' },
      // A check that cannot be read (nothing listens on port 1) and lets activations through.
      policy: { healthChecks: [{ prometheus: { name: 'gone-server', url: 'http://127.0.0.1:1', query: 'up', onError: 'allow' } }] as never },
      overrides: { clock: () => Date.now() + offset },
    });
    http = system.server.app.getHttpServer();
    await request(http).put('/api/v1/schedules/business-hours').send({ preset: 'security', cron: '0 9 * * 1-5', duration: '9h', timeZone: 'Europe/Berlin', kind: 'deny' }).expect(200);
    await request(http).put('/api/v1/schedules/nightly-backup').send({ preset: 'off-hours', cron: '0 2 * * *', duration: '2h', timeZone: 'America/New_York', kind: 'allow' }).expect(200);
    await request(http).post('/api/v1/presets/security/apply').send({ confirm: true }).expect(200);
  });
  afterAll(() => system.stop());

  it('explains a scenario held by a deny window: source, every gate in order, target, observed, health checks, and when the window closes', async () => {
    await eventually(async () => (await request(http).get('/api/v1/health-checks')).body.checks[0]?.readAt !== null, 'the health check was read');
    const { body } = await request(http).get('/api/v1/scenarios/security-scanner/explain').expect(200);
    expect(body.scenario).toBe('security-scanner');
    expect(Date.parse(body.at) - NOW).toBeLessThan(60_000);
    expect(body.desired).toEqual({ state: 'active', source: { kind: 'preset', name: 'security', preset: 'security' } });
    expect(body.gates.map((gate: { gate: string }) => gate.gate)).toEqual([...GATES]);
    const byGate = Object.fromEntries(body.gates.map((gate: { gate: string }) => [gate.gate, gate]));
    expect(byGate.EmergencyStop).toEqual({ gate: 'EmergencyStop', verdict: 'pass', message: 'passes', applied: true });
    expect(byGate.WindowClosed).toMatchObject({ verdict: 'block', applied: true, message: expect.stringContaining('deny window business-hours is open until 2026-12-08T17:00:00.000Z') });
    expect(byGate.AwaitingConfirmation).toMatchObject({ verdict: 'pass', applied: false });
    expect(body).toMatchObject({ target: 'inactive', reason: 'WindowClosed' });
    expect(body.observed).toMatchObject({ state: 'inactive', inFlight: null, failures: 0 });
    expect(body.healthChecks).toEqual([expect.objectContaining({ check: 'gone-server', ok: true, readAt: expect.any(String), error: expect.any(String) })]);
    expect(body.nextTransition).toEqual({ at: CLOSES, cause: 'deny window business-hours closes at 18:00 Europe/Berlin' });
  });

  it('explains the same scenario at an instant after the window closes, in the caller\'s zone', async () => {
    const { body } = await request(http).get('/api/v1/scenarios/security-scanner/explain').query({ at: 'today 19:00', tz: 'Europe/Berlin' }).expect(200);
    expect(body.at).toBe('2026-12-08T18:00:00.000Z');
    expect(body.timeZone).toBe('Europe/Berlin');
    // Observed as now (inactive): at that instant the loop would be activating it.
    expect(body).toMatchObject({ target: 'active', reason: 'Progressing', message: 'activating' });
    expect(body.gates.find((gate: { gate: string }) => gate.gate === 'WindowClosed')).toMatchObject({ verdict: 'pass' });
    expect(body.nextTransition).toEqual({ at: '2026-12-09T08:00:00.000Z', cause: 'deny window business-hours opens at Wed 2026-12-09 09:00 Europe/Berlin' });
  });

  it('names an allow window as the source while it is open, and its closing as the next transition', async () => {
    const { body } = await request(http).get('/api/v1/scenarios/backup-manager/explain').query({ at: '2026-12-09T03:00', tz: 'America/New_York' }).expect(200);
    expect(body.desired).toEqual({ state: 'active', source: { kind: 'window', name: 'nightly-backup', preset: 'off-hours' } });
    expect(body.nextTransition).toEqual({ at: '2026-12-09T09:00:00.000Z', cause: 'allow window nightly-backup closes at 04:00 America/New_York' });
  });

  it('says an unwanted scenario meets no gate, and which gates it would meet', async () => {
    const { body } = await request(http).get('/api/v1/scenarios/backup-manager/explain').expect(200);
    expect(body.desired.source).toEqual({ kind: 'default', name: null });
    expect(body.gates.every((gate: { applied: boolean; verdict: string }) => !gate.applied && gate.verdict === 'pass')).toBe(true);
    expect(body.gates[0].message).toMatch(/desired inactive/);
    expect(body.nextTransition.cause).toMatch(/^allow window nightly-backup opens at/);
  });

  it('refuses an unknown scenario (404) and an unreadable time or zone (400), naming them', async () => {
    expect((await request(http).get('/api/v1/scenarios/nope/explain').expect(404)).body.message).toMatch(/nope/);
    expect((await request(http).get('/api/v1/scenarios/security-scanner/explain').query({ at: 'someday' }).expect(400)).body.message).toMatch(/at: "someday" is not a time/);
    expect((await request(http).get('/api/v1/scenarios/security-scanner/explain').query({ at: 'now', tz: 'Mars/Base' }).expect(400)).body.message).toMatch(/Mars\/Base/);
  });

  it('plans the whole fleet at an instant: held now, activated once the window has closed', async () => {
    const now = (await request(http).post('/api/v1/plan').send({ at: 'now' }).expect(200)).body;
    expect(now.blocked.map((entry: { scenario: string }) => entry.scenario).sort()).toEqual(['dependency-audit', 'security-scanner']);
    const evening = (await request(http).post('/api/v1/plan').send({ at: '2026-12-08T18:30', tz: 'Europe/Berlin' }).expect(200)).body;
    expect(evening.at).toBe('2026-12-08T17:30:00.000Z');
    expect(evening.activate).toEqual(['dependency-audit', 'security-scanner']);
    expect(evening.blocked).toEqual([]);
    expect(evening.scenarios.map((scenario: { id: string; target: string }) => [scenario.id, scenario.target])).toEqual([
      ['backup-manager', 'inactive'],
      ['dependency-audit', 'active'],
      ['security-scanner', 'active'],
    ]);
    const night = (await request(http).post('/api/v1/plan').send({ at: '2026-12-09T08:00Z' }).expect(200)).body;
    expect(night.activate).toEqual(['backup-manager']);
    expect(night.touched).toEqual(['backup-manager']);
  });

  it('refuses plan --at with a declared state, or with a bad time, and changes nothing', async () => {
    const before = (await request(http).get('/api/v1/desired-state')).body;
    expect((await request(http).post('/api/v1/plan').send({ at: '+1h', presets: ['full'] }).expect(400)).body.message).toMatch(/leave out presets and overrides/);
    expect((await request(http).post('/api/v1/plan').send({ at: 'yesterday-ish' }).expect(400)).body.message).toMatch(/not a time/);
    expect((await request(http).get('/api/v1/desired-state')).body).toEqual(before);
  });

  it('lays out the next 7 days: windows by kind with their scenarios, override expiries, and now', async () => {
    await request(http).post('/api/v1/scenarios/backup-manager/deactivate').send({}).expect(200);
    await request(http).put('/api/v1/desired-state').send({ presets: ['security'], overrides: { 'backup-manager': { state: 'inactive', ttl: '3h', reason: 'disk swap' } }, confirm: true }).expect(200);
    const { body } = await request(http).get('/api/v1/timeline').expect(200);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(7 * 86_400_000);
    expect(Math.abs(Date.parse(body.now) - NOW)).toBeLessThan(60_000);
    const deny = body.entries.filter((entry: { schedule?: string }) => entry.schedule === 'business-hours');
    // From Tuesday 10:00 UTC (open since 09:00 Berlin) to the next Tuesday 10:00 UTC, whose window opened at 09:00 Berlin.
    expect(deny.map((entry: { start: string; end: string }) => `${entry.start}..${entry.end}`)).toEqual([
      '2026-12-08T08:00:00.000Z..2026-12-08T17:00:00.000Z',
      '2026-12-09T08:00:00.000Z..2026-12-09T17:00:00.000Z',
      '2026-12-10T08:00:00.000Z..2026-12-10T17:00:00.000Z',
      '2026-12-11T08:00:00.000Z..2026-12-11T17:00:00.000Z',
      '2026-12-14T08:00:00.000Z..2026-12-14T17:00:00.000Z',
      '2026-12-15T08:00:00.000Z..2026-12-15T17:00:00.000Z',
    ]);
    expect(deny[0]).toMatchObject({ kind: 'deny', preset: 'security', timeZone: 'Europe/Berlin', source: 'store', scenarios: ['dependency-audit', 'security-scanner'], scenarioCount: 2 });
    expect(body.entries.filter((entry: { schedule?: string }) => entry.schedule === 'nightly-backup')).toHaveLength(7);
    const override = body.entries.find((entry: { kind: string }) => entry.kind === 'override');
    expect(override).toMatchObject({ scenarios: ['backup-manager'], state: 'inactive', reason: 'disk swap' });
    expect(Date.parse(override.end) - Date.parse(override.start)).toBe(3 * 3_600_000);
    const starts = body.entries.map((entry: { start: string }) => Date.parse(entry.start));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('takes from and to, and refuses a reversed or too long range', async () => {
    const { body } = await request(http).get('/api/v1/timeline').query({ from: '2026-12-12', to: '2026-12-13', tz: 'UTC' }).expect(200);
    expect(body.entries.map((entry: { schedule: string }) => entry.schedule)).toEqual(['nightly-backup']);
    expect((await request(http).get('/api/v1/timeline').query({ from: '+2d', to: '+1d' }).expect(400)).body.message).toMatch(/must be after from/);
    expect((await request(http).get('/api/v1/timeline').query({ to: '+400d' }).expect(400)).body.message).toMatch(/longer than 92 days/);
  });
});
