/** Schedule (maintenance window) declarations and their validation, refused when written (SPEC section 5). */
import { parseDuration } from '../config/duration';
import { parseCron } from './cron-expression';
import { canonicalTimeZone } from './zone';

/** `allow` adds the preset while the window is open; `deny` blocks activations while it is open. */
export type ScheduleKind = 'allow' | 'deny';

/** One declared maintenance window: it opens at every cron match in its zone and stays open for `duration`. */
export interface ScheduleSpec {
  /** Safe id, unique among schedules. */
  readonly name: string;
  /** The preset the window allows or denies. */
  readonly preset: string;
  /** Five cron fields, matched on the wall clock of `timeZone`. */
  readonly cron: string;
  /** How long each opening lasts, e.g. `2h` or `1h30m`. */
  readonly duration: string;
  /** IANA zone name; `UTC` when not given. */
  readonly timeZone: string;
  readonly kind: ScheduleKind;
  readonly description?: string;
}

/** Either a normalised schedule or every problem found, each naming the field and value. */
export type ScheduleValidation = { ok: true; schedule: ScheduleSpec } | { ok: false; errors: string[] };

/** Lowercase letters, digits and dashes, starting with a letter or digit, at most 63 characters. */
export const SAFE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Longest window allowed; longer ones are almost always a unit mistake (`2d` meant as `2h`). */
export const MAX_WINDOW_MS = 7 * 86_400_000;
const MAX_DESCRIPTION_LENGTH = 500;
const KNOWN_FIELDS = ['name', 'preset', 'cron', 'duration', 'timeZone', 'kind', 'description'];

/** Checks an untrusted object (API body, manifest spec, CLI flags) and returns a normalised schedule or all errors. */
export function validateSchedule(input: unknown): ScheduleValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, errors: ['schedule must be an object with name, preset, cron, duration, timeZone and kind'] };
  }
  const record = input as Record<string, unknown>;
  const errors = unknownFieldErrors(record);
  const name = checkSafeId(record, 'name', errors);
  const preset = checkSafeId(record, 'preset', errors);
  const cron = checkCron(record.cron, errors);
  const duration = checkDuration(record.duration, errors);
  const timeZone = checkTimeZone(record.timeZone, errors);
  const kind = checkKind(record.kind, errors);
  const description = checkDescription(record.description, errors);
  if (errors.length > 0) return { ok: false, errors };
  const schedule: ScheduleSpec = { name, preset, cron, duration, timeZone, kind };
  return { ok: true, schedule: description === undefined ? schedule : { ...schedule, description } };
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

function checkCron(value: unknown, errors: string[]): string {
  if (typeof value !== 'string' || value.trim() === '') {
    errors.push('cron is required: five fields, minute hour day-of-month month day-of-week, e.g. "0 2 * * 0"');
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
  if (value === 'allow' || value === 'deny') return value;
  errors.push(`kind ${value === undefined ? 'is required' : `"${String(value)}" is invalid`}: use "allow" (opens the preset) or "deny" (blocks activations)`);
  return 'allow';
}

function checkDescription(value: unknown, errors: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') errors.push('description must be a string');
  else if (value.length > MAX_DESCRIPTION_LENGTH) errors.push(`description is longer than ${MAX_DESCRIPTION_LENGTH} characters`);
  return typeof value === 'string' ? value : undefined;
}
