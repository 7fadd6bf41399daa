import { CalendarWindow, calendarWindowState, parseCalendarFeed } from './calendar-feed';
import { schedulesToICalendar } from './ics';
import { ScheduleSpec } from './schedule';

const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const event = (...lines: string[]): string[] => ['BEGIN:VEVENT', 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT'];

/** A feed like a shared team calendar exports: one recurring maintenance slot, one moved occurrence, and noise. */
const FEED = crlf([
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Example Corp//Ops calendar//EN',
  ...BERLIN,
  ...event('UID:sat-security@example.com', 'DTSTART;TZID=Europe/Berlin:20260103T220000', 'DURATION:PT4H', 'RRULE:FREQ=WEEKLY;BYDAY=SA', 'SUMMARY:Maintenance: security'),
  ...event(
    'UID:sat-security@example.com',
    'RECURRENCE-ID;TZID=Europe/Berlin:20260314T220000',
    'DTSTART;TZID=Europe/Berlin:20260314T230000',
    'DTEND;TZID=Europe/Berlin:20260315T030000',
    'SUMMARY:Maintenance: security (moved)',
  ),
  ...event('UID:lunch@example.com', 'DTSTART:20260302T120000Z', 'DTEND:20260302T130000Z', 'RRULE:FREQ=DAILY', 'SUMMARY:Team lunch'),
  // Hourly for years and without an end: not maintenance, so never expanded and never an error.
  ...event('UID:reminder@example.com', 'DTSTART:20150101T090000Z', 'RRULE:FREQ=HOURLY', 'SUMMARY:Drink water'),
  ...event('UID:tuning@example.com', 'DTSTART:20260312T010000Z', 'DURATION:PT3H', 'CATEGORIES:Maintenance,performance', 'SUMMARY:Quarterly tuning'),
  ...event('UID:freeze@example.com', 'DTSTART:20260316T000000Z', 'DURATION:PT8H', 'X-MAINTENANCE-KIND:deny', 'SUMMARY:maintenance blocked: full (freeze)', 'CATEGORIES:maintenance,full'),
  ...event('UID:called-off@example.com', 'DTSTART:20260317T000000Z', 'DURATION:PT1H', 'STATUS:CANCELLED', 'SUMMARY:maintenance: full'),
  ...event('UID:all-day@example.com', 'DTSTART;VALUE=DATE:20260320', 'SUMMARY:maintenance: minimal'),
  'END:VCALENDAR',
]);

const brief = (windows: CalendarWindow[]) => windows.map(({ uid, preset, start, end }) => `${uid} ${preset} ${start.toISOString()} -> ${end.toISOString()}`);

describe('parseCalendarFeed', () => {
  it('expands recurring events within the horizon and ignores events that are not maintenance windows', () => {
    const { windows, errors } = parseCalendarFeed(FEED, new Date('2026-03-09T00:00:00Z'), 21);
    expect(errors).toEqual([]);
    expect(brief(windows)).toEqual([
      'tuning@example.com performance 2026-03-12T01:00:00.000Z -> 2026-03-12T04:00:00.000Z',
      // The moved occurrence: 23:00-03:00 CET instead of 22:00-02:00.
      'sat-security@example.com security 2026-03-14T22:00:00.000Z -> 2026-03-15T02:00:00.000Z',
      'all-day@example.com minimal 2026-03-20T00:00:00.000Z -> 2026-03-21T00:00:00.000Z',
      'sat-security@example.com security 2026-03-21T21:00:00.000Z -> 2026-03-22T01:00:00.000Z',
      // Ends at 02:00 on the spring-forward night, which does not exist: 03:00 CEST, as for schedules.
      'sat-security@example.com security 2026-03-28T21:00:00.000Z -> 2026-03-29T01:00:00.000Z',
    ]);
    expect(windows[1].summary).toBe('Maintenance: security (moved)');
  });

  it('applies a changed occurrence only to the event with its UID', () => {
    const daily = (uid: string, summary: string) => event(`UID:${uid}`, 'DTSTART:20260309T020000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3', `SUMMARY:${summary}`);
    const text = crlf([
      'BEGIN:VCALENDAR',
      ...daily('a', 'maintenance: security'),
      ...daily('b', 'maintenance: performance'),
      ...event('UID:a', 'RECURRENCE-ID:20260310T020000Z', 'DTSTART:20260310T020000Z', 'DURATION:PT1H', 'STATUS:CANCELLED', 'SUMMARY:maintenance: security'),
      'END:VCALENDAR',
    ]);
    const { windows, errors } = parseCalendarFeed(text, new Date('2026-03-09T00:00:00Z'), 7);
    expect(errors).toEqual([]);
    expect(windows.map((window) => `${window.uid} ${window.start.toISOString().slice(0, 10)}`)).toEqual(['b 2026-03-09', 'a 2026-03-09', 'b 2026-03-10', 'b 2026-03-11', 'a 2026-03-11']);
  });

  it('keeps a window that is open at now and drops ones that ended', () => {
    const { windows } = parseCalendarFeed(FEED, new Date('2026-03-15T01:00:00Z'), 1);
    expect(brief(windows)).toEqual(['sat-security@example.com security 2026-03-14T22:00:00.000Z -> 2026-03-15T02:00:00.000Z']);
  });

  it('reads floating and all-day times in the default zone, not the server zone', () => {
    const { windows } = parseCalendarFeed(FEED, new Date('2026-03-19T00:00:00Z'), 3, { defaultTimeZone: 'America/New_York' });
    expect(brief(windows.filter((window) => window.preset === 'minimal'))).toEqual(['all-day@example.com minimal 2026-03-20T04:00:00.000Z -> 2026-03-21T04:00:00.000Z']);
  });

  it.each([
    ['text that is not iCalendar', 'hello', /^calendar could not be parsed: /],
    ['an empty body', '', /^calendar could not be parsed: expected BEGIN:VCALENDAR$/],
    ['an event outside a calendar', crlf(event('UID:x', 'DTSTART:20260310T000000Z')), /^calendar could not be parsed: expected BEGIN:VCALENDAR$/],
    ['an unknown RRULE frequency', crlf(['BEGIN:VCALENDAR', ...event('UID:x', 'DTSTART:20260310T000000Z', 'RRULE:FREQ=SOMETIMES'), 'END:VCALENDAR']), /invalid frequency "SOMETIMES"/],
    ['a rule that would take too long to reach now', crlf(['BEGIN:VCALENDAR', ...event('UID:x', 'DTSTART:20200101T000000Z', 'RRULE:FREQ=MINUTELY', 'DURATION:PT1M', 'SUMMARY:maintenance: full'), 'END:VCALENDAR']), /^event "x": stopped after 20000 occurrences/],
    ['a truncated calendar', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n', /^calendar could not be parsed: /],
    ['an event without DTSTART', crlf(['BEGIN:VCALENDAR', ...event('UID:x', 'SUMMARY:maintenance: full'), 'END:VCALENDAR']), /^event "x": has no DTSTART$/],
    ['a bad DTSTART', crlf(['BEGIN:VCALENDAR', ...event('UID:x', 'DTSTART:tomorrow', 'SUMMARY:maintenance: full'), 'END:VCALENDAR']), /^(event "x": |calendar could not be parsed: )/],
    ['an event with no length', crlf(['BEGIN:VCALENDAR', ...event('UID:x', 'DTSTART:20260310T000000Z', 'SUMMARY:maintenance: full'), 'END:VCALENDAR']), /^event "x": has no duration/],
    ['an unknown zone with no VTIMEZONE', crlf(['BEGIN:VCALENDAR', ...event('UID:x', 'DTSTART;TZID=Mars/Base:20260310T000000', 'DURATION:PT1H', 'SUMMARY:maintenance: full'), 'END:VCALENDAR']), /^event "x": unknown time zone "Mars\/Base"/],
  ])('reports %s instead of throwing', (_label, text, message) => {
    const result = parseCalendarFeed(text, new Date('2026-03-09T00:00:00Z'), 30);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(message);
  });

  it('reports presets it does not know when given the list', () => {
    const { windows, errors } = parseCalendarFeed(FEED, new Date('2026-03-09T00:00:00Z'), 14, { knownPresets: ['security', 'minimal'] });
    expect([...new Set(windows.map((window) => window.preset))]).toEqual(['security', 'minimal']);
    expect(errors).toEqual(['event "tuning@example.com" names unknown preset "performance"']);
  });

  it('reads back its own export: allow windows open their preset, deny windows are skipped', () => {
    const schedules: ScheduleSpec[] = [
      { name: 'weekly', preset: 'security', cron: '0 2 * * 0', duration: '2h', timeZone: 'Europe/Berlin', kind: 'allow' },
      { name: 'freeze', preset: 'full', cron: '0 9 * * 1-5', duration: '8h', timeZone: 'Europe/Berlin', kind: 'deny' },
    ];
    const now = new Date('2026-03-16T00:00:00Z');
    const { windows, errors } = parseCalendarFeed(schedulesToICalendar(schedules, now), now, 21);
    expect(errors).toEqual([]);
    expect(brief(windows)).toEqual([
      'weekly@maintenance-orchestrator security 2026-03-22T01:00:00.000Z -> 2026-03-22T03:00:00.000Z',
      'weekly@maintenance-orchestrator security 2026-03-29T01:00:00.000Z -> 2026-03-29T03:00:00.000Z',
      'weekly@maintenance-orchestrator security 2026-04-05T00:00:00.000Z -> 2026-04-05T02:00:00.000Z',
    ]);
  });
});

describe('calendarWindowState', () => {
  const window = (start: string, end: string): CalendarWindow => ({ uid: 'u', preset: 'security', start: new Date(start), end: new Date(end), summary: 's' });
  const windows = [window('2026-03-10T02:00:00Z', '2026-03-10T04:00:00Z'), window('2026-03-10T03:00:00Z', '2026-03-10T05:00:00Z'), window('2026-03-11T02:00:00Z', '2026-03-11T03:00:00Z')];
  const d = (iso: string) => new Date(iso);

  it.each([
    ['before any window', '2026-03-10T00:00:00Z', { open: false, nextOpen: d('2026-03-10T02:00:00Z'), nextClose: d('2026-03-10T05:00:00Z') }],
    ['in overlapping windows: open until the later one ends', '2026-03-10T03:30:00Z', { open: true, openedAt: d('2026-03-10T02:00:00Z'), closesAt: d('2026-03-10T05:00:00Z'), nextOpen: d('2026-03-11T02:00:00Z'), nextClose: d('2026-03-10T05:00:00Z') }],
    ['exactly at the end', '2026-03-10T05:00:00Z', { open: false, nextOpen: d('2026-03-11T02:00:00Z'), nextClose: d('2026-03-11T03:00:00Z') }],
    ['in the last window', '2026-03-11T02:00:00Z', { open: true, openedAt: d('2026-03-11T02:00:00Z'), closesAt: d('2026-03-11T03:00:00Z'), nextOpen: null, nextClose: d('2026-03-11T03:00:00Z') }],
    ['after every window', '2026-03-12T00:00:00Z', { open: false, nextOpen: null, nextClose: null }],
  ])('%s', (_label, now, expected) => {
    expect(calendarWindowState(windows, d(now))).toEqual(expected);
  });
});
