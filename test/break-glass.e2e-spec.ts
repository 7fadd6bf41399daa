/**
 * Break-glass end to end (SPEC 10): `activate ID --break-glass --reason R --ttl T` passes a deny window and a
 * busy host, never Conflict or the emergency stop; TTL and reason are required and the TTL is bounded by
 * BREAK_GLASS_MAX_TTL; it shows in /status, on the scenario and in the activity log with actor and reason,
 * and lapses with its TTL. With tokens it is an admin's: an operator gets 403. Through the API and the built
 * CLI (`npm run build` first), against real demo scenarios.
 */
import request from 'supertest';
import { CLI_ACTOR, cliAt, requireBuiltCli } from './support/cli-runner';
import { eventually, startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(60_000);

const SPECS = [
  { id: 'backup-manager', service: { tags: ['backup'] } },
  { id: 'database-vacuum', service: { tags: ['vacuum'], conflictsWith: ['backup-manager'] } },
  { id: 'security-scanner', service: { tags: ['security'] } },
];

describe('break-glass (anonymous: any caller)', () => {
  let system: TestSystem;
  const { cli } = cliAt(() => system.url);
  beforeAll(async () => {
    requireBuiltCli();
    system = await startTestSystem({ specs: SPECS, env: { BREAK_GLASS_MAX_TTL: '30m' } });
    // Every scenario is behind a deny window, and the host is busy.
    await request(system.server.app.getHttpServer()).post('/api/v1/schedules').send({ name: 'freeze', preset: 'full', cron: '* * * * *', duration: '5m', kind: 'deny' }).expect(201);
    system.host.value = { cpuLoadPercent: 99, memoryPercent: 5 };
  }, 30_000);
  afterAll(() => system?.stop());

  const http = () => system.server.app.getHttpServer();
  const activate = (id: string, body: object) => request(http()).post(`/api/v1/scenarios/${id}/activate`).send(body);

  it('refuses without a reason, without a TTL, or with a TTL above BREAK_GLASS_MAX_TTL, and changes nothing', async () => {
    const before = (await request(http()).get('/api/v1/desired-state').expect(200)).body;
    expect((await activate('backup-manager', { breakGlass: true, ttl: '10m' }).expect(400)).body.message).toMatch(/break-glass needs a reason/);
    expect((await activate('backup-manager', { breakGlass: true, ttl: '10m', reason: '   ' }).expect(400)).body.message).toMatch(/break-glass needs a reason/);
    expect((await activate('backup-manager', { breakGlass: true, reason: 'INC-1' }).expect(400)).body.message).toBe('break-glass needs a TTL (--ttl), at most 30m (BREAK_GLASS_MAX_TTL)');
    expect((await activate('backup-manager', { breakGlass: true, reason: 'INC-1', ttl: '31m' }).expect(400)).body.message).toBe('break-glass TTL 31m is longer than BREAK_GLASS_MAX_TTL 30m');
    expect((await activate('backup-manager', { breakGlass: 'yes', reason: 'INC-1', ttl: '10m' }).expect(400)).body.message).toMatch(/breakGlass must be a boolean/);
    expect((await request(http()).get('/api/v1/desired-state').expect(200)).body).toEqual(before);
    expect(system.fleet.stateOf('backup-manager')).toBe('inactive');
  });

  it('passes the deny window and the busy host, and shows in /status, on the scenario and in the activity log', async () => {
    expect((await activate('backup-manager', {}).expect(409)).body).toMatchObject({ reason: 'WindowClosed' });
    const result = await activate('backup-manager', { breakGlass: true, reason: 'INC-42: restore before the freeze ends', ttl: '20m' }).expect(200);
    expect(result.body).toMatchObject({ success: true, newState: 'active' });
    expect(system.fleet.stateOf('backup-manager')).toBe('active');

    const view = (await request(http()).get('/api/v1/scenarios/backup-manager').expect(200)).body;
    expect(view).toMatchObject({ desiredSource: expect.stringMatching(/^break-glass by .+ \(INC-42: restore before the freeze ends\)$/), reason: null });
    expect(Date.parse(view.activeUntil) - Date.now()).toBeGreaterThan(19 * 60_000);

    const status = (await request(http()).get('/api/v1/status').expect(200)).body;
    expect(status.breakGlass).toEqual([{ scenario: 'backup-manager', actor: expect.any(String), reason: 'INC-42: restore before the freeze ends', setAt: expect.any(String), expiresAt: view.activeUntil }]);

    const entries = (await request(http()).get('/api/v1/activity?scenario=backup-manager').expect(200)).body.entries as { actor: string; level: string; message: string; data: Record<string, unknown> }[];
    const glass = entries.find((entry) => entry.data?.action === 'break-glass');
    expect(glass).toMatchObject({ level: 'warn', actor: status.breakGlass[0].actor, data: { reason: 'INC-42: restore before the freeze ends' } });
    expect(glass?.message).toMatch(/^BREAK-GLASS activate by .+ for 20m: INC-42: restore before the freeze ends$/);
  });

  it('never passes Conflict or the emergency stop', async () => {
    const conflict = await activate('database-vacuum', { breakGlass: true, reason: 'INC-43', ttl: '5m' }).expect(409);
    expect(conflict.body).toMatchObject({ reason: 'Conflict' });
    expect(system.fleet.stateOf('database-vacuum')).toBe('inactive');
    await request(http()).post('/api/v1/scenarios/database-vacuum/deactivate').expect(200);

    await request(http()).post('/api/v1/stop-all').send({ reason: 'drill' }).expect(200);
    expect(system.fleet.stateOf('backup-manager')).toBe('inactive');
    expect((await request(http()).get('/api/v1/status').expect(200)).body.breakGlass).toEqual([]);
    expect((await activate('security-scanner', { breakGlass: true, reason: 'INC-44', ttl: '5m' }).expect(409)).body).toMatchObject({ reason: 'EmergencyStop' });
    await request(http()).post('/api/v1/resume').expect(200);
  });

  it('the CLI: --break-glass with --reason and --ttl, usage errors without them, and the TTL bound from the server', async () => {
    expect(await cli('activate', 'security-scanner', '--break-glass', '--ttl', '5m')).toMatchObject({ code: 2, stderr: expect.stringContaining('--break-glass needs --reason') });
    expect(await cli('activate', 'security-scanner', '--break-glass', '--reason', 'INC-45')).toMatchObject({ code: 2, stderr: expect.stringContaining('--break-glass needs --ttl') });
    expect(await cli('activate', 'security-scanner', '--break-glass', '--reason', 'INC-45', '--ttl', '2h')).toMatchObject({ code: 2, stderr: expect.stringContaining('longer than BREAK_GLASS_MAX_TTL 30m') });
    expect(system.fleet.stateOf('security-scanner')).toBe('inactive');

    const run = await cli('activate', 'security-scanner', '--break-glass', '--reason', 'INC-45: scan now', '--ttl', '3s');
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^security-scanner: active \(until /) });
    expect(system.fleet.stateOf('security-scanner')).toBe('active');
    expect((await cli('status')).stdout).toMatch(new RegExp(`BREAK-GLASS: +security-scanner by ${CLI_ACTOR.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} until \\S+: INC-45: scan now`));

    // The TTL lapses: the override goes, the deny window holds it again, and the banner's source is empty.
    await eventually(() => system.fleet.stateOf('security-scanner') === 'inactive', 'security-scanner driven inactive when its break-glass TTL lapsed', 15_000);
    expect((await request(http()).get('/api/v1/status').expect(200)).body.breakGlass).toEqual([]);
  });
});

describe('break-glass with tokens: an admin\'s', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: SPECS, env: { MAINTENANCE_TOKENS: 'boss:admin:admin-secret-1,ops:operator:operator-secret-1', RATE_LIMIT: '100000/min' } });
  }, 30_000);
  afterAll(() => system?.stop());

  const activate = (secret: string, body: object) =>
    request(system.server.app.getHttpServer()).post('/api/v1/scenarios/security-scanner/activate').set('authorization', `Bearer ${secret}`).send(body);

  it('refuses an operator with 403 naming admin, lets the operator activate plainly, and records the admin as the actor', async () => {
    const refused = await activate('operator-secret-1', { breakGlass: true, reason: 'INC-9', ttl: '10m' }).expect(403);
    expect(refused.body.message).toMatch(/admin/);
    // Any spelling of breakGlass but false asks for admin, before the body is validated.
    await activate('operator-secret-1', { breakGlass: 'true', reason: 'INC-9', ttl: '10m' }).expect(403);
    expect(system.fleet.stateOf('security-scanner')).toBe('inactive');

    await activate('operator-secret-1', { breakGlass: false, ttl: '10m' }).expect(200);
    await activate('admin-secret-1', { breakGlass: true, reason: 'INC-9: the admin takes it', ttl: '10m' }).expect(200);
    const status = (await request(system.server.app.getHttpServer()).get('/api/v1/status').set('authorization', 'Bearer operator-secret-1').expect(200)).body;
    expect(status.breakGlass).toEqual([expect.objectContaining({ scenario: 'security-scanner', actor: 'boss', reason: 'INC-9: the admin takes it' })]);
  });
});
