/**
 * A strict 5-field cron parser (minute hour day-of-month month day-of-week). We parse ourselves rather
 * than through croner so that errors name the field and value, and so the window maths and the iCalendar
 * export can read the expanded fields. The accepted syntax is croner's 5-part syntax without extensions.
 */

/** A parsed cron expression: every field expanded to its sorted list of values. */
export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** Days of month 1-31. */
  readonly daysOfMonth: readonly number[];
  /** Months 1-12. */
  readonly months: readonly number[];
  /** Days of week 0-6, Sunday = 0 (7 is read as Sunday). */
  readonly daysOfWeek: readonly number[];
  /** True when the day-of-month field is anything but `*`. */
  readonly dayOfMonthRestricted: boolean;
  /** True when the day-of-week field is anything but `*`. */
  readonly dayOfWeekRestricted: boolean;
}

/** The outcome of parsing: the fields, or messages that quote the expression. */
export type CronParseResult = { ok: true; fields: CronFields } | { ok: false; errors: string[] };

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly nameBase?: number;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS: readonly FieldSpec[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day-of-month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  { label: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];
/** Longest each month can be; February counts its leap day so `29 2` is valid. */
const MAX_DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Parses a 5-field cron expression; never throws. */
export function parseCron(expression: string): CronParseResult {
  const quoted = `cron "${expression}"`;
  const parts = expression.trim().split(/\s+/).filter((part) => part !== '');
  if (parts.length === 1 && parts[0].startsWith('@')) {
    return { ok: false, errors: [`${quoted}: macros like @daily are not supported: write the 5 fields, e.g. "0 0 * * *"`] };
  }
  if (parts.length !== 5) return { ok: false, errors: [`${quoted}: ${fieldCountProblem(parts.length)}`] };
  const errors: string[] = [];
  const values = parts.map((part, index) => expandField(part, FIELDS[index], (message) => errors.push(`${quoted}: ${message}`)));
  if (errors.length > 0) return { ok: false, errors };
  const fields: CronFields = {
    minutes: values[0],
    hours: values[1],
    daysOfMonth: values[2],
    months: values[3],
    // 7 and 0 both mean Sunday.
    daysOfWeek: [...new Set(values[4].map((day) => day % 7))].sort((a, b) => a - b),
    dayOfMonthRestricted: parts[2] !== '*',
    dayOfWeekRestricted: parts[4] !== '*',
  };
  if (!canEverMatch(fields)) {
    return { ok: false, errors: [`${quoted}: never matches: no month in "${parts[3]}" has a day in "${parts[2]}"`] };
  }
  return { ok: true, fields };
}

/** Whether a local calendar day matches; `month` is 1-12, `weekday` 0-6. Both day fields restricted means either may match (cron's OR rule). */
export function matchesDay(fields: CronFields, month: number, day: number, weekday: number): boolean {
  if (!fields.months.includes(month)) return false;
  const domMatch = fields.daysOfMonth.includes(day);
  const dowMatch = fields.daysOfWeek.includes(weekday);
  if (fields.dayOfMonthRestricted && fields.dayOfWeekRestricted) return domMatch || dowMatch;
  return domMatch && dowMatch;
}

function fieldCountProblem(count: number): string {
  const expected = 'expected 5 fields (minute hour day-of-month month day-of-week)';
  if (count === 6) return `${expected}, got 6: a seconds field is not supported`;
  return `${expected}, got ${count}`;
}

/** The day fields can only rule every day out when day-of-week is `*` and no chosen month has a chosen day. */
function canEverMatch(fields: CronFields): boolean {
  if (fields.dayOfWeekRestricted && fields.dayOfMonthRestricted) return true;
  const earliestDay = fields.daysOfMonth[0];
  return fields.months.some((month) => earliestDay <= MAX_DAYS_IN_MONTH[month - 1]);
}

function expandField(text: string, spec: FieldSpec, report: (message: string) => void): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const expanded = expandItem(item, spec);
    if (typeof expanded === 'string') report(expanded);
    else expanded.forEach((value) => values.add(value));
  }
  return [...values].sort((a, b) => a - b);
}

/** Expands one list item (`*`, `5`, `1-5`, `*\/15`, `10-40/10`, `MON`) or returns what is wrong with it. */
function expandItem(item: string, spec: FieldSpec): number[] | string {
  const match = /^([^/]*)(?:\/(.*))?$/.exec(item);
  const [rangeText, stepText] = match ? [match[1], match[2]] : [item, undefined];
  const step = stepText === undefined ? 1 : Number(stepText);
  if (stepText !== undefined && !(/^\d+$/.test(stepText) && step >= 1 && step <= spec.max)) {
    return `${spec.label} step "${stepText}" in "${item}" must be a whole number from 1 to ${spec.max}`;
  }
  const range = rangeText === '*' ? [spec.min, spec.max] : parseRange(rangeText, spec);
  if (typeof range === 'string') return range;
  if (stepText !== undefined && rangeText !== '*' && !rangeText.includes('-')) {
    return `${spec.label} "${item}": a step needs * or a range before it, like */${stepText}`;
  }
  const values: number[] = [];
  for (let value = range[0]; value <= range[1]; value += step) values.push(value);
  return values;
}

function parseRange(text: string, spec: FieldSpec): [number, number] | string {
  const bounds = text.split('-');
  if (bounds.length > 2 || bounds.some((bound) => bound === '')) return `${spec.label} "${text}" is not a value or range`;
  const numbers: number[] = [];
  for (const bound of bounds) {
    const value = parseValue(bound, spec);
    if (typeof value === 'string') return value;
    numbers.push(value);
  }
  const [from, to] = [numbers[0], numbers[numbers.length - 1]];
  if (from > to) return `${spec.label} range ${text} is reversed: write the smaller value first`;
  return [from, to];
}

function parseValue(text: string, spec: FieldSpec): number | string {
  const nameIndex = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (nameIndex >= 0) return nameIndex + (spec.nameBase ?? 0);
  if (!/^\d+$/.test(text)) {
    const namesHint = spec.names ? ` or a name like ${spec.names[0].toUpperCase()}` : '';
    return `${spec.label} "${text}" is not a number${namesHint} (cron extensions like L, W, # and ? are not supported)`;
  }
  const value = Number(text);
  if (value < spec.min || value > spec.max) return `${spec.label} ${value} is out of range ${spec.min}-${spec.max}`;
  return value;
}
