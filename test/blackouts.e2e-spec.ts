/**
 * SPEC 10, end to end: a blackout (a stored `kind: blackout` schedule, or an event of the
 * BLACKOUT_CALENDAR_URL feed) is a deny window for every scenario: while it is open, new activations are
 * refused with WindowClosed naming it. A real demo fleet, a real orchestrator, a real .ics file.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import request from 'supertest';
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';

const SPECS = [
  { id: 'backup-manager', service: { tags: ['backup'] } },
  { id: 'security-scanner', service: { tags: ['security'] } },
];

/** An iCalendar UTC time, `20261224T180000Z`. */
const icalUtc = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

describe('blackout schedules', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: SPECS });
  });
  afterAll(() => system.stop());

  it('refuses a preset on a blackout, naming the field, and saves nothing', async () => {
    const http = system.server.app.getHttpServer();
    const refused = await request(http).post('/api/v1/schedules').send({ name: 'bad', preset: 'security', at: '2026-12-24T00:00', duration: '1h', kind: 'blackout' }).expect(400);
    expect(refused.body.message).toContain('preset: a blackout blocks every scenario');
    await request(http).get('/api/v1/schedules/bad').expect(404);
  });

  it('blocks activations of every scenario with WindowClosed naming the blackout while it is open, and lets them through once it is gone', async () => {
    const http = system.server.app.getHttpServer();
    const at = new Date(Date.now() - 60_000).toISOString();
    const created = await request(http).post('/api/v1/schedules').send({ name: 'holiday-freeze', at, duration: '1h', kind: 'blackout' }).expect(201);
    expect(created.body).toMatchObject({ name: 'holiday-freeze', kind: 'blackout', open: true });
    expect(created.body.preset).toBeUndefined();
    for (const id of ['backup-manager', 'security-scanner']) {
      const refused = await request(http).post(`/api/v1/scenarios/${id}/activate`).expect(409);
      expect(refused.body).toMatchObject({ reason: 'WindowClosed', message: expect.stringContaining('blackout holiday-freeze') });
    }
    expect(activeIds(system.fleet)).toEqual([]);

    const ics = (await request(http).get('/api/v1/schedules.ics').expect(200)).text;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent')!);
    expect([event.summary, event.startDate.toJSDate().toISOString()]).toEqual(['blackout: holiday-freeze', new Date(Math.floor(Date.parse(at) / 1000) * 1000).toISOString()]);

    await request(http).delete('/api/v1/schedules/holiday-freeze').expect(200);
    await request(http).post('/api/v1/scenarios/security-scanner/activate').expect(200);
    await eventually(() => activeIds(system.fleet).includes('security-scanner'), 'security-scanner activated after the blackout');
    await request(http).post('/api/v1/scenarios/security-scanner/deactivate').expect(200);
  });
});

describe('blackouts from BLACKOUT_CALENDAR_URL', () => {
  let system: TestSystem;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mo-blackout-feed-'));
    const file = join(dir, 'freezes.ics');
    const now = Date.now();
    // A change freeze running now, and a daily one that has not started yet (it must not block anything).
    await writeFile(
      file,
      [
        'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//freezes//EN',
        'BEGIN:VEVENT', 'UID:year-end-freeze', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Year-end change freeze', `DTSTART:${icalUtc(now - 3_600_000)}`, `DTEND:${icalUtc(now + 3_600_000)}`, 'END:VEVENT',
        'BEGIN:VEVENT', 'UID:later', 'DTSTAMP:20260101T000000Z', 'SUMMARY:Later', `DTSTART:${icalUtc(now + 6 * 3_600_000)}`, 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3', 'END:VEVENT',
        'END:VCALENDAR', '',
      ].join('\r\n'),
    );
    system = await startTestSystem({ specs: SPECS, env: { BLACKOUT_CALENDAR_URL: file } });
  });
  afterAll(async () => {
    await system.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('blocks activations with WindowClosed naming the feed event, and lists the blackouts read-only', async () => {
    const http = system.server.app.getHttpServer();
    const refused = await request(http).post('/api/v1/scenarios/backup-manager/activate').expect(409);
    expect(refused.body).toMatchObject({ reason: 'WindowClosed', message: expect.stringContaining('Year-end change freeze') });
    expect(activeIds(system.fleet)).toEqual([]);
    const listed = (await request(http).get('/api/v1/schedules').expect(200)).body.schedules;
    expect(listed.map((entry: { name: string; kind: string; source: string; open: boolean }) => [entry.name, entry.kind, entry.source, entry.open])).toEqual([
      ['ics-year-end-freeze (Year-end change freeze)', 'blackout', 'blackout-feed', true],
      ['ics-later (Later)', 'blackout', 'blackout-feed', false],
    ]);
    const timers = (await request(http).get('/api/v1/timers').expect(200)).body.timers as { name: string; kind: string }[];
    expect(timers).toContainEqual(expect.objectContaining({ name: 'blackouts.refresh', kind: 'interval' }));
  });
});
