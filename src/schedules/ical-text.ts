/** RFC 5545 text details shared by the iCalendar writers: value formats, escaping and line folding. */

const MAX_LINE_OCTETS = 75;

/** Joins content lines with CRLF, folding each at 75 octets without splitting a UTF-8 character. */
export function joinContentLines(lines: readonly string[]): string {
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}

/** Folds one content line: continuation lines start with a space, which counts toward their 75 octets. */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character, 'utf8');
    const limit = pieces.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
    }
    current += character;
    octets += size;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

/** Escapes a TEXT value: backslash, semicolon, comma and newlines. */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** An instant as a UTC DATE-TIME: 20260329T010000Z. */
export function formatUtc(instant: number): string {
  return `${formatLocal(instant)}Z`;
}

/** A local value (wall-clock written as UTC ms) as a floating DATE-TIME: 20260329T023000. */
export function formatLocal(local: number): string {
  return new Date(Math.floor(local / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '');
}

/** A UTC offset in ms as +HHMM, with seconds only when needed (+001932 for old Amsterdam time). */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${sign}${pad(hours)}${pad(minutes)}${seconds ? pad(seconds) : ''}`;
}

/**
 * An exact duration as an RFC 5545 dur-value in hours, minutes and seconds (PT2H, PT168H). Days are avoided
 * on purpose: P1D means "same wall-clock time next day", which is 23 or 25 hours across a DST change.
 */
export function formatIcalDuration(ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 1000));
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  return `PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
}
