import { validateSchedule } from './schedule';

const valid = { name: 'weekly-security', preset: 'security', cron: '0 2 * * 0', duration: '2h', timeZone: 'Europe/Berlin', kind: 'allow' };

describe('validateSchedule', () => {
  it('accepts a schedule and normalises it', () => {
    expect(validateSchedule({ ...valid, cron: ' 0  2 * *   SUN ', timeZone: 'europe/berlin', description: 'Sunday night' })).toEqual({
      ok: true,
      schedule: { ...valid, cron: '0 2 * * SUN', description: 'Sunday night' },
    });
  });

  it('defaults the zone to UTC', () => {
    const { timeZone, ...withoutZone } = valid;
    expect(timeZone).toBeDefined();
    expect(validateSchedule(withoutZone)).toEqual({ ok: true, schedule: { ...valid, timeZone: 'UTC' } });
  });

  it.each([
    ['*/15 8-17 * * mon-fri'],
    ['0 0 1,15 * *'],
    ['59 23 31 12 7'],
    ['0 0 29 2 *'],
    ['0 22 * jan-mar,oct-dec 1-5/2'],
  ])('accepts cron %s', (cron) => {
    expect(validateSchedule({ ...valid, cron }).ok).toBe(true);
  });

  it.each([
    ['0 25 * * *', 'cron "0 25 * * *": hour 25 is out of range 0-23'],
    ['60 * * * *', 'cron "60 * * * *": minute 60 is out of range 0-59'],
    ['0 0 0 * *', 'cron "0 0 0 * *": day-of-month 0 is out of range 1-31'],
    ['0 0 * 13 *', 'cron "0 0 * 13 *": month 13 is out of range 1-12'],
    ['0 0 * * 8', 'cron "0 0 * * 8": day-of-week 8 is out of range 0-7'],
    ['0 2 * * * *', 'cron "0 2 * * * *": expected 5 fields (minute hour day-of-month month day-of-week), got 6: a seconds field is not supported'],
    ['0 2 * *', 'cron "0 2 * *": expected 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['@daily', 'cron "@daily": macros like @daily are not supported: write the 5 fields, e.g. "0 0 * * *"'],
    ['0 17-9 * * *', 'cron "0 17-9 * * *": hour range 17-9 is reversed: write the smaller value first'],
    ['*/0 * * * *', 'cron "*/0 * * * *": minute step "0" in "*/0" must be a whole number from 1 to 59'],
    ['5/15 * * * *', 'cron "5/15 * * * *": minute "5/15": a step needs * or a range before it, like */15'],
    ['0 0 L * *', 'cron "0 0 L * *": day-of-month "L" is not a number (cron extensions like L, W, # and ? are not supported)'],
    ['0 0 * * mon#2', 'cron "0 0 * * mon#2": day-of-week "mon#2" is not a number or a name like SUN (cron extensions like L, W, # and ? are not supported)'],
    ['0 0 30 2 *', 'cron "0 0 30 2 *": never matches: no month in "2" has a day in "30"'],
    ['0 0,,5 * * *', 'cron "0 0,,5 * * *": hour "" is not a value or range'],
  ])('refuses cron %s', (cron, message) => {
    expect(validateSchedule({ ...valid, cron })).toEqual({ ok: false, errors: [message] });
  });

  it.each([
    ['name', { name: 'Weekly Security' }, 'name "Weekly Security" must be lowercase letters, digits and dashes, start with a letter or digit, at most 63 characters'],
    ['name', { name: '-weekly' }, 'name "-weekly" must be lowercase letters, digits and dashes, start with a letter or digit, at most 63 characters'],
    ['name', { name: 'a'.repeat(64) }, `name "${'a'.repeat(64)}" must be lowercase letters, digits and dashes, start with a letter or digit, at most 63 characters`],
    ['name', { name: undefined }, 'name is required and must be a string'],
    ['preset', { preset: '../etc' }, 'preset "../etc" must be lowercase letters, digits and dashes, start with a letter or digit, at most 63 characters'],
    ['timeZone', { timeZone: 'Mars/Base' }, 'timeZone "Mars/Base": unknown IANA time zone (use names like "Europe/Berlin", "America/New_York" or "UTC")'],
    ['timeZone', { timeZone: '+01:00' }, 'timeZone "+01:00": unknown IANA time zone (use names like "Europe/Berlin", "America/New_York" or "UTC")'],
    ['duration', { duration: '2x' }, 'duration "2x": not a duration; use forms like "30m", "2h", "1h30m" or "1d"'],
    ['duration', { duration: '0m' }, 'duration "0m" must be longer than zero'],
    ['duration', { duration: '8d' }, 'duration "8d" is longer than the 7d limit for one window'],
    ['duration', { duration: '90' }, 'duration "90" needs a unit: write "90m" or "90h"'],
    ['duration', { duration: 7200 }, 'duration is required: a string like "30m", "2h" or "1h30m"'],
    ['kind', { kind: 'block' }, 'kind "block" is invalid: use "allow" (opens the preset), "deny" (blocks the preset\'s activations) or "blackout" (blocks every activation)'],
    ['kind', { kind: undefined }, 'kind is required: use "allow" (opens the preset), "deny" (blocks the preset\'s activations) or "blackout" (blocks every activation)'],
    ['offsetDays', { offsetDays: 28 }, 'offsetDays 28 must be a whole number from -27 to 27'],
    ['offsetDays', { offsetDays: -28 }, 'offsetDays -28 must be a whole number from -27 to 27'],
    ['offsetDays', { offsetDays: 1.5 }, 'offsetDays 1.5 must be a whole number from -27 to 27'],
    ['offsetDays', { offsetDays: '2' }, 'offsetDays "2" must be a whole number from -27 to 27'],
    ['validFrom', { validFrom: '2026-02-30' }, 'validFrom "2026-02-30" must be a date like "2026-12-24" (YYYY-MM-DD, read in timeZone)'],
    ['validUntil', { validUntil: '2026-12-24T00:00' }, 'validUntil "2026-12-24T00:00" must be a date like "2026-12-24" (YYYY-MM-DD, read in timeZone)'],
    ['validUntil', { validFrom: '2026-06-02', validUntil: '2026-06-01' }, 'validUntil "2026-06-01" is before validFrom "2026-06-02"'],
    ['cron and at', { at: '2026-12-24T18:00' }, 'cron and at are both set: give cron for a recurring window or at for a one-off window, not both'],
    ['cron or at', { cron: undefined }, 'cron or at is required: cron is five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * 0"; at is an ISO date-time, e.g. "2026-12-24T18:00"'],
    ['at', { cron: undefined, at: '2026-13-01T00:00' }, 'at "2026-13-01T00:00" must be an ISO date-time like "2026-12-24T18:00" (wall clock of timeZone) or "2026-12-24T17:00Z"'],
    ['at', { cron: undefined, at: '2026-12-24T24:00' }, 'at "2026-12-24T24:00" must be an ISO date-time like "2026-12-24T18:00" (wall clock of timeZone) or "2026-12-24T17:00Z"'],
    ['at', { cron: undefined, at: '2026-12-24T18:00+25:00' }, 'at "2026-12-24T18:00+25:00" must be an ISO date-time like "2026-12-24T18:00" (wall clock of timeZone) or "2026-12-24T17:00Z"'],
    ['at', { cron: undefined, at: 'tomorrow' }, 'at "tomorrow" must be an ISO date-time like "2026-12-24T18:00" (wall clock of timeZone) or "2026-12-24T17:00Z"'],
    ['offsetDays on a one-off', { cron: undefined, at: '2026-12-24T18:00', offsetDays: 1 }, 'offsetDays applies to cron schedules only: a one-off window opens at its at time'],
    ['validFrom on a one-off', { cron: undefined, at: '2026-12-24T18:00', validFrom: '2026-12-01' }, 'validFrom applies to cron schedules only: a one-off window opens at its at time'],
    ['preset on a blackout', { kind: 'blackout' }, 'preset: a blackout blocks every scenario and takes no preset; remove preset, or use kind "deny" to block one preset'],
    ['a misspelt field', { timezone: 'UTC' }, 'unknown field "timezone": did you mean "timeZone"?'],
  ])('refuses a bad %s', (_field, change, message) => {
    expect(validateSchedule({ ...valid, ...change })).toEqual({ ok: false, errors: [message] });
  });

  it('reports every problem at once', () => {
    const result = validateSchedule({ name: 'x', preset: 'security', cron: '0 25 * * *', duration: '2x', timeZone: 'Mars/Base', kind: 'allow' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toHaveLength(3);
  });

  it.each([[null], ['0 2 * * 0'], [[valid]]])('refuses a non-object %p', (input) => {
    expect(validateSchedule(input)).toEqual({ ok: false, errors: ['schedule must be an object with name, preset, cron or at, duration, timeZone and kind'] });
  });

  it('accepts the calendar fields and keeps only the ones given', () => {
    const input = { ...valid, validFrom: '2026-01-01', validUntil: '2026-12-31', offsetDays: -27 };
    expect(validateSchedule(input)).toEqual({ ok: true, schedule: input });
    expect(validateSchedule({ ...valid, validFrom: '2026-06-01', validUntil: '2026-06-01', offsetDays: 27 }).ok).toBe(true);
  });

  it.each([['2026-12-24T18:00'], ['2026-12-24T18:00:30'], ['2026-12-24T17:00Z'], ['2026-12-24T18:00+01:00'], ['2026-12-24T17:00:00.123Z']])('accepts a one-off window at %s', (at) => {
    const { cron, ...oneOff } = valid;
    expect(cron).toBeDefined();
    expect(validateSchedule({ ...oneOff, at })).toEqual({ ok: true, schedule: { ...oneOff, at } });
  });

  it('accepts a blackout without a preset', () => {
    const { preset, ...blackout } = valid;
    expect(preset).toBeDefined();
    expect(validateSchedule({ ...blackout, kind: 'blackout' })).toEqual({ ok: true, schedule: { ...blackout, kind: 'blackout' } });
  });
});
