/** The .ics export of blackouts, one-off windows, offsetDays and validFrom/validUntil, read back by ical.js. */
import ICAL from 'ical.js';
import { parseBlackoutFeed } from './blackout-feed';
import { parseCalendarFeed } from './calendar-feed';
import { schedulesToICalendar } from './ics';
import { ScheduleSpec } from './schedule';
import { scheduleWalker } from './window';

const DAY_MS = 86_400_000;

function events(ics: string): InstanceType<typeof ICAL.Event>[] {
  return new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
}

/** Occurrence starts of the only event, as ical.js expands it, before `until`. */
function icalStarts(ics: string, until: Date): string[] {
  const [event] = events(ics);
  const iterator = event.iterator();
  const starts: string[] = [];
  for (let next = iterator.next(); next && next.toJSDate() < until; next = iterator.next()) starts.push(next.toJSDate().toISOString());
  return starts;
}

/** Occurrence starts whose window is still open at `from` or later, before `until`, from the window maths. */
function walkerStarts(rule: ScheduleSpec, from: Date, durationMs: number, until: Date): string[] {
  const walker = scheduleWalker(rule);
  const starts: string[] = [];
  for (let next = walker.nextAfter(from.getTime() - durationMs); next !== null && next < until.getTime(); next = walker.nextAfter(next)) {
    starts.push(new Date(next).toISOString());
  }
  return starts;
}

const base = { preset: 'security', duration: '1h', kind: 'allow' as const };

describe('schedulesToICalendar: calendar fields', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it.each([
    ['Fridays 02:00 Berlin + 2 days, across spring-forward and into summer', { name: 'o', cron: '0 2 * * 5', offsetDays: 2, timeZone: 'Europe/Berlin' }],
    ['the 31st + 1 day in New York', { name: 'p', cron: '0 3 31 * *', offsetDays: 1, timeZone: 'America/New_York' }],
    ['Lord Howe Fridays 02:15 - 5 days (Sundays), over its 30-minute change', { name: 'q', cron: '15 2 * * 5', offsetDays: -5, timeZone: 'Australia/Lord_Howe' }],
    ['Berlin daily 02:30 within validFrom..validUntil around spring-forward', { name: 'r', cron: '30 2 * * *', validFrom: '2026-03-27', validUntil: '2026-03-31', timeZone: 'Europe/Berlin' }],
  ])('%s: ical.js expands the same openings as the window maths', (_label, fields) => {
    const rule: ScheduleSpec = { ...base, ...fields };
    const until = new Date(now.getTime() + 90 * DAY_MS);
    const expected = walkerStarts(rule, now, 3_600_000, until);
    expect(expected.length).toBeGreaterThan(0);
    expect(icalStarts(schedulesToICalendar([rule], now), until)).toEqual(expected);
  });

  it('lists no occurrence after validUntil, whatever the horizon', () => {
    const rule: ScheduleSpec = { ...base, name: 's', cron: '0 9 * * *', timeZone: 'UTC', validUntil: '2026-03-04' };
    expect(icalStarts(schedulesToICalendar([rule], now, { horizonDays: 400 }), new Date('2027-01-01T00:00:00Z'))).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-03T09:00:00.000Z', '2026-03-04T09:00:00.000Z']);
  });

  it('writes a one-off window as one event at its instant (a Lord Howe gap time moved to 02:30 +11), and drops it once closed', () => {
    const rule: ScheduleSpec = { ...base, name: 'once', at: '2026-10-04T02:15', timeZone: 'Australia/Lord_Howe', duration: '90m' };
    const ics = schedulesToICalendar([rule], now);
    expect(icalStarts(ics, new Date('2030-01-01T00:00:00Z'))).toEqual(['2026-10-03T15:30:00.000Z']);
    expect(events(ics)[0].duration.toString()).toBe('PT1H30M');
    expect(events(ics)[0].description).toContain('once at 2026-10-04T02:15 in Australia/Lord_Howe');
    expect(schedulesToICalendar([rule], new Date('2026-10-03T17:00:00Z'))).not.toContain('BEGIN:VEVENT');
  });

  it('marks blackouts as their own kind, which a blackout feed reads back and a maintenance feed ignores', () => {
    const blackout: ScheduleSpec = { name: 'xmas', at: '2026-12-24T00:00', duration: '3d', timeZone: 'Europe/Berlin', kind: 'blackout' };
    const weekly: ScheduleSpec = { name: 'weekend-freeze', cron: '0 18 * * 5', duration: '2d', timeZone: 'UTC', kind: 'blackout' };
    const ics = schedulesToICalendar([blackout, weekly], now);
    expect(events(ics).map((event) => [event.summary, event.component.getFirstPropertyValue('x-maintenance-kind'), event.component.getFirstProperty('categories')?.getValues()])).toEqual([
      ['blackout: xmas', 'blackout', ['blackout']],
      ['blackout: weekend-freeze', 'blackout', ['blackout']],
    ]);
    const readBack = parseBlackoutFeed(ics, now, 30);
    expect(readBack.errors).toEqual([]);
    // Sunday 2026-03-01 12:00: the blackout of Friday 27 February is still open, so it is exported too.
    expect(readBack.windows.slice(0, 2).map((window) => [window.uid, window.start.toISOString(), window.end.toISOString()])).toEqual([
      ['weekend-freeze@maintenance-orchestrator', '2026-02-27T18:00:00.000Z', '2026-03-01T18:00:00.000Z'],
      ['weekend-freeze@maintenance-orchestrator', '2026-03-06T18:00:00.000Z', '2026-03-08T18:00:00.000Z'],
    ]);
    expect(parseBlackoutFeed(ics, now, 400).windows.filter((window) => window.uid === 'xmas@maintenance-orchestrator').map((window) => window.start.toISOString())).toEqual(['2026-12-23T23:00:00.000Z']);
    expect(parseCalendarFeed(ics, now, 400).windows).toEqual([]);
  });
});
