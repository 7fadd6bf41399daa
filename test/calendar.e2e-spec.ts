/**
 * Calendar integration and persistence of schedules: windows read from an iCalendar feed open their preset
 * and are shown read-only beside the orchestrator's own; stored schedules survive a restart.
 */
import request from 'supertest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeIds, eventually, startTestSystem } from './support/system';

/** An event from an hour ago to an hour ahead, named the way the feed reader expects. */
function feed(now: number): string {
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//calendar//EN',
    'BEGIN:VEVENT', 'UID:nightly-scan@test', `DTSTAMP:${stamp(now)}`, `DTSTART:${stamp(now - 3_600_000)}`, `DTEND:${stamp(now + 3_600_000)}`, 'SUMMARY:maintenance: security', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:team-lunch@test', `DTSTAMP:${stamp(now)}`, `DTSTART:${stamp(now - 3_600_000)}`, `DTEND:${stamp(now + 3_600_000)}`, 'SUMMARY:Team lunch', 'END:VEVENT',
    'END:VCALENDAR', '',
  ].join('\r\n');
}

describe('calendar feed and stored schedules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mo-calendar-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('opens the preset an event names, shows the window read-only, and ignores other events', async () => {
    const file = join(dir, 'maintenance.ics');
    await writeFile(file, feed(Date.now()));
    const system = await startTestSystem({
      specs: [{ id: 'security-scanner', service: { tags: ['security'] } }, { id: 'code-smell', service: { tags: ['quality'] } }],
      env: { ENABLE_CALENDAR: 'true', CALENDAR_URL: file },
    });
    try {
      await eventually(() => activeIds(system.fleet).join() === 'security-scanner', 'the calendar window activated the security preset');
      const { body } = await request(system.server.app.getHttpServer()).get('/api/v1/schedules').expect(200);
      expect(body.schedules).toEqual([expect.objectContaining({ preset: 'security', source: 'calendar', readOnly: true, open: true })]);
    } finally {
      await system.stop();
    }
  });

  it('keeps stored schedules across a restart on the same DATA_DIR', async () => {
    const dataDir = join(dir, 'data');
    const specs = [{ id: 'security-scanner', service: { tags: ['security'] } }];
    const first = await startTestSystem({ specs, env: { DATA_DIR: dataDir } });
    try {
      await request(first.server.app.getHttpServer()).post('/api/v1/schedules').send({ name: 'sunday-security', preset: 'security', cron: '0 2 * * 0', duration: '2h', timeZone: 'Europe/Berlin' }).expect(201);
    } finally {
      await first.stop(); // removes its own temp dirs, not the DATA_DIR given here
    }
    const second = await startTestSystem({ specs, env: { DATA_DIR: dataDir } });
    try {
      const { body } = await request(second.server.app.getHttpServer()).get('/api/v1/schedules/sunday-security').expect(200);
      expect(body).toMatchObject({ preset: 'security', cron: '0 2 * * 0', timeZone: 'Europe/Berlin', nextOpenLocal: expect.stringMatching(/ 02:00 /) });
    } finally {
      await second.stop();
    }
  });
});
