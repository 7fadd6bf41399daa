/**
 * `--at` and `?at=` expressions, pure: an ISO time, or what an operator types ("tomorrow 02:00", "sat 02:00",
 * "+3h", "now"), read on the wall clock of one zone (the server's, or the caller's `tz`). Wall-clock times
 * that a DST change skips resolve as schedules do (the first valid instant); repeated ones take the first.
 */
import { parseDuration } from '../config/duration';
import { canonicalTimeZone, DAY_MS, startOfLocalDay, ZoneClock } from '../schedules/zone';

/** The instant an expression names, or what is wrong with it. */
export type InstantParse = { ok: true; at: number; timeZone: string } | { ok: false; error: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const CLOCK_TIME = /^(\d{1,2})(?::(\d{2}))?$/;
const RELATIVE = /^([+-])\s*(.+)$/;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const EXAMPLES = 'an ISO time (2026-12-24T02:00, 2026-12-24T01:00Z), "now", "+3h", "-30m", "02:00", "today 18:00", "tomorrow 02:00" or "sat 02:00"';

/** Reads `text` at `now` in `timeZone`. Times without an offset are wall-clock times in that zone. */
export function parseInstant(text: string, now: number, timeZone: string): InstantParse {
  const zone = canonicalTimeZone(timeZone);
  if (zone === null) return { ok: false, error: `time zone "${timeZone}" is not an IANA zone (e.g. Europe/Berlin, UTC)` };
  const input = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const clock = new ZoneClock(zone);
  const at = input === 'now' ? now : isoInstant(input, clock) ?? relativeInstant(input, now) ?? dayAndTime(input, now, clock);
  if (at === null || !Number.isFinite(at)) return { ok: false, error: `"${text}" is not a time: use ${EXAMPLES}` };
  if (Math.abs(at - now) > 10 * 366 * DAY_MS) return { ok: false, error: `"${text}" is more than ten years from now` };
  return { ok: true, at, timeZone: zone };
}

/** `2026-12-24`, `2026-12-24T02:00`, `2026-12-24 02:00:30.5+01:00`, `...Z`; null when it is not that shape. */
function isoInstant(input: string, clock: ZoneClock): number | null {
  const match = ISO.exec(input);
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', offset] = match;
  const fields = [Number(month), Number(day), Number(hour), Number(minute), Number(second)];
  if (fields[0] < 1 || fields[0] > 12 || fields[1] < 1 || fields[1] > 31 || fields[2] > 23 || fields[3] > 59 || fields[4] > 59) return NaN;
  const local = Date.UTC(Number(year), fields[0] - 1, fields[1], fields[2], fields[3], fields[4], Math.round(Number(`0${fraction || '.0'}`) * 1000));
  // Date.UTC rolls 31 February over into March: refuse it rather than answer for another day.
  if (new Date(local).getUTCDate() !== fields[1]) return NaN;
  if (offset === undefined) return clock.instantOf(local);
  if (offset.toLowerCase() === 'z') return local;
  const digits = offset.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return local - (digits.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

/** `+3h`, `+1h30m`, `-2d`: elapsed time from now (not wall-clock time: +24h over a DST change is 24 real hours). */
function relativeInstant(input: string, now: number): number | null {
  const match = RELATIVE.exec(input);
  if (!match) return null;
  try {
    const ms = parseDuration(match[2].replace(/\s+/g, ''));
    return match[1] === '-' ? now - ms : now + ms;
  } catch {
    return NaN;
  }
}

/**
 * `02:00` (the next time the clock shows it), `today 18:00`, `tomorrow 02:00`, `sat 02:00` / `saturday`
 * (the next such day whose time is still ahead; today when it is that day and the time has not passed).
 * A day alone means its 00:00.
 */
function dayAndTime(input: string, now: number, clock: ZoneClock): number | null {
  const [first, second, ...rest] = input.split(' ');
  if (rest.length > 0) return null;
  const dayWord = second === undefined && CLOCK_TIME.test(first) ? null : first;
  const timeText = dayWord === null ? first : second ?? '0:00';
  const time = clockTime(timeText);
  if (time === null) return null;
  const today = startOfLocalDay(clock.localOf(now));
  const onDay = (midnight: number) => clock.instantOf(midnight + time);
  if (dayWord === null) return onDay(today) > now ? onDay(today) : onDay(today + DAY_MS);
  if (dayWord === 'today') return onDay(today);
  if (dayWord === 'tomorrow') return onDay(today + DAY_MS);
  // `sat`, `satur`, `saturday`: three letters at least, so `s` or `t` never guesses.
  const weekday = dayWord.length >= 3 ? WEEKDAYS.findIndex((name) => name.startsWith(dayWord)) : -1;
  if (weekday < 0) return null;
  for (let ahead = 0; ahead <= 7; ahead++) {
    const midnight = today + ahead * DAY_MS;
    if (new Date(midnight).getUTCDay() === weekday && onDay(midnight) > now) return onDay(midnight);
  }
  return null;
}

/** `2`, `02:00`, `18:30` as ms after midnight; null when not a clock time. */
function clockTime(text: string): number | null {
  const match = CLOCK_TIME.exec(text);
  if (!match) return null;
  const [hour, minute] = [Number(match[1]), Number(match[2] ?? '0')];
  if (hour > 23 || minute > 59) return null;
  return (hour * 60 + minute) * 60_000;
}
