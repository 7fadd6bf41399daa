import { Cron } from 'croner';
import fc from 'fast-check';
import { parseCron } from './cron-expression';
import { OccurrenceWalker } from './occurrences';
import { ScheduleSpec } from './schedule';
import { nextEdge, windowState } from './window';
import { ZoneClock } from './zone';

function schedule(cron: string, duration: string, timeZone = 'UTC', name = 'test'): ScheduleSpec {
  return { name, preset: 'security', cron, duration, timeZone, kind: 'allow' };
}

const at = (iso: string): Date => new Date(iso);
const iso = (date: Date | null | undefined): string | null | undefined => (date ? date.toISOString() : date);

/** The next `count` occurrence instants after `from`, via the walker. */
function occurrences(cron: string, timeZone: string, from: string, count: number): string[] {
  const parsed = parseCron(cron);
  if (!parsed.ok) throw new Error(parsed.errors.join());
  const walker = new OccurrenceWalker(parsed.fields, new ZoneClock(timeZone));
  const found: string[] = [];
  let cursor = Date.parse(from);
  for (let index = 0; index < count; index++) {
    const next = walker.nextAfter(cursor);
    if (next === null) break;
    found.push(new Date(next).toISOString());
    cursor = next;
  }
  return found;
}

describe('windowState: opening instants in the zone', () => {
  it.each([
    ['winter (CET)', '2026-01-10T12:00:00Z', '2026-01-11T01:00:00.000Z'],
    ['summer (CEST)', '2026-07-04T12:00:00Z', '2026-07-05T00:00:00.000Z'],
    ['spring-forward Sunday: 02:00 does not exist, opens 03:00 CEST', '2026-03-28T12:00:00Z', '2026-03-29T01:00:00.000Z'],
    ['the Sunday after', '2026-03-30T00:00:00Z', '2026-04-05T00:00:00.000Z'],
  ])('0 2 * * 0 in Europe/Berlin, %s', (_label, now, expected) => {
    const state = windowState(schedule('0 2 * * 0', '2h', 'Europe/Berlin'), at(now));
    expect(state.open).toBe(false);
    expect(iso(state.nextOpen)).toBe(expected);
    expect(state.nextClose?.getTime()).toBe(Date.parse(expected) + 2 * 3_600_000);
  });

  it('is open during the window and says when it opened and closes', () => {
    const state = windowState(schedule('0 2 * * 0', '2h', 'Europe/Berlin'), at('2026-01-11T02:30:00Z'));
    expect(state).toEqual({
      open: true,
      openedAt: at('2026-01-11T01:00:00Z'),
      closesAt: at('2026-01-11T03:00:00Z'),
      nextOpen: at('2026-01-18T01:00:00Z'),
      nextClose: at('2026-01-11T03:00:00Z'),
    });
  });
});

describe('DST: a skipped time opens at the end of the gap, a repeated time fires once', () => {
  it.each([
    ['Berlin spring gap, 02:30 -> 03:00 CEST', '30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']],
    ['New York spring gap, 02:30 -> 03:00 EDT', '30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']],
    ['a list of hours too (croner would skip it)', '30 2,14 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-28T13:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T12:30:00.000Z']],
    ['several times inside one gap become one opening', '*/20 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', ['2026-03-29T01:00:00.000Z', '2026-03-30T00:00:00.000Z']],
    ['Berlin fall-back, 02:30 fires at the first (CEST) pass only', '30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']],
    ['New York fall-back, 01:30 fires at the first (EDT) pass only', '30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']],
    ['every 30 minutes skips the repeated hour', '*/30 * * * *', 'Europe/Berlin', '2026-10-24T23:45:00Z', ['2026-10-25T00:00:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-25T02:00:00.000Z']],
  ])('%s', (_label, cron, zone, from, expected) => {
    expect(occurrences(cron, zone, from, expected.length)).toEqual(expected);
  });

  it('Berlin spring-forward: a 02:30 window opens at 01:00Z and not a moment before', () => {
    const rule = schedule('30 2 29 3 *', '1h', 'Europe/Berlin');
    expect(windowState(rule, at('2026-03-29T00:59:59.999Z')).open).toBe(false);
    expect(windowState(rule, at('2026-03-29T01:00:00Z'))).toMatchObject({ open: true, openedAt: at('2026-03-29T01:00:00Z'), closesAt: at('2026-03-29T02:00:00Z') });
  });

  it('Berlin fall-back: a 02:30 window is closed during the second 02:30', () => {
    const rule = schedule('30 2 * * *', '30m', 'Europe/Berlin');
    expect(windowState(rule, at('2026-10-25T00:45:00Z')).open).toBe(true); // 02:45 CEST
    expect(windowState(rule, at('2026-10-25T01:45:00Z'))).toMatchObject({ open: false, nextOpen: at('2026-10-26T01:30:00Z') }); // 02:45 CET
  });
});

describe('overlapping and wrapping windows', () => {
  it('stays open until the last overlapping occurrence ends (*/10 8-9 with 25m)', () => {
    const state = windowState(schedule('*/10 8-9 * * *', '25m'), at('2026-05-04T09:55:00Z'));
    expect(state).toEqual({
      open: true,
      openedAt: at('2026-05-04T08:00:00Z'),
      closesAt: at('2026-05-04T10:15:00Z'),
      nextOpen: at('2026-05-05T08:00:00Z'),
      nextClose: at('2026-05-04T10:15:00Z'),
    });
  });

  it('*/10 with 25m never closes in UTC', () => {
    const state = windowState(schedule('*/10 * * * *', '25m'), at('2026-05-04T09:55:00Z'));
    expect(state).toEqual({ open: true, openedAt: undefined, closesAt: undefined, nextOpen: null, nextClose: null });
  });

  it('*/10 with 25m in Berlin closes once a year, in the repeated hour', () => {
    const state = windowState(schedule('*/10 * * * *', '25m', 'Europe/Berlin'), at('2026-10-25T00:55:00Z'));
    expect(state).toMatchObject({
      open: true,
      openedAt: at('2025-10-26T02:00:00Z'), // 03:00 CET after last year's repeated hour
      closesAt: at('2026-10-25T01:15:00Z'), // 02:50 CEST + 25m
      nextOpen: at('2026-10-25T02:00:00Z'), // 03:00 CET
    });
  });

  it.each([
    ['UTC', '2026-05-05T00:45:00Z', '2026-05-04T23:30:00Z', '2026-05-05T01:30:00Z'],
    ['Europe/Berlin', '2026-05-04T22:45:00Z', '2026-05-04T21:30:00Z', '2026-05-04T23:30:00Z'],
  ])('30 23 * * * for 2h wraps midnight (%s): open at 00:45 local the next day', (zone, now, opened, closes) => {
    expect(windowState(schedule('30 23 * * *', '2h', zone), at(now))).toMatchObject({ open: true, openedAt: at(opened), closesAt: at(closes) });
  });

  it.each([
    ['one ms before', '2026-05-04T04:14:59.999Z', false],
    ['at the start', '2026-05-04T04:15:00.000Z', true],
    ['one ms before the end', '2026-05-04T04:15:59.999Z', true],
    ['at start + 60s exactly', '2026-05-04T04:16:00.000Z', false],
  ])('a one-minute window, %s', (_label, now, open) => {
    expect(windowState(schedule('15 4 * * *', '1m'), at(now)).open).toBe(open);
  });

  it('treats back-to-back occurrences as one window (no edge between them)', () => {
    const state = windowState(schedule('0 */2 * * *', '2h'), at('2026-05-04T09:00:00Z'));
    expect(state).toMatchObject({ open: true, openedAt: undefined, closesAt: undefined });
  });

  it('finds a Feb 29 window years ahead', () => {
    expect(iso(windowState(schedule('0 0 29 2 *', '1h'), at('2097-01-01T00:00:00Z')).nextOpen)).toBe('2104-02-29T00:00:00.000Z');
  });
});

describe('nextEdge', () => {
  const weekly = schedule('0 2 * * 0', '2h', 'Europe/Berlin', 'weekly');
  const nightly = schedule('30 23 * * *', '2h', 'UTC', 'nightly');
  const always = schedule('* * * * *', '7d', 'UTC', 'always');

  it.each([
    ['nothing scheduled', [], '2026-01-10T12:00:00Z', null],
    ['the nearest opening', [weekly, nightly], '2026-01-10T12:00:00Z', '2026-01-10T23:30:00.000Z'],
    ['a closing comes before an opening', [weekly, nightly], '2026-01-11T00:30:00Z', '2026-01-11T01:00:00.000Z'],
    ['the open window closing', [weekly, nightly], '2026-01-11T01:15:00Z', '2026-01-11T01:30:00.000Z'],
    ['a window that never closes has no edge', [always], '2026-01-10T12:00:00Z', null],
    ['exactly at an opening, the next edge is its closing', [nightly], '2026-01-10T23:30:00Z', '2026-01-11T01:30:00.000Z'],
  ])('%s', (_label, schedules, now, expected) => {
    expect(iso(nextEdge(schedules, at(now)))).toBe(expected);
  });

  // How fast this is at 100 schedules is a benchmark figure (bench/, window edge latency), not asserted here.
  it('over 100 schedules in five zones across a DST night, is the earliest edge of any of them', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
    const crons = ['0 2 * * 0', '*/10 8-17 * * 1-5', '30 23 * * *', '0 0 1 * *', '*/5 * * * *'];
    const many = Array.from({ length: 100 }, (_, index) => schedule(crons[index % 5], index % 3 === 0 ? '45m' : '2h', zones[index % 5], `s${index}`));
    const now = at('2026-03-29T00:30:00Z');
    const each = many.map((one) => nextEdge([one], now)?.getTime() ?? Infinity);
    expect(nextEdge(many, now)?.getTime()).toBe(Math.min(...each));
  });
});

describe('agreement with croner where croner has no DST choices to make', () => {
  const field = (max: number, min = 0) =>
    fc.oneof(
      fc.constant('*'),
      fc.integer({ min, max }).map(String),
      fc.tuple(fc.integer({ min, max }), fc.integer({ min, max })).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      fc.integer({ min: 2, max: Math.min(max, 15) }).map((step) => `*/${step}`),
      fc.uniqueArray(fc.integer({ min, max }), { minLength: 2, maxLength: 4 }).map((values) => values.join(',')),
    );
  const cronArb = fc.tuple(field(59), field(23), field(31, 1), field(12, 1), field(6)).map((parts) => parts.join(' '));

  it('lists the same occurrences in UTC for random expressions', () => {
    fc.assert(
      fc.property(cronArb, fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), (cron, from) => {
        fc.pre(parseCron(cron).ok);
        const start = new Date(Math.floor(from.getTime() / 60_000) * 60_000).toISOString();
        const theirs = new Cron(cron, { timezone: 'UTC', paused: true }).nextRuns(12, new Date(start)).map((date) => date.toISOString());
        expect(occurrences(cron, 'UTC', start, 12)).toEqual(theirs);
      }),
      { numRuns: 300 },
    );
  });

  it('lists the same occurrences as croner for one-time-a-day crons across DST in New York and Berlin', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 }), fc.constantFrom('Europe/Berlin', 'America/New_York'), (minute, hour, zone) => {
        const cron = `${minute} ${hour} * * *`;
        const theirs = new Cron(cron, { timezone: zone, paused: true }).nextRuns(10, new Date('2026-03-04T00:00:00Z')).map((date) => date.toISOString());
        expect(occurrences(cron, zone, '2026-03-04T00:00:00Z', 10)).toEqual(theirs);
      }),
      { numRuns: 100 },
    );
  });
});

describe('croner 11 on DST days (why occurrences are walked here, not by croner)', () => {
  const runs = (cron: string, zone: string, from: string, count: number) =>
    new Cron(cron, { timezone: zone, paused: true }).nextRuns(count, new Date(from)).map((date) => date.toISOString());

  it('skips a gap time for a list of hours, where our rule opens at 03:00', () => {
    expect(runs('30 2,14 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-28T13:30:00.000Z', '2026-03-29T12:30:00.000Z']);
  });

  it('fires a wildcard cron on both passes of a repeated hour, where our rule fires once', () => {
    expect(runs('*/30 * * * *', 'Europe/Berlin', '2026-10-24T23:45:00Z', 4)).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T01:30:00.000Z',
    ]);
  });
});
