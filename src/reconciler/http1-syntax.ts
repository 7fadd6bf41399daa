/**
 * The byte classes of RFC 9110/9112 that the response reader checks every head byte against, as lookup
 * tables (no regex per line), and the field-name rule: a token right up to the colon.
 */

/** The bytes received are not an HTTP/1.x response this client accepts. */
export class Http1ProtocolError extends Error {
  readonly code = 'HPE_INVALID';
  constructor(message: string) {
    super(`invalid HTTP response: ${message}`);
    this.name = 'Http1ProtocolError';
  }
}

/** 1 for the `tchar` bytes a token (a field name, a chunk extension) is made of. */
export const TOKEN = new Uint8Array(256);
for (const char of "!#$%&'*+-.^_`|~") TOKEN[char.charCodeAt(0)] = 1;
for (let byte = 0x30; byte <= 0x39; byte++) TOKEN[byte] = 1;
for (let byte = 0x41; byte <= 0x5a; byte++) TOKEN[byte] = TOKEN[byte + 0x20] = 1;

/** 1 for the bytes a field value or reason phrase may hold: HTAB, SP, visible characters, obs-text. */
export const FIELD_VALUE = new Uint8Array(256);
FIELD_VALUE[0x09] = 1;
for (let byte = 0x20; byte <= 0xff; byte++) FIELD_VALUE[byte] = byte === 0x7f ? 0 : 1;

const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;

/** The fields whose values frame the body, as reported in the low byte of fieldName's answer. */
const FRAMING_FIELDS: readonly [string, number][] = [
  ['content-length', 1],
  ['transfer-encoding', 2],
  ['connection', 3],
];

/**
 * Checks the field name at the start of `line[from, to)` and finds its colon. Returns the name's length
 * shifted left by 8, with the low byte naming a framing field (1 Content-Length, 2 Transfer-Encoding,
 * 3 Connection, 0 another): one number, so reading a field allocates nothing.
 */
export function fieldName(line: Buffer, from: number, to: number): number {
  let at = from;
  while (at < to && TOKEN[line[at]] === 1) at++;
  if (at < to && line[at] === COLON && at > from) return ((at - from) << 8) | framingField(line, from, at);
  const byte = at < to ? line[at] : -1;
  // Only the name so far is quoted: a value may carry what the scenario should not have sent (SPEC 8).
  const name = line.toString('latin1', from, Math.min(at, from + 40));
  if (byte === SPACE || byte === TAB) throw new Http1ProtocolError(`whitespace before the colon in header line "${name}"`);
  if (byte !== -1 && byte !== COLON && (byte < 0x20 || byte === 0x7f)) throw new Http1ProtocolError(`a control character (0x${hex(byte)}) in a header field name`);
  if (byte === -1) throw new Http1ProtocolError(`header line "${name}" has no colon`);
  throw new Http1ProtocolError(`header line "${name}" has a character not allowed in a field name (0x${hex(byte)})`);
}

function framingField(line: Buffer, from: number, to: number): number {
  for (const [name, kind] of FRAMING_FIELDS) {
    if (to - from !== name.length) continue;
    let same = true;
    // ASCII letters only differ by 0x20 between cases; the token check already excluded other bytes that could match.
    for (let i = 0; i < name.length && same; i++) same = (line[from + i] | 0x20) === name.charCodeAt(i);
    if (same) return kind;
  }
  return 0;
}

/** Where `[from, to)` starts once leading blanks are skipped. */
export function skipBlanks(bytes: Buffer, from: number, to: number): number {
  while (from < to && (bytes[from] === SPACE || bytes[from] === TAB)) from++;
  return from;
}

/** Where `[from, to)` ends once trailing blanks are dropped (two numbers rather than a pair: nothing allocated per line). */
export function dropBlanks(bytes: Buffer, from: number, to: number): number {
  while (to > from && (bytes[to - 1] === SPACE || bytes[to - 1] === TAB)) to--;
  return to;
}

const ZERO = 0x30;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Field values: visible characters, blanks and obs-text only (no NUL, no bare CR or LF, no DEL). */
export function checkValue(head: Buffer, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    if (FIELD_VALUE[head[i]] === 0) throw new Http1ProtocolError(`a control character (0x${hex(head[i])}) in a header field`);
  }
}


/** A chunk size line: hex digits, then chunk extensions (`;name` or `;name=token` or `;name="quoted"`), no blanks. */
export function readChunkSize(line: Buffer, from: number, to: number): number {
  let size = 0;
  let at = from;
  for (; at < to && HEX[line[at]] !== 0; at++) {
    if (at - from >= 8) throw new Http1ProtocolError('a chunk size of more than 8 hex digits');
    size = size * 16 + HEX[line[at]] - 1;
  }
  if (at === from) throw new Http1ProtocolError(`chunk size "${printable(line, from, Math.min(to, from + 40))}"`);
  while (at < to) {
    if (line[at] !== SEMICOLON) throw new Http1ProtocolError(`chunk size "${printable(line, from, Math.min(to, from + 40))}"`);
    at = skipToken(line, at + 1, to);
    if (at < to && line[at] === EQUALS) at = line[at + 1] === QUOTE ? skipQuoted(line, at + 2, to) : skipToken(line, at + 1, to);
  }
  return size;
}

/** The end of a non-empty token starting at `at`. */
function skipToken(line: Buffer, at: number, to: number): number {
  const start = at;
  while (at < to && TOKEN[line[at]] === 1) at++;
  if (at === start) throw new Http1ProtocolError('a chunk extension that is not a token');
  return at;
}

/** The position after the closing quote of a quoted-string whose content starts at `at`. */
function skipQuoted(line: Buffer, at: number, to: number): number {
  for (; at < to; at++) {
    const byte = line[at];
    if (byte === QUOTE) return at + 1;
    if (byte === BACKSLASH) at++;
    if (FIELD_VALUE[line[at]] === 0) break;
  }
  throw new Http1ProtocolError('a chunk extension with a bad quoted string');
}

/** A Content-Length value: digits only, at most 15 of them. */
export function readLength(head: Buffer, from: number, to: number): number {
  if (to === from) throw new Http1ProtocolError('Content-Length ""');
  let length = 0;
  for (let i = from; i < to; i++) {
    if (!isDigit(head[i]) || i - from >= 15) throw new Http1ProtocolError(`Content-Length "${printable(head, from, Math.min(to, from + 30))}"`);
    length = length * 10 + (head[i] - ZERO);
  }
  return length;
}


/** Whether `head[from, to)` is `word` (lower case, ASCII), ignoring case. */
export function equalsIgnoringCase(head: Buffer, from: number, to: number, word: string): boolean {
  if (to - from !== word.length) return false;
  for (let i = 0; i < word.length; i++) {
    if ((head[from + i] | 0x20) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/** 1 + the value of each hex digit, 0 for other bytes. */
const HEX = new Uint8Array(256);
for (let i = 0; i < 10; i++) HEX[ZERO + i] = i + 1;
for (let i = 0; i < 6; i++) HEX[0x41 + i] = HEX[0x61 + i] = i + 11;

/** Whether a byte is an ASCII digit. */
export function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= ZERO + 9;
}

/** A byte as two hex digits, for messages. */
export function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/** Bytes for an error message: control characters shown as `?`, so a message never carries them on. */
export function printable(bytes: Buffer, from: number, to: number): string {
  return bytes.toString('latin1', from, Math.max(from, to)).replace(/[^\x20-\x7e]/g, '?');
}
