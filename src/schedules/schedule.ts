/** Schedule (maintenance window) declarations and their validation, refused when written (SPEC section 5). */
import { parseDuration } from '../config/duration';
import { parseCron } from './cron-expression';
import { canonicalTimeZone, ZoneClock } from './zone';

/**
 * `allow` adds the preset while the window is open; `deny` blocks activations of the preset's scenarios while
 * it is open; `blackout` blocks activations of every scenario while it is open (it takes no preset).
 */
export type ScheduleKind = 'allow' | 'deny' | 'blackout';

/**
 * One declared maintenance window: it opens at every cron match (shifted by `offsetDays`, kept within
 * `validFrom`..`validUntil`) in its zone, or once at `at`, and stays open for `duration`.
 */
export interface ScheduleSpec {
  /** Safe id, unique among schedules. */
  readonly name: string;
  /** The preset the window allows or denies; absent on a blackout, which denies every scenario. */
  readonly preset?: string;
  /** Five cron fields, matched on the wall clock of `timeZone`; exactly one of `cron` and `at` is set. */
  readonly cron?: string;
  /** A one-off opening: `2026-12-24T18:00` (wall clock of `timeZone`) or with `Z`/`+01:00` (that instant). */
  readonly at?: string;
  /** How long each opening lasts, e.g. `2h` or `1h30m`. */
  readonly duration: string;
  /** IANA zone name; `UTC` when not given. */
  readonly timeZone: string;
  readonly kind: ScheduleKind;
  /** First local day (`YYYY-MM-DD`) an occurrence may start on, from 00:00 of that day in the zone. */
  readonly validFrom?: string;
  /** Last local day (`YYYY-MM-DD`) an occurrence may start on, up to 24:00 of that day in the zone. */
  readonly validUntil?: string;
  /** Whole days (-27..27) added to each cron match's date, keeping its wall-clock time. */
  readonly offsetDays?: number;
  readonly description?: string;
}

/** Either a normalised schedule or every problem found, each naming the field and value. */
export type ScheduleValidation = { ok: true; schedule: ScheduleSpec } | { ok: false; errors: string[] };

/** Lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters. */
export const SAFE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Longest window allowed; longer ones are almost always a unit mistake (`2d` meant as `2h`). */
export const MAX_WINDOW_MS = 7 * 86_400_000;
const MAX_DESCRIPTION_LENGTH = 500;
/** Azure allows +-6 days and AWS 1..6; four weeks reaches "the week after the last Friday" of any month. */
export const MAX_OFFSET_DAYS = 27;
const KNOWN_FIELDS = ['name', 'preset', 'cron', 'at', 'duration', 'timeZone', 'kind', 'validFrom', 'validUntil', 'offsetDays', 'description'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Checks an untrusted object (API body, manifest spec, CLI flags) and returns a normalised schedule or all errors. */
export function validateSchedule(input: unknown): ScheduleValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['schedule must be an object with name, preset, cron or at, duration, timeZone and kind'] };
  }
  const record = input as Record<string, unknown>;
  const errors = unknownFieldErrors(record);
  const name = checkSafeId(record, 'name', errors);
  const kind = checkKind(record.kind, errors);
  const preset = kind === 'blackout' ? checkNoPreset(record.preset, errors) : checkSafeId(record, 'preset', errors);
  const timing = checkTiming(record, errors);
  const duration = checkDuration(record.duration, errors);
  const timeZone = checkTimeZone(record.timeZone, errors);
  const description = checkDescription(record.description, errors);
  if (errors.length > 0) return { ok: false, errors };
  const schedule: ScheduleSpec = { name, ...(preset === undefined ? {} : { preset }), ...timing, duration, timeZone, kind };
  return { ok: true, schedule: description === undefined ? schedule : { ...schedule, description } };
}

/** The instant a one-off window opens: `at` with an offset is that instant, without one a wall-clock time in the zone. */
export function oneOffStart(at: string, timeZone: string): number {
  const match = ISO_DATE_TIME.exec(at);
  if (!match) throw new RangeError(`at "${at}" is not an ISO date-time`);
  const [, year, month, day, hour, minute, second = '0', fraction = '', offset] = match;
  const local = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Math.round(Number(`0${fraction || '.0'}`) * 1000));
  if (offset === undefined) return new ZoneClock(timeZone).instantOf(local);
  if (offset === 'Z') return local;
  const sign = offset.startsWith('-') ? -1 : 1;
  return local - sign * (Number(offset.slice(1, 3)) * 3_600_000 + Number(offset.slice(4, 6)) * 60_000);
}

/** A `YYYY-MM-DD` date as a local value (its midnight written as UTC ms), or null when it is not a real date. */
export function localDateOf(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const midnight = Date.UTC(year, month - 1, day);
  const date = new Date(midnight);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? midnight : null;
}

/** The duration of a schedule in milliseconds; the schedule must have passed validateSchedule. */
export function scheduleDurationMs(schedule: ScheduleSpec): number {
  return parseDuration(schedule.duration);
}

function unknownFieldErrors(record: Record<string, unknown>): string[] {
  return Object.keys(record)
    .filter((key) => !KNOWN_FIELDS.includes(key))
    .map((key) => {
      const near = KNOWN_FIELDS.find((known) => known.toLowerCase() === key.toLowerCase());
      return `unknown field "${key}"${near ? `: did you mean "${near}"?` : ''}`;
    });
}

function checkSafeId(record: Record<string, unknown>, field: 'name' | 'preset', errors: string[]): string {
  const value = record[field];
  if (typeof value !== 'string' || value === '') {
    errors.push(`${field} is required and must be a string`);
    return '';
  }
  if (!SAFE_ID_PATTERN.test(value)) {
    errors.push(`${field} "${value}" must be lowercase letters, digits and dashes, start with a letter or digit, at most 63 characters`);
  }
  return value;
}

function checkNoPreset(value: unknown, errors: string[]): undefined {
  if (value !== undefined) errors.push('preset: a blackout blocks every scenario and takes no preset; remove preset, or use kind "deny" to block one preset');
  return undefined;
}

type Timing = Pick<ScheduleSpec, 'cron' | 'at' | 'validFrom' | 'validUntil' | 'offsetDays'>;

/** Exactly one of cron (with its optional date range and offset) and at. */
function checkTiming(record: Record<string, unknown>, errors: string[]): Timing {
  const hasCron = record.cron !== undefined;
  if (hasCron && record.at !== undefined) {
    errors.push('cron and at are both set: give cron for a recurring window or at for a one-off window, not both');
    return {};
  }
  if (!hasCron && record.at === undefined) {
    errors.push('cron or at is required: cron is five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * 0"; at is an ISO date-time, e.g. "2026-12-24T18:00"');
    return {};
  }
  if (!hasCron) {
    for (const field of ['validFrom', 'validUntil', 'offsetDays'] as const) {
      if (record[field] !== undefined) errors.push(`${field} applies to cron schedules only: a one-off window opens at its at time`);
    }
    return { at: checkAt(record.at, errors) };
  }
  const timing: { -readonly [K in keyof Timing]: Timing[K] } = { cron: checkCron(record.cron, errors) };
  const validFrom = checkDate(record.validFrom, 'validFrom', errors);
  const validUntil = checkDate(record.validUntil, 'validUntil', errors);
  if (validFrom !== undefined && validUntil !== undefined && validUntil < validFrom) {
    errors.push(`validUntil "${validUntil}" is before validFrom "${validFrom}"`);
  }
  if (validFrom !== undefined) timing.validFrom = validFrom;
  if (validUntil !== undefined) timing.validUntil = validUntil;
  const offsetDays = checkOffsetDays(record.offsetDays, errors);
  if (offsetDays !== undefined) timing.offsetDays = offsetDays;
  return timing;
}

function checkAt(value: unknown, errors: string[]): string {
  const text = typeof value === 'string' ? value.trim() : '';
  const match = ISO_DATE_TIME.exec(text);
  const real = match !== null && localDateOf(text.slice(0, 10)) !== null && Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6] ?? 0) < 60 && validOffset(match[8]);
  if (!real) errors.push(`at ${JSON.stringify(value)} must be an ISO date-time like "2026-12-24T18:00" (wall clock of timeZone) or "2026-12-24T17:00Z"`);
  return text;
}

/** Real UTC offsets run from -12:00 to +14:00. */
function validOffset(offset: string | undefined): boolean {
  return offset === undefined || offset === 'Z' || (Number(offset.slice(1, 3)) <= 14 && Number(offset.slice(4, 6)) < 60);
}

function checkDate(value: unknown, field: 'validFrom' | 'validUntil', errors: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && localDateOf(value.trim()) !== null) return value.trim();
  errors.push(`${field} ${JSON.stringify(value)} must be a date like "2026-12-24" (YYYY-MM-DD, read in timeZone)`);
  return undefined;
}

function checkOffsetDays(value: unknown, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= MAX_OFFSET_DAYS) return value;
  errors.push(`offsetDays ${JSON.stringify(value)} must be a whole number from -${MAX_OFFSET_DAYS} to ${MAX_OFFSET_DAYS}`);
  return undefined;
}

function checkCron(value: unknown, errors: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push('cron must be five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * 0"');
    return '';
  }
  const parsed = parseCron(value);
  if (!parsed.ok) errors.push(...parsed.errors);
  // One space between fields, so the stored form is stable and compares equal when rewritten.
  return value.trim().split(/\s+/).join(' ');
}

function checkDuration(value: unknown, errors: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push('duration is required: a string like "30m", "2h" or "1h30m"');
    return '';
  }
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    errors.push(`duration "${value}" needs a unit: write "${text}m" or "${text}h"`);
    return text;
  }
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    errors.push(`duration "${value}": not a duration; use forms like "30m", "2h", "1h30m" or "1d"`);
    return text;
  }
  if (ms <= 0) errors.push(`duration "${value}" must be longer than zero`);
  if (ms > MAX_WINDOW_MS) errors.push(`duration "${value}" is longer than the 7d limit for one window`);
  return text;
}

function checkTimeZone(value: unknown, errors: string[]): string {
  if (value === undefined) return 'UTC';
  if (typeof value !== 'string') {
    errors.push('timeZone must be an IANA zone name such as "Europe/Berlin" or "UTC"');
    return 'UTC';
  }
  const canonical = canonicalTimeZone(value);
  if (canonical === null) {
    errors.push(`timeZone "${value}": unknown IANA time zone (use names like "Europe/Berlin", "America/New_York" or "UTC")`);
    return value;
  }
  // Take the runtime's capitalisation, but keep the user's name when the runtime maps it to an alias.
  return canonical.toLowerCase() === value.toLowerCase() ? canonical : value;
}

function checkKind(value: unknown, errors: string[]): ScheduleKind {
  if (value === 'allow' || value === 'deny' || value === 'blackout') return value;
  errors.push(`kind ${value === undefined ? 'is required' : `"${String(value)}" is invalid`}: use "allow" (opens the preset), "deny" (blocks the preset's activations) or "blackout" (blocks every activation)`);
  return 'allow';
}

function checkDescription(value: unknown, errors: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') errors.push('description must be a string');
  else if (value.length > MAX_DESCRIPTION_LENGTH) errors.push(`description is longer than ${MAX_DESCRIPTION_LENGTH} characters`);
  return typeof value === 'string' ? value : undefined;
}
