import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityInput, ActivitySink } from '../activity/activity';
import { ConfigError, loadConfig } from '../config/config';
import { BlackoutFeed, blackoutsByEvent, parseBlackoutFeed } from './blackout-feed';

/** Joins lines with CRLF, as RFC 5545 asks. */
const ics = (...lines: string[]): string => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//blackouts//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const event = (...lines: string[]): string[] => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

const FEED = ics(
  // Fridays 18:00-22:00 Berlin, over the spring-forward weekend, with one Friday excepted.
  ...event('UID:friday-freeze', 'SUMMARY:Friday change freeze', 'DTSTART;TZID=Europe/Berlin:20260306T180000', 'DTEND;TZID=Europe/Berlin:20260306T220000', 'RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=6', 'EXDATE;TZID=Europe/Berlin:20260320T180000'),
  // 01:00 New York daily over the fall-back night: the repeated 01:00 counts once, at its first occurrence.
  ...event('UID:ny-nightly', 'SUMMARY:NY batch freeze', 'DTSTART;TZID=America/New_York:20261030T010000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=4'),
  // 02:15 Lord Howe weekly over the 30-minute spring-forward gap (02:00 -> 02:30 on 2026-10-04).
  ...event('UID:lhi', 'SUMMARY:Lord Howe freeze', 'DTSTART;TZID=Australia/Lord_Howe:20260927T021500', 'DURATION:PT30M', 'RRULE:FREQ=WEEKLY;COUNT=3'),
  // All-day holidays, read in the default zone; one recurs every year.
  ...event('UID:xmas-2026', 'SUMMARY:Christmas', 'DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261227'),
  ...event('UID:new-year', 'SUMMARY:New Year', 'DTSTART;VALUE=DATE:20250101', 'RRULE:FREQ=YEARLY'),
  ...event('UID:cancelled', 'SUMMARY:Called off', 'STATUS:CANCELLED', 'DTSTART:20260310T100000Z', 'DTEND:20260310T110000Z'),
);

function startsOf(uid: string, text = FEED, defaultTimeZone = 'Europe/Berlin'): string[][] {
  const result = parseBlackoutFeed(text, new Date('2026-03-01T00:00:00Z'), 400, defaultTimeZone);
  expect(result.errors).toEqual([]);
  return result.windows.filter((window) => window.uid === uid).map((window) => [window.start.toISOString(), window.end.toISOString()]);
}

describe('parseBlackoutFeed', () => {
  it('expands a weekly RRULE in its zone across the DST change and honours EXDATE', () => {
    expect(startsOf('friday-freeze')).toEqual([
      ['2026-03-06T17:00:00.000Z', '2026-03-06T21:00:00.000Z'],
      ['2026-03-13T17:00:00.000Z', '2026-03-13T21:00:00.000Z'],
      // 2026-03-20 is excepted; 2026-03-29 springs forward, so the next Fridays are 18:00 CEST = 16:00Z.
      ['2026-03-27T17:00:00.000Z', '2026-03-27T21:00:00.000Z'],
      ['2026-04-03T16:00:00.000Z', '2026-04-03T20:00:00.000Z'],
      ['2026-04-10T16:00:00.000Z', '2026-04-10T20:00:00.000Z'],
    ]);
  });

  it('reads the repeated hour of a fall-back night once, at its first occurrence (America/New_York)', () => {
    expect(startsOf('ny-nightly').map(([start]) => start)).toEqual(['2026-10-30T05:00:00.000Z', '2026-10-31T05:00:00.000Z', '2026-11-01T05:00:00.000Z', '2026-11-02T06:00:00.000Z']);
  });

  it('moves an occurrence in the 30-minute Lord Howe gap to the first valid instant', () => {
    expect(startsOf('lhi').map(([start]) => start)).toEqual(['2026-09-26T15:45:00.000Z', '2026-10-03T15:30:00.000Z', '2026-10-10T15:15:00.000Z']);
  });

  it('reads all-day events as whole days in the default zone, and repeats yearly ones', () => {
    expect(startsOf('xmas-2026')).toEqual([['2026-12-23T23:00:00.000Z', '2026-12-26T23:00:00.000Z']]);
    expect(startsOf('new-year')).toEqual([['2026-12-31T23:00:00.000Z', '2027-01-01T23:00:00.000Z']]);
    expect(startsOf('xmas-2026', FEED, 'UTC')).toEqual([['2026-12-24T00:00:00.000Z', '2026-12-27T00:00:00.000Z']]);
  });

  it('skips cancelled events and everything outside the horizon', () => {
    expect(startsOf('cancelled')).toEqual([]);
    const near = parseBlackoutFeed(FEED, new Date('2026-03-01T00:00:00Z'), 10, 'Europe/Berlin');
    expect(near.windows.map((window) => window.uid)).toEqual(['friday-freeze']);
  });

  it('reports what it cannot read instead of throwing', () => {
    expect(parseBlackoutFeed('not a calendar', new Date()).errors).toEqual([expect.stringMatching(/^calendar could not be parsed/)]);
    const zero = ics(...event('UID:zero', 'DTSTART:20260310T100000Z'));
    expect(parseBlackoutFeed(zero, new Date('2026-03-01T00:00:00Z')).errors).toEqual(['event "zero": has no duration (add DTEND or DURATION)']);
  });
});

describe('blackoutsByEvent', () => {
  it('names each event by UID and summary and tells whether it is open', () => {
    const { windows } = parseBlackoutFeed(FEED, new Date('2026-03-01T00:00:00Z'), 400, 'Europe/Berlin');
    const friday = blackoutsByEvent(windows, new Date('2026-03-13T18:00:00Z')).find((entry) => entry.summary === 'Friday change freeze');
    expect(friday).toMatchObject({ name: 'ics-friday-freeze (Friday change freeze)', state: { open: true, closesAt: new Date('2026-03-13T21:00:00Z'), nextOpen: new Date('2026-03-27T17:00:00Z') } });
    // The excepted Friday is no blackout.
    expect(blackoutsByEvent(windows, new Date('2026-03-20T18:00:00Z')).find((entry) => entry.summary === 'Friday change freeze')?.state.open).toBe(false);
  });
});

class RecordingActivity implements ActivitySink {
  readonly entries: ActivityInput[] = [];
  record(entry: ActivityInput): void {
    this.entries.push(entry);
  }
}

describe('BlackoutFeed (reads a file or an allowed http URL)', () => {
  let dir: string;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mo-blackout-'));
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.ics`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file and tells listeners', async () => {
    const file = join(dir, 'feed.ics');
    await writeFile(file, FEED);
    const feed = new BlackoutFeed(file, ['127.0.0.1'], new RecordingActivity(), 60_000, () => Date.parse('2026-03-01T00:00:00Z'));
    let refreshed = 0;
    feed.onRefresh(() => refreshed++);
    await feed.refresh();
    expect(refreshed).toBe(1);
    expect(feed.windowsByEvent(Date.parse('2026-03-06T18:00:00Z')).filter((entry) => entry.state.open).map((entry) => entry.name)).toEqual(['ics-friday-freeze (Friday change freeze)']);
  });

  it('reads an http URL on an allowed host, and refuses a host not on the list', async () => {
    const activity = new RecordingActivity();
    const feed = new BlackoutFeed(url, ['127.0.0.1'], activity, 60_000, () => Date.parse('2026-03-01T00:00:00Z'));
    await feed.refresh();
    expect(feed.lastError).toBeNull();
    expect(feed.windowsByEvent(Date.parse('2026-03-01T00:00:00Z')).length).toBe(5);
    const refused = new BlackoutFeed(url, ['10.0.0.1'], activity, 60_000);
    await refused.refresh();
    expect(refused.lastError).toMatch(/not in ALLOWED_SCENARIO_HOSTS/);
    expect(refused.windowsByEvent(Date.now())).toEqual([]);
  });

  it('fetches through the hardened calendar fetch: a redirect off the allowed hosts is refused, the other host never asked, the last blackouts kept', async () => {
    // 127.0.0.2 is loopback too, but not on the list: it stands for any other host.
    const elsewhereHits: string[] = [];
    const elsewhere = createServer((req, res) => {
      elsewhereHits.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/calendar' }).end(ics());
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.2', resolve));
    const elsewhereUrl = `http://127.0.0.2:${(elsewhere.address() as AddressInfo).port}/feed.ics`;
    let redirect = false;
    const moving = createServer((_req, res) => (redirect ? res.writeHead(302, { location: elsewhereUrl }).end() : res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED)));
    await new Promise<void>((resolve) => moving.listen(0, '127.0.0.1', resolve));
    try {
      const feed = new BlackoutFeed(`http://127.0.0.1:${(moving.address() as AddressInfo).port}/feed.ics`, ['127.0.0.1'], new RecordingActivity(), 60_000, () => Date.parse('2026-03-01T00:00:00Z'));
      await feed.refresh();
      expect(feed.windowsByEvent(Date.parse('2026-03-01T00:00:00Z')).length).toBe(5);
      redirect = true;
      await feed.refresh();
      expect(feed.lastError).toBe(`redirect to ${elsewhereUrl} refused: its host is not in ALLOWED_SCENARIO_HOSTS`);
      expect(elsewhereHits).toEqual([]);
      expect(feed.windowsByEvent(Date.parse('2026-03-01T00:00:00Z')).length).toBe(5);
    } finally {
      await Promise.all([moving, elsewhere].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});

describe('BLACKOUT_CALENDAR_URL', () => {
  it('takes a readable file (made absolute) or an http URL on an allowed host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mo-blackout-config-'));
    const file = join(dir, 'holidays.ics');
    await writeFile(file, FEED);
    expect(loadConfig({ BLACKOUT_CALENDAR_URL: file }).blackoutCalendarUrl).toBe(file);
    expect(loadConfig({ BLACKOUT_CALENDAR_URL: 'http://localhost:8080/h.ics' }).blackoutCalendarUrl).toBe('http://localhost:8080/h.ics');
    expect(loadConfig({}).blackoutCalendarUrl).toBeNull();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['/nonexistent/holidays.ics', 'BLACKOUT_CALENDAR_URL: file "/nonexistent/holidays.ics" does not exist or cannot be read'],
    ['http://calendar.example.com/h.ics', 'BLACKOUT_CALENDAR_URL: host of "http://calendar.example.com/h.ics" is not in ALLOWED_SCENARIO_HOSTS (127.0.0.1, localhost, ::1)'],
    ['ftp://localhost/h.ics', 'BLACKOUT_CALENDAR_URL: "ftp://localhost/h.ics" must be an http(s) URL or a file path'],
  ])('refuses %s at start', (value, message) => {
    expect(() => loadConfig({ BLACKOUT_CALENDAR_URL: value })).toThrow(new ConfigError('BLACKOUT_CALENDAR_URL', message.replace('BLACKOUT_CALENDAR_URL: ', '')));
  });
});
