import { parseInstant } from './instant-expression';

const at = (text: string, now: string, zone: string) => {
  const result = parseInstant(text, Date.parse(now), zone);
  return result.ok ? new Date(result.at).toISOString() : `error: ${result.error}`;
};

describe('parseInstant', () => {
  it.each([
    // [expression, now, zone, expected instant]
    ['2026-12-24T02:00', '2026-12-07T10:00:00Z', 'Europe/Berlin', '2026-12-24T01:00:00.000Z'],
    ['2026-12-24 02:00', '2026-12-07T10:00:00Z', 'America/New_York', '2026-12-24T07:00:00.000Z'],
    ['2026-12-24T02:00Z', '2026-12-07T10:00:00Z', 'Europe/Berlin', '2026-12-24T02:00:00.000Z'],
    ['2026-12-24T02:00:30.250+05:30', '2026-12-07T10:00:00Z', 'UTC', '2026-12-23T20:30:30.250Z'],
    ['2026-12-24', '2026-12-07T10:00:00Z', 'Europe/Berlin', '2026-12-23T23:00:00.000Z'],
    ['now', '2026-12-07T10:00:00Z', 'UTC', '2026-12-07T10:00:00.000Z'],
    ['+3h', '2026-12-07T10:00:00Z', 'UTC', '2026-12-07T13:00:00.000Z'],
    ['+1h30m', '2026-12-07T10:00:00Z', 'UTC', '2026-12-07T11:30:00.000Z'],
    ['-2d', '2026-12-07T10:00:00Z', 'UTC', '2026-12-05T10:00:00.000Z'],
    ['tomorrow 02:00', '2026-12-07T22:30:00Z', 'UTC', '2026-12-08T02:00:00.000Z'],
    // 23:30 UTC on Monday is already Tuesday 00:30 in Berlin: "tomorrow" is Wednesday there.
    ['tomorrow 02:00', '2026-12-07T23:30:00Z', 'Europe/Berlin', '2026-12-09T01:00:00.000Z'],
    ['today 18:00', '2026-12-07T10:00:00Z', 'Europe/Berlin', '2026-12-07T17:00:00.000Z'],
    ['02:00', '2026-12-07T10:00:00Z', 'UTC', '2026-12-08T02:00:00.000Z'],
    ['18:00', '2026-12-07T10:00:00Z', 'UTC', '2026-12-07T18:00:00.000Z'],
    // 2026-12-07 is a Monday.
    ['sat 02:00', '2026-12-07T10:00:00Z', 'Europe/Berlin', '2026-12-12T01:00:00.000Z'],
    ['Saturday 2', '2026-12-07T10:00:00Z', 'UTC', '2026-12-12T02:00:00.000Z'],
    ['mon 09:00', '2026-12-07T10:00:00Z', 'UTC', '2026-12-14T09:00:00.000Z'],
    ['mon 11:00', '2026-12-07T10:00:00Z', 'UTC', '2026-12-07T11:00:00.000Z'],
    ['  TOMORROW   02:00 ', '2026-12-07T10:00:00Z', 'UTC', '2026-12-08T02:00:00.000Z'],
  ])('%s at %s in %s is %s', (text, now, zone, expected) => {
    expect(at(text, now, zone)).toBe(expected);
  });

  describe('across DST changes', () => {
    it.each([
      // Europe/Berlin springs forward on 2026-03-29 at 02:00 (CET +1 -> CEST +2): 02:30 does not exist, the gap's end is taken.
      ['tomorrow 02:30', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
      ['sun 03:00', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
      ['sun 01:59', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-29T00:59:00.000Z'],
      // +3h is elapsed time: 01:30 CET + 3 h is 05:30 CEST.
      ['+3h', '2026-03-29T00:30:00Z', 'Europe/Berlin', '2026-03-29T03:30:00.000Z'],
      // Berlin falls back on 2026-10-25 at 03:00 CEST -> 02:00 CET: 02:30 happens twice, the first is taken.
      ['sun 02:30', '2026-10-24T12:00:00Z', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
      ['sun 04:00', '2026-10-24T12:00:00Z', 'Europe/Berlin', '2026-10-25T03:00:00.000Z'],
      ['2026-10-25T02:30', '2026-10-24T12:00:00Z', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
      // America/New_York: forward on 2026-03-08 at 02:00 (EST -5 -> EDT -4), back on 2026-11-01 at 02:00.
      ['tomorrow 02:15', '2026-03-07T15:00:00Z', 'America/New_York', '2026-03-08T07:00:00.000Z'],
      ['tomorrow 12:00', '2026-03-07T15:00:00Z', 'America/New_York', '2026-03-08T16:00:00.000Z'],
      ['sun 01:30', '2026-10-31T15:00:00Z', 'America/New_York', '2026-11-01T05:30:00.000Z'],
      ['sun 12:00', '2026-10-31T15:00:00Z', 'America/New_York', '2026-11-01T17:00:00.000Z'],
      // Australia/Lord_Howe moves by 30 minutes: forward on 2026-10-04 at 02:00 (+10:30 -> +11), back on 2026-04-05 at 02:00 (+11 -> +10:30).
      ['tomorrow 02:15', '2026-10-03T03:00:00Z', 'Australia/Lord_Howe', '2026-10-03T15:30:00.000Z'],
      ['tomorrow 03:00', '2026-10-03T03:00:00Z', 'Australia/Lord_Howe', '2026-10-03T16:00:00.000Z'],
      ['sun 01:45', '2026-04-04T03:00:00Z', 'Australia/Lord_Howe', '2026-04-04T14:45:00.000Z'],
      ['sun 03:00', '2026-04-04T03:00:00Z', 'Australia/Lord_Howe', '2026-04-04T16:30:00.000Z'],
    ])('%s at %s in %s is %s', (text, now, zone, expected) => {
      expect(at(text, now, zone)).toBe(expected);
    });
  });

  it.each([
    ['next tuesday maybe', /is not a time/],
    ['2026-02-31T02:00', /is not a time/],
    ['2026-13-01', /is not a time/],
    ['25:00', /is not a time/],
    ['+3 parsecs', /is not a time/],
    ['t 02:00', /is not a time/],
    ['+4000d', /ten years/],
    ['', /is not a time/],
  ])('refuses %s', (text, error) => {
    expect(at(text, '2026-12-07T10:00:00Z', 'UTC')).toMatch(error);
  });

  it('refuses an unknown zone and names it', () => {
    expect(at('now', '2026-12-07T10:00:00Z', 'Mars/Olympus')).toMatch(/Mars\/Olympus.*not an IANA zone/);
  });
});
