/** Duration parsing shared by configuration, TTLs, schedules and the CLI: `90s`, `2m`, `1h30m`, `1d`, or a plain number. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h|d))+$/;
const PART_PATTERN = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * Parses a duration into milliseconds. A plain number is read in `plainUnit` (seconds unless told).
 * Throws a RangeError that quotes the input when it is not a duration.
 */
export function parseDuration(input: string | number, plainUnit: 's' | 'm' = 's'): number {
  if (typeof input === 'number') return checkedPlain(input, input, plainUnit);
  const text = input.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return checkedPlain(Number(text), input, plainUnit);
  if (!DURATION_PATTERN.test(text)) {
    throw new RangeError(`"${input}" is not a duration: use forms like 90s, 2m, 1h30m, 1d or a plain number`);
  }
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART_PATTERN)) total += Number(amount) * UNIT_MS[unit];
  return bounded(Math.round(total), input);
}

/**
 * The longest duration read: 100 years. Longer ones are typos or attacks, and past about 270,000 years an
 * expiry is no longer a Date (`toISOString` threw and the API answered 500; the OpenAPI fuzz found it).
 */
export const MAX_DURATION_MS = 100 * 365 * 86_400_000;

function bounded(ms: number, original: unknown): number {
  if (!(ms <= MAX_DURATION_MS)) throw new RangeError(`"${String(original)}" is longer than the longest duration accepted, 100 years`);
  return ms;
}

function checkedPlain(value: number, original: unknown, unit: 's' | 'm'): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`"${String(original)}" is not a duration: it must be a non-negative number`);
  }
  return bounded(Math.round(value * UNIT_MS[unit]), original);
}

/** Formats milliseconds compactly for people: 5400000 -> "1h30m". */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))}ms`;
  let rest = Math.round(ms / 1_000);
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}

/** The shortest TTL an override may have; anything shorter is almost surely a mistake (`0` for "forever"). */
export const MIN_TTL_MS = 1000;

/**
 * A TTL: a duration or a number of seconds, at least 1 s. `0` is refused rather than read as "no expiry":
 * DEFAULT_TIMEOUT gives every activation a TTL, and a quiet way round that safety net would defeat it.
 */
export function parseTtl(input: string | number): number {
  const ms = parseDuration(input);
  if (ms < MIN_TTL_MS) throw new RangeError(`ttl must be at least 1s, got ${JSON.stringify(input)}; leave it out for the default (DEFAULT_TIMEOUT)`);
  return ms;
}
