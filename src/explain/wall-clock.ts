/** How explain and the timeline tell an instant to people: the wall clock of the window's zone. Pure. */

/** `18:00 Europe/Berlin` when on the same local day as `reference`, else `Sat 2026-12-12 02:00 Europe/Berlin`. */
export function wallClock(instant: number, timeZone: string, reference: number): string {
  const format = formatterOf(timeZone);
  const parts = (at: number) => {
    const formatted = format.formatToParts(at);
    const get = (type: string) => formatted.find((part) => part.type === type)?.value ?? '';
    return { day: `${get('year')}-${get('month')}-${get('day')}`, weekday: get('weekday'), time: `${get('hour')}:${get('minute')}` };
  };
  const when = parts(instant);
  const sameDay = parts(reference).day === when.day;
  return sameDay ? `${when.time} ${timeZone}` : `${when.weekday} ${when.day} ${when.time} ${timeZone}`;
}

/** Building a DateTimeFormat costs far more than using one: one per zone, kept. */
const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let format = FORMATTERS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    FORMATTERS.set(timeZone, format);
  }
  return format;
}
