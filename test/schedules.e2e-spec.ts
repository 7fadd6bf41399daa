/**
 * Maintenance windows end to end, with the orchestrator's clock set two seconds before a window opens:
 * timers still run in real time, so the demo scenarios must turn active at the opening and inactive at
 * the closing, with activity entries, without waiting for a resync.
 */
import request from 'supertest';
import ICAL from 'ical.js';
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';

const OPENS = Date.parse('2026-11-29T02:00:00Z'); // a Sunday

describe('schedules', () => {
  let system: TestSystem;
  let offset = 0;
  beforeAll(async () => {
    offset = OPENS - 2_000 - Date.now();
    system = await startTestSystem({
      specs: [
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'dependency-audit', service: { tags: ['security'] } },
        { id: 'backup-manager', service: { tags: ['backup'] } },
      ],
      env: { RESYNC_INTERVAL: '1h' },
      overrides: { clock: () => Date.now() + offset },
    });
  });
  afterAll(() => system.stop());

  it('refuses an invalid cron, zone or duration with a message that says what is wrong', async () => {
    const http = system.server.app.getHttpServer();
    const cron = await request(http).post('/api/v1/schedules').send({ name: 'bad', preset: 'security', cron: '0 25 * * *', duration: '2h' }).expect(400);
    expect(cron.body.message).toMatch(/hour 25/);
    const zone = await request(http).post('/api/v1/schedules').send({ name: 'bad', preset: 'security', cron: '0 2 * * 0', duration: '2h', timeZone: 'Mars/Base' }).expect(400);
    expect(zone.body.message).toMatch(/Mars\/Base/);
    const duration = await request(http).post('/api/v1/schedules').send({ name: 'bad', preset: 'security', cron: '0 2 * * 0', duration: 'forever' }).expect(400);
    expect(duration.body.message).toMatch(/forever/);
    const preset = await request(http).post('/api/v1/schedules').send({ name: 'bad', preset: 'nope', cron: '0 2 * * 0', duration: '2h' }).expect(400);
    expect(preset.body.message).toMatch(/preset "nope"/);
    expect((await request(http).get('/api/v1/schedules')).body.schedules).toEqual([]);
  });

  it('opens the window on time, converges, closes it on time, and logs both', async () => {
    const http = system.server.app.getHttpServer();
    const created = await request(http).post('/api/v1/schedules').send({ name: 'sunday-security', preset: 'security', cron: '0 2 * * 0', duration: '3s' }).expect(201);
    expect(created.body).toMatchObject({ open: false, nextOpen: '2026-11-29T02:00:00.000Z', nextClose: '2026-11-29T02:00:03.000Z', nextOpenLocal: '2026-11-29 02:00 UTC' });
    expect(activeIds(system.fleet)).toEqual([]);
    await eventually(() => activeIds(system.fleet).length === 2, 'the window opened', 5_000);
    expect(activeIds(system.fleet)).toEqual(['dependency-audit', 'security-scanner']);
    const scenario = (await request(http).get('/api/v1/scenarios/security-scanner')).body;
    expect(scenario.desiredSource).toBe('window sunday-security (preset security)');
    await eventually(() => activeIds(system.fleet).length === 0, 'the window closed', 6_000);
    const log = (await request(http).get('/api/v1/activity?category=schedule')).body.entries.map((e: { message: string }) => e.message);
    expect(log).toEqual(expect.arrayContaining([expect.stringMatching(/window sunday-security opened \(allow security\)/), 'window sunday-security closed']));
  });

  it('blocks activations with WindowClosed while a deny window is open, naming it', async () => {
    const http = system.server.app.getHttpServer();
    await request(http).post('/api/v1/schedules').send({ name: 'freeze', preset: 'off-hours', cron: '* * * * *', duration: '5m', kind: 'deny' }).expect(201);
    const refused = await request(http).post('/api/v1/scenarios/backup-manager/activate').expect(409);
    expect(refused.body).toMatchObject({ reason: 'WindowClosed', message: expect.stringContaining('freeze') });
    await request(http).post('/api/v1/scenarios/backup-manager/deactivate').expect(200);
    await request(http).delete('/api/v1/schedules/freeze').expect(200);
  });

  it('exports the windows as iCalendar that a real parser reads back', async () => {
    const http = system.server.app.getHttpServer();
    const response = await request(http).get('/api/v1/schedules.ics').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(response.text));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.summary).toContain('security');
    const next = event.iterator().next();
    expect(next?.toJSDate().toISOString()).toMatch(/T02:00:00\.000Z$/);
  });
});
