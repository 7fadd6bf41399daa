/** Window maths for the calendar fields: one-off windows (`at`), offsetDays, validFrom/validUntil (SPEC 10). */
import { Cron } from 'croner';
import { ScheduleSpec } from './schedule';
import { nextEdge, scheduleWalker, windowState } from './window';

const DAY_MS = 86_400_000;

function cronSchedule(cron: string, timeZone: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return { name: 'test', preset: 'security', cron, duration: '1h', timeZone, kind: 'allow', ...extra };
}

function oneOff(at: string, timeZone: string, duration = '1h'): ScheduleSpec {
  return { name: 'once', preset: 'security', at, duration, timeZone, kind: 'allow' };
}

/** The next `count` occurrence starts after `from`, from the walker the window maths uses. */
function starts(rule: ScheduleSpec, from: string, count: number): string[] {
  const walker = scheduleWalker(rule);
  const found: string[] = [];
  for (let next = walker.nextAfter(Date.parse(from)); next !== null && found.length < count; next = walker.nextAfter(next)) {
    found.push(new Date(next).toISOString());
  }
  return found;
}

const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

describe('one-off windows (at) across DST changes', () => {
  it.each([
    // Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
    ['Europe/Berlin', 'an ordinary winter evening', '2026-01-15T18:00', '2026-01-15T17:00:00.000Z'],
    ['Europe/Berlin', '02:30 in the spring gap opens at 03:00 CEST', '2026-03-29T02:30', '2026-03-29T01:00:00.000Z'],
    ['Europe/Berlin', 'the repeated 02:30 opens at its first (CEST) occurrence', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z'],
    // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
    ['America/New_York', '02:30 in the spring gap opens at 03:00 EDT', '2026-03-08T02:30', '2026-03-08T07:00:00.000Z'],
    ['America/New_York', 'the repeated 01:30 opens at its first (EDT) occurrence', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z'],
    // Australia/Lord_Howe moves by 30 minutes: 2026-10-04 02:00 (+10:30) -> 02:30 (+11); 2026-04-05 02:00 (+11) -> 01:30 (+10:30).
    ['Australia/Lord_Howe', '02:15 in the 30-minute gap opens at 02:30 (+11)', '2026-10-04T02:15', '2026-10-03T15:30:00.000Z'],
    ['Australia/Lord_Howe', 'the repeated 01:45 opens at its first (+11) occurrence', '2026-04-05T01:45', '2026-04-04T14:45:00.000Z'],
    ['Australia/Lord_Howe', 'a summer morning (+11)', '2026-01-10T09:00', '2026-01-09T22:00:00.000Z'],
    ['Europe/Berlin', 'an explicit offset names the instant, whatever the zone', '2026-03-29T02:30+01:00', '2026-03-29T01:30:00.000Z'],
    ['America/New_York', 'so does Z', '2026-11-01T01:30Z', '2026-11-01T01:30:00.000Z'],
  ])('%s: %s', (timeZone, _label, at, opens) => {
    const rule = oneOff(at, timeZone);
    const start = Date.parse(opens);
    expect(windowState(rule, new Date(start - 60_000))).toEqual({ open: false, nextOpen: new Date(start), nextClose: new Date(start + 3_600_000) });
    expect(windowState(rule, new Date(start))).toEqual({ open: true, openedAt: new Date(start), closesAt: new Date(start + 3_600_000), nextOpen: null, nextClose: new Date(start + 3_600_000) });
    expect(windowState(rule, new Date(start + 3_600_000))).toEqual({ open: false, nextOpen: null, nextClose: null });
  });

  it('lasts its duration in real time over a DST change (Berlin night of 2026-03-29: 6h, not 6 wall-clock hours)', () => {
    const state = windowState(oneOff('2026-03-28T23:00', 'Europe/Berlin', '6h'), new Date('2026-03-29T02:00:00Z'));
    expect([state.open, iso(state.openedAt), iso(state.closesAt)]).toEqual([true, '2026-03-28T22:00:00.000Z', '2026-03-29T04:00:00.000Z']);
  });

  it('is an edge for the timer before it opens and while it is open, and none after', () => {
    const rule = oneOff('2026-12-24T18:00', 'Europe/Berlin', '2h');
    expect(iso(nextEdge([rule], new Date('2026-12-01T00:00:00Z')))).toBe('2026-12-24T17:00:00.000Z');
    expect(iso(nextEdge([rule], new Date('2026-12-24T17:30:00Z')))).toBe('2026-12-24T19:00:00.000Z');
    expect(nextEdge([rule], new Date('2026-12-24T19:00:00Z'))).toBeNull();
  });
});

describe('offsetDays: each cron match moved by whole days on the wall clock', () => {
  it.each([
    // Fridays of February 2028 are the 4th, 11th, 18th and 25th; 2028 is a leap year.
    ['last Friday of Feb 2028 + 2 days', '0 22 * 2 5', 2, '2028-02-26T00:00:00Z', ['2028-02-27T22:00:00.000Z']],
    ['last Friday of Feb 2028 + 4 days is the leap day', '0 22 * 2 5', 4, '2028-02-26T00:00:00Z', ['2028-02-29T22:00:00.000Z']],
    ['last Friday of Feb 2028 + 5 days is 1 March', '0 22 * 2 5', 5, '2028-02-26T00:00:00Z', ['2028-03-01T22:00:00.000Z']],
    ['last Friday of Feb 2027 (the 26th) + 4 days skips the missing 29th', '0 22 * 2 5', 4, '2027-02-27T00:00:00Z', ['2027-03-02T22:00:00.000Z']],
    ['the 31st + 1 day is the 1st after every 31-day month', '0 3 31 * *', 1, '2026-04-15T00:00:00Z', ['2026-06-01T03:00:00.000Z', '2026-08-01T03:00:00.000Z', '2026-09-01T03:00:00.000Z']],
    ['1 March - 1 day is the leap day in 2028 and 28 Feb otherwise', '0 0 1 3 *', -1, '2027-01-01T00:00:00Z', ['2027-02-28T00:00:00.000Z', '2028-02-29T00:00:00.000Z', '2029-02-28T00:00:00.000Z']],
    ['1 January - 1 day crosses the year', '0 12 1 1 *', -1, '2026-06-01T00:00:00Z', ['2026-12-31T12:00:00.000Z', '2027-12-31T12:00:00.000Z']],
    ['days 1-7 - 27 days land in the month before', '0 9 1-7 * *', -27, '2026-06-20T00:00:00Z', ['2026-07-05T09:00:00.000Z', '2026-07-06T09:00:00.000Z']],
  ])('%s', (_label, cron, offsetDays, from, expected) => {
    expect(starts(cronSchedule(cron, 'UTC', { offsetDays }), from, expected.length)).toEqual(expected);
  });

  it('keeps the wall-clock time across DST: Fridays 02:00 + 2 days are the Sundays 02:00 of Europe/Berlin', () => {
    const shifted = starts(cronSchedule('0 2 * * 5', 'Europe/Berlin', { offsetDays: 2 }), '2026-03-01T00:00:00Z', 60);
    expect(shifted).toEqual(starts(cronSchedule('0 2 * * 0', 'Europe/Berlin'), '2026-03-01T00:00:00Z', 60));
    // Including the spring-forward Sunday (02:00 does not exist: 03:00 CEST) and the fall-back one (first 02:00).
    expect(shifted).toEqual(expect.arrayContaining(['2026-03-29T01:00:00.000Z', '2026-10-25T00:00:00.000Z']));
  });

  it('a 30-minute DST change on the shifted day (Lord Howe): Friday 02:15 + 2 days opens at 02:30 +11 on 2026-10-04', () => {
    expect(starts(cronSchedule('15 2 * * 5', 'Australia/Lord_Howe', { offsetDays: 2 }), '2026-10-01T00:00:00Z', 2)).toEqual(['2026-10-03T15:30:00.000Z', '2026-10-10T15:15:00.000Z']);
  });

  it.each([
    ['0 3 1,15 * *', 3],
    ['30 4 28-31 * *', 1],
    ['0 0 29 2 *', -27],
    ['15 6 * * 1-5', 27],
    ['0 12 1 * 1', -9],
  ])('agrees with croner (%s, %d days), match by match, in UTC', (cron, offsetDays) => {
    const from = Date.parse('2026-01-01T00:00:00Z');
    const matches = new Cron(cron, { timezone: 'UTC', legacyMode: true }).nextRuns(40, new Date(from - 40 * DAY_MS)).map((date) => date.getTime() + offsetDays * DAY_MS);
    const expected = matches.filter((instant) => instant > from).map((instant) => new Date(instant).toISOString());
    expect(starts(cronSchedule(cron, 'UTC', { offsetDays }), new Date(from).toISOString(), expected.length)).toEqual(expected);
  });
});

describe('validFrom / validUntil: local days in the zone, inclusive', () => {
  const nightly = cronSchedule('0 0 * * *', 'Europe/Berlin', { validFrom: '2026-06-10', validUntil: '2026-06-12' });

  it('opens first at 00:00 of validFrom in the zone and last on validUntil', () => {
    expect(starts(nightly, '2026-01-01T00:00:00Z', 5)).toEqual(['2026-06-09T22:00:00.000Z', '2026-06-10T22:00:00.000Z', '2026-06-11T22:00:00.000Z']);
    expect(iso(windowState(nightly, new Date('2026-06-09T21:59:59Z')).nextOpen)).toBe('2026-06-09T22:00:00.000Z');
  });

  it('counts an occurrence late on validUntil (up to 24:00 of that day) and lets it run its full duration', () => {
    const late = cronSchedule('30 23 * * *', 'Europe/Berlin', { validUntil: '2026-06-12', duration: '2h' });
    const state = windowState(late, new Date('2026-06-12T22:00:00Z'));
    expect([state.open, iso(state.openedAt), iso(state.closesAt), state.nextOpen]).toEqual([true, '2026-06-12T21:30:00.000Z', '2026-06-12T23:30:00.000Z', null]);
    expect(windowState(late, new Date('2026-06-12T23:30:00Z'))).toEqual({ open: false, nextOpen: null, nextClose: null });
  });

  it('does not open on the day before validFrom, even when the previous occurrence would still be open', () => {
    const rule = cronSchedule('0 22 * * *', 'UTC', { validFrom: '2026-06-10', duration: '4h' });
    expect(windowState(rule, new Date('2026-06-10T01:00:00Z'))).toMatchObject({ open: false, nextOpen: new Date('2026-06-10T22:00:00Z') });
  });

  it('bounds the shifted day, not the cron match: the 31 May match + 1 day counts from validFrom 1 June', () => {
    const rule = cronSchedule('0 3 31 * *', 'UTC', { offsetDays: 1, validFrom: '2026-06-01', validUntil: '2026-07-31' });
    expect(starts(rule, '2026-01-01T00:00:00Z', 3)).toEqual(['2026-06-01T03:00:00.000Z']);
  });

  it('reads the dates in the zone: Lord Howe is already on 10 June when UTC is on the 9th', () => {
    const rule = cronSchedule('0 0 * * *', 'Australia/Lord_Howe', { validFrom: '2026-06-10', validUntil: '2026-06-10' });
    expect(starts(rule, '2026-06-01T00:00:00Z', 2)).toEqual(['2026-06-09T13:30:00.000Z']);
  });

  it('finds nothing once validUntil has passed, quickly', () => {
    expect(windowState(nightly, new Date('2026-06-13T00:00:00Z'))).toEqual({ open: false, nextOpen: null, nextClose: null });
    expect(nextEdge([nightly], new Date('2026-06-13T00:00:00Z'))).toBeNull();
  });
});
