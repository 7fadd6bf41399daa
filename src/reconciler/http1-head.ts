/**
 * The head of a response (RFC 9112 4-5): the status line and the field lines, checked byte by byte, and what
 * they say about the framing of the body. Pure, and allocation-free but for the one Framing record.
 */
import { checkValue, dropBlanks, equalsIgnoringCase, FIELD_VALUE, fieldName, hex, Http1ProtocolError, isDigit, printable, readLength, skipBlanks } from './http1-syntax';

const HTTP_1_DOT = Buffer.from('HTTP/1.');
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;
const ZERO = 0x30;

/** What a head says about the body that follows. */
export interface Framing {
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  close: boolean;
  keepAlive: boolean;
}

/** `HTTP/1.x NNN[ reason]` in `head[from, to)`: the status code (100-599). */
export function readStatusLine(head: Buffer, from: number, to: number): number {
  const valid =
    to - from >= 12 &&
    head.compare(HTTP_1_DOT, 0, HTTP_1_DOT.length, from, from + 7) === 0 &&
    (head[from + 7] === ZERO || head[from + 7] === ZERO + 1) &&
    head[from + 8] === SPACE &&
    head[from + 9] >= ZERO + 1 &&
    head[from + 9] <= ZERO + 5 &&
    isDigit(head[from + 10]) &&
    isDigit(head[from + 11]) &&
    (to - from === 12 || head[from + 12] === SPACE) &&
    head[to + 1] === LF;
  if (!valid) throw new Http1ProtocolError(`status line "${printable(head, from, Math.min(to === -1 ? from + 60 : to, from + 60))}"`);
  for (let i = from + 13; i < to; i++) {
    if (FIELD_VALUE[head[i]] === 0) throw new Http1ProtocolError(`a control character (0x${hex(head[i])}) in the status line`);
  }
  return (head[from + 9] - ZERO) * 100 + (head[from + 10] - ZERO) * 10 + (head[from + 11] - ZERO);
}

/** Checks the field lines in `head[from, to)` (each ending in CRLF) and reads the framing fields. */
export function readFields(head: Buffer, from: number, to: number, http10: boolean): Framing {
  const framing: Framing = { contentLength: -1, chunked: false, close: false, keepAlive: false };
  let transferEncodings = 0;
  for (let line = from; line < to; ) {
    const lineEnd = head.indexOf(CR, line);
    if (lineEnd >= to || head[lineEnd + 1] !== LF) throw new Http1ProtocolError('a bare CR in the header block');
    const name = fieldName(head, line, lineEnd);
    const colon = line + (name >> 8);
    checkValue(head, colon + 1, lineEnd);
    const valueStart = skipBlanks(head, colon + 1, lineEnd);
    const valueEnd = dropBlanks(head, valueStart, lineEnd);
    switch (name & 0xff) {
      case CONTENT_LENGTH:
        if (framing.contentLength !== -1) throw new Http1ProtocolError('more than one Content-Length');
        framing.contentLength = readLength(head, valueStart, valueEnd);
        break;
      case TRANSFER_ENCODING:
        // Only what scenario servers send; anything else (gzip, repeated, on HTTP/1.0) is a smuggling shape.
        if (http10 || ++transferEncodings > 1 || !equalsIgnoringCase(head, valueStart, valueEnd, 'chunked')) {
          throw new Http1ProtocolError(`Transfer-Encoding "${printable(head, valueStart, Math.min(valueEnd, valueStart + 30))}" (only one "chunked", on HTTP/1.1, is accepted)`);
        }
        framing.chunked = true;
        break;
      case CONNECTION:
        readConnection(head, valueStart, valueEnd, framing);
        break;
    }
    line = lineEnd + 2;
  }
  if (framing.chunked && framing.contentLength !== -1) throw new Http1ProtocolError('both Content-Length and Transfer-Encoding');
  return framing;
}

/** Framing fields, as fieldName reports them in its low byte. */
const CONTENT_LENGTH = 1;
const TRANSFER_ENCODING = 2;
const CONNECTION = 3;

/** Sets `close` and `keepAlive` from the comma-separated tokens of a Connection value. */
function readConnection(head: Buffer, from: number, to: number, framing: Framing): void {
  for (let item = from; item <= to; ) {
    let comma = item;
    while (comma < to && head[comma] !== 0x2c) comma++;
    const start = skipBlanks(head, item, comma);
    const stop = dropBlanks(head, start, comma);
    if (equalsIgnoringCase(head, start, stop, 'close')) framing.close = true;
    else if (equalsIgnoringCase(head, start, stop, 'keep-alive')) framing.keepAlive = true;
    item = comma + 1;
  }
}
