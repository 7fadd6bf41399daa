import ICAL from 'ical.js';
import { parseCron } from './cron-expression';
import { cronToRrule, schedulesToICalendar } from './ics';
import { ScheduleSpec } from './schedule';
import { scheduleWalker, windowState } from './window';
import { DAY_MS } from './zone';

function schedule(name: string, cron: string, duration: string, timeZone: string, extra: Partial<ScheduleSpec> = {}): ScheduleSpec {
  return { name, preset: 'security', cron, duration, timeZone, kind: 'allow', ...extra };
}

/** Occurrence starts of one event as ical.js expands it, from `from` (inclusive) to `until` (exclusive). */
function icalStarts(ics: string, uid: string, from: Date, until: Date): string[] {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const component = calendar.getAllSubcomponents('vevent').find((event) => event.getFirstPropertyValue('uid') === uid);
  if (!component) throw new Error(`no event ${uid}`);
  const iterator = new ICAL.Event(component).iterator();
  const starts: string[] = [];
  for (let next = iterator.next(); next && next.toJSDate() < until; next = iterator.next()) {
    if (next.toJSDate() >= from) starts.push(next.toJSDate().toISOString());
  }
  return starts;
}

/** Openings by chaining windowState's nextOpen (the windows here never overlap, so openings are occurrences). */
function windowStateOpenings(rule: ScheduleSpec, from: Date, until: Date): string[] {
  const openings: string[] = [];
  for (let next = windowState(rule, from).nextOpen; next && next < until; next = windowState(rule, next).nextOpen) {
    openings.push(next.toISOString());
  }
  return openings;
}

/** Every occurrence start in [from, until), from the walker windowState is built on. */
function walkerStarts(rule: ScheduleSpec, from: Date, until: Date): string[] {
  const walker = scheduleWalker(rule);
  const starts: string[] = [];
  for (let next = walker.nextAfter(from.getTime() - 1); next !== null && next < until.getTime(); next = walker.nextAfter(next)) {
    starts.push(new Date(next).toISOString());
  }
  return starts;
}

describe('cronToRrule', () => {
  it.each([
    ['0 2 * * 0', 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0'],
    ['30 23 * * *', 'FREQ=DAILY;BYHOUR=23;BYMINUTE=30'],
    ['0 22 * * 1-5', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=22;BYMINUTE=0'],
    ['0 3 1,15 * *', 'FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=3;BYMINUTE=0'],
    ['15 1 * 1-3 sat,sun', 'FREQ=WEEKLY;BYMONTH=1,2,3;BYDAY=SU,SA;BYHOUR=1;BYMINUTE=15'],
    ['*/20 8,20 * * *', 'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0,20,40'],
    ['0 3 1 * 1', null],
  ])('%s -> %s', (cron, expected) => {
    const parsed = parseCron(cron);
    if (!parsed.ok) throw new Error(parsed.errors.join());
    expect(cronToRrule(parsed.fields)).toBe(expected);
  });
});

describe('schedulesToICalendar: the file', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const ics = schedulesToICalendar(
    [
      schedule('weekly-security', '0 2 * * 0', '2h', 'Europe/Berlin', { description: 'Sonntagnacht: Überprüfung, Patches; Scans 🔒 and a description long enough to need folding twice over' }),
      schedule('nightly-freeze', '30 2 * * *', '1h', 'America/New_York', { kind: 'deny', preset: 'off-hours' }),
    ],
    now,
  );
  const lines = ics.split('\r\n');

  it('uses CRLF everywhere and folds lines at 75 octets', () => {
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(lines.some((line) => line.includes('\n') || line.includes('\r'))).toBe(false);
    expect(Math.max(...lines.map((line) => Buffer.byteLength(line, 'utf8')))).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
  });

  it('has the calendar header, a VTIMEZONE per zone and one VEVENT per schedule', () => {
    expect(lines.slice(0, 3)).toEqual(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//maintenance-orchestrator//schedules//EN']);
    expect(lines.filter((line) => line.startsWith('TZID:'))).toEqual(['TZID:Europe/Berlin', 'TZID:America/New_York']);
    expect(lines.filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(2);
  });

  it('is read back by ical.js with the same properties', () => {
    const events = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    expect(
      events.map((event) => ({
        uid: event.uid,
        summary: event.summary,
        categories: event.component.getFirstProperty('categories')?.getValues(),
        kind: event.component.getFirstPropertyValue('x-maintenance-kind'),
        duration: event.duration.toString(),
        rrule: String(event.component.getFirstPropertyValue('rrule')),
        dtstart: event.component.getFirstProperty('dtstart')?.toICALString(),
      })),
    ).toEqual([
      {
        uid: 'weekly-security@maintenance-orchestrator',
        summary: 'maintenance: security (weekly-security)',
        categories: ['maintenance', 'security'],
        kind: 'allow',
        duration: 'PT2H',
        rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0',
        dtstart: 'DTSTART;TZID=Europe/Berlin:20260308T020000',
      },
      {
        uid: 'nightly-freeze@maintenance-orchestrator',
        summary: 'maintenance blocked: off-hours (nightly-freeze)',
        categories: ['maintenance', 'off-hours'],
        kind: 'deny',
        duration: 'PT1H',
        rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=30',
        dtstart: 'DTSTART;TZID=America/New_York:20260302T023000',
      },
    ]);
    expect(events[0].description).toContain('Überprüfung, Patches; Scans 🔒');
  });

  it('writes no event for a schedule that will not open within the horizon', () => {
    const never = schedulesToICalendar([schedule('leap', '0 3 29 2 1', '1h', 'UTC')], new Date('2026-03-01T00:00:00Z'), { horizonDays: 7 });
    expect(never).not.toContain('BEGIN:VEVENT');
  });
});

describe('schedulesToICalendar: ical.js expands the same openings as windowState', () => {
  it.each([
    ['Berlin weekly across the spring-forward Sunday', schedule('a', '0 2 * * 0', '2h', 'Europe/Berlin'), '2026-03-01T12:00:00Z', 10],
    ['Berlin daily 02:30 across spring-forward (ical.js alone would say 00:30Z)', schedule('b', '30 2 * * *', '1h', 'Europe/Berlin'), '2026-03-20T00:00:00Z', 3],
    ['Berlin daily 02:30 across fall-back (ical.js alone would pick the second pass)', schedule('c', '30 2 * * *', '1h', 'Europe/Berlin'), '2026-10-10T00:00:00Z', 4],
    ['Berlin three times inside the gap hour', schedule('d', '*/20 2 * * *', '15m', 'Europe/Berlin'), '2026-03-22T00:00:00Z', 2],
    ['New York 01:30 across fall-back', schedule('e', '30 1 * * *', '30m', 'America/New_York'), '2026-10-20T00:00:00Z', 3],
    ['New York weekdays across spring-forward', schedule('f', '30 2 * * 1-5', '30m', 'America/New_York'), '2026-02-25T00:00:00Z', 3],
    ['Sydney twice a night across both changes', schedule('g', '0,30 2 * * *', '20m', 'Australia/Sydney'), '2026-03-30T00:00:00Z', 30],
    ['Casablanca (no yearly rule: listed changes)', schedule('h', '0 2 * * *', '1h', 'Africa/Casablanca'), '2026-02-01T00:00:00Z', 8],
    ['UTC monthly', schedule('i', '0 3 1,15 * *', '1h', 'UTC'), '2026-01-01T00:00:00Z', 12],
    ['Berlin with both day fields (RDATE list)', schedule('j', '0 3 1 * 1', '1h', 'Europe/Berlin'), '2026-03-01T00:00:00Z', 8],
  ])('%s', (_label, rule, nowText, weeks) => {
    const now = new Date(nowText);
    const until = new Date(now.getTime() + weeks * 7 * DAY_MS);
    const ics = schedulesToICalendar([rule], now);
    const expected = windowStateOpenings(rule, now, until);
    expect(expected.length).toBeGreaterThan(0);
    expect(icalStarts(ics, `${rule.name}@maintenance-orchestrator`, now, until)).toEqual(expected);
  });

  it('includes the window open right now, overlaps and all', () => {
    const rule = schedule('k', '*/10 8-9 * * 1-5', '25m', 'UTC');
    const now = new Date('2026-05-04T09:55:00Z');
    const until = new Date('2026-05-06T00:00:00Z');
    const ics = schedulesToICalendar([rule], now);
    const starts = icalStarts(ics, 'k@maintenance-orchestrator', new Date(0), until);
    expect(starts[0]).toBe('2026-05-04T09:40:00.000Z');
    expect(starts).toEqual(walkerStarts(rule, new Date('2026-05-04T09:30:00.001Z'), until));
  });
});
