/**
 * An incremental reader of one HTTP/1.1 response (RFC 9112), fed the bytes of a connection as they arrive.
 * Pure: no sockets, no timers. The scenario transport (http1-pool.ts) uses it instead of node:http, whose
 * request, response, parser and stream objects per call were most of what a 10,000-scenario mass action
 * allocated and promoted (bench/FINDINGS.md).
 *
 * It understands what real scenario servers send: Content-Length, chunked transfer coding (extensions and
 * trailers skipped), a body that runs until the connection closes, no body for 204 and 304, interim 1xx
 * responses skipped, HTTP/1.0 and `Connection: close`. The body is kept up to a cap and decoded as UTF-8.
 */

/** A complete response. `reusable` is false when the connection must not carry another request. */
export interface Http1Response {
  status: number;
  body: string;
  reusable: boolean;
}

/** The bytes received are not an HTTP/1.x response. */
export class Http1ProtocolError extends Error {
  readonly code = 'HPE_INVALID';
  constructor(message: string) {
    super(`invalid HTTP response: ${message}`);
    this.name = 'Http1ProtocolError';
  }
}

/** Status line and header fields together may not exceed this (node:http's default is 16 KiB as well). */
export const MAX_HEAD_BYTES = 16 * 1024;

const MAX_LINE_BYTES = 4096;
const HEAD_TOO_LONG = 'the status line and header fields exceed 16 KiB';
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const HTTP_1_DOT = Buffer.from('HTTP/1.');
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const ZERO = 0x30;
const NINE = 0x39;

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

/** What a head says about the body that follows. */
interface Framing {
  contentLength: number | null;
  chunked: boolean;
  /** The Connection field's value ('' when absent). */
  connection: string;
}

/** Reads one response; `feed` until it returns a response, or call `end` when the peer closes. */
export class Http1ResponseReader {
  private phase: Phase = 'head';
  /** Bytes of an unfinished line-oriented part (head, chunk size line, trailers) carried to the next feed. */
  private carry: Buffer | null = null;
  private remaining = 0;
  private status = 0;
  private reusable = true;
  private readonly parts: Buffer[] = [];
  private kept = 0;
  /** The body, when it arrived whole in one read and was decoded straight away. */
  private text: string | null = null;
  private received = false;

  /** @param maxBodyBytes bytes of body kept; the rest is read and dropped. */
  constructor(private readonly maxBodyBytes: number) {}

  /** True once any byte of a response arrived (a reused connection that closes before that may be retried). */
  get started(): boolean {
    return this.received;
  }

  /**
   * Consumes `data[start, end)`. Copies what it keeps, so `data` may be a buffer the caller reuses.
   * Returns the response once complete (bytes after it mark the connection as not reusable), else null.
   */
  feed(data: Buffer, start = 0, end = data.length): Http1Response | null {
    // No views (subarray) per read: every search below is bounded by `end`, past which `data` holds stale bytes.
    let at = start;
    if (end > start) this.received = true;
    while (at < end) {
      switch (this.phase) {
        case 'head':
          at = this.readHead(data, at, end);
          break;
        case 'length':
        case 'chunk-data':
        case 'until-close': {
          const take = this.phase === 'until-close' ? end - at : Math.min(this.remaining, end - at);
          this.keep(data, at, at + take, this.phase === 'length' && take === this.remaining);
          at += take;
          if (this.phase === 'until-close') break;
          this.remaining -= take;
          if (this.remaining === 0) this.phase = this.phase === 'length' ? 'done' : 'chunk-end';
          break;
        }
        case 'chunk-size':
        case 'chunk-end':
        case 'trailers':
          at = this.readLine(data, at, end);
          break;
        case 'done':
          // Bytes after a complete response: nothing was asked for them, so the connection is out of step.
          this.reusable = false;
          return this.result();
      }
      if (this.phase === 'done' && at === end) return this.result();
    }
    return this.phase === 'done' ? this.result() : null;
  }

  /** The peer closed: the response, when its end is the close, else null (it was cut short). */
  end(): Http1Response | null {
    if (this.phase === 'until-close' || this.phase === 'done') {
      this.reusable = false;
      return this.result();
    }
    return null;
  }

  private result(): Http1Response {
    const body = this.text ?? (this.parts.length === 1 ? this.parts[0].toString('utf8') : Buffer.concat(this.parts).toString('utf8'));
    return { status: this.status, body, reusable: this.reusable };
  }

  /** Keeps body bytes; a body read whole in one piece (the usual case) is decoded at once, without a copy. */
  private keep(data: Buffer, from: number, to: number, whole: boolean): void {
    const room = this.maxBodyBytes - this.kept;
    if (room <= 0 || to <= from) return;
    const until = Math.min(to, from + room);
    if (whole && this.parts.length === 0) {
      this.text = data.toString('utf8', from, until);
    } else {
      this.parts.push(Buffer.from(data.subarray(from, until)));
    }
    this.kept += until - from;
  }

  /** Accumulates the status line and header fields; returns where the body starts (or `end`). */
  private readHead(data: Buffer, at: number, end: number): number {
    if (this.carry === null) {
      const found = indexWithin(data, HEAD_END, at, end);
      if (found === -1) return this.carryOver(data.subarray(at, end), MAX_HEAD_BYTES, HEAD_TOO_LONG, end);
      this.startBody(data, at, found);
      return found + HEAD_END.length;
    }
    // Join what was carried with this read; the terminator may straddle the two.
    const joined = Buffer.concat([this.carry, data.subarray(at, end)]);
    const found = joined.indexOf(HEAD_END);
    if (found === -1) return this.carryOver(joined, MAX_HEAD_BYTES, HEAD_TOO_LONG, end);
    this.carry = null;
    this.startBody(joined, 0, found);
    return end - (joined.length - (found + HEAD_END.length));
  }

  /** Parses the head in `head[from, to)`; an interim 1xx answer is skipped and the next head read. */
  private startBody(head: Buffer, from: number, to: number): void {
    const lineEnd = indexWithin(head, CRLF, from, to);
    const statusEnd = lineEnd === -1 ? to : lineEnd;
    const status = readStatusLine(head, from, statusEnd);
    if (status === 101) throw new Http1ProtocolError('101 Switching Protocols was not asked for');
    if (status < 200) return; // 100 Continue, 103 Early Hints: the final response follows
    this.status = status;
    const http10 = head[from + 7] === ZERO;
    const fields = readFields(head, statusEnd + CRLF.length, to);
    // RFC 9112 6.3: chunked wins over Content-Length, and such a response must not be reused.
    const ambiguous = fields.chunked && fields.contentLength !== null;
    this.reusable = !ambiguous && (http10 ? hasToken(fields.connection, 'keep-alive') : !hasToken(fields.connection, 'close'));
    if (status === 204 || status === 304) this.phase = 'done';
    else if (fields.chunked) this.phase = 'chunk-size';
    else if (fields.contentLength !== null) {
      this.remaining = fields.contentLength;
      this.phase = this.remaining === 0 ? 'done' : 'length';
    } else {
      this.phase = 'until-close';
      this.reusable = false;
    }
  }

  /** Reads one CRLF-terminated line of the chunked framing; returns the position after it (or `end`). */
  private readLine(data: Buffer, at: number, end: number): number {
    let line: string;
    let next: number;
    const found = this.carry === null ? indexWithin(data, CRLF, at, end) : -1;
    if (this.carry === null && found !== -1) {
      line = data.toString('latin1', at, found);
      next = found + CRLF.length;
    } else {
      const joined = this.carry === null ? data.subarray(at, end) : Buffer.concat([this.carry, data.subarray(at, end)]);
      const split = joined.indexOf(CRLF);
      if (split === -1) return this.carryOver(joined, MAX_LINE_BYTES, 'a chunk size or trailer line exceeds 4 KiB', end);
      this.carry = null;
      line = joined.toString('latin1', 0, split);
      next = end - (joined.length - (split + CRLF.length));
    }
    this.onLine(line);
    return next;
  }

  private onLine(line: string): void {
    if (this.phase === 'chunk-end') {
      if (line !== '') throw new Http1ProtocolError('a chunk does not end with CRLF');
      this.phase = 'chunk-size';
    } else if (this.phase === 'chunk-size') {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(?:;.*)?$/.exec(line);
      if (!size) throw new Http1ProtocolError(`chunk size "${line.slice(0, 40)}"`);
      this.remaining = parseInt(size[1], 16);
      this.phase = this.remaining === 0 ? 'trailers' : 'chunk-data';
    } else if (line === '') {
      this.phase = 'done'; // the empty line after the trailers (usually there are none)
    }
  }

  /** Keeps a copy of `bytes` (an unfinished line) for the next feed; throws past `limit`. Returns `end`. */
  private carryOver(bytes: Buffer, limit: number, tooLong: string, end: number): number {
    if (bytes.length > limit) throw new Http1ProtocolError(tooLong);
    this.carry = Buffer.from(bytes);
    return end;
  }
}

/** The first `needle` wholly inside `data[from, to)`, or -1. */
function indexWithin(data: Buffer, needle: Buffer, from: number, to: number): number {
  const found = data.indexOf(needle, from);
  return found === -1 || found + needle.length > to ? -1 : found;
}

/** `HTTP/1.x NNN[ reason]` in `head[from, to)`: the status code. */
function readStatusLine(head: Buffer, from: number, to: number): number {
  const valid =
    to - from >= 12 &&
    head.compare(HTTP_1_DOT, 0, HTTP_1_DOT.length, from, from + 7) === 0 &&
    (head[from + 7] === ZERO || head[from + 7] === ZERO + 1) &&
    head[from + 8] === SPACE &&
    isDigit(head[from + 9]) &&
    isDigit(head[from + 10]) &&
    isDigit(head[from + 11]) &&
    (to - from === 12 || head[from + 12] === SPACE);
  if (!valid) throw new Http1ProtocolError(`status line "${head.toString('latin1', from, Math.min(to, from + 60))}"`);
  return (head[from + 9] - ZERO) * 100 + (head[from + 10] - ZERO) * 10 + (head[from + 11] - ZERO);
}

/**
 * Content-Length, chunked Transfer-Encoding and Connection from the header lines in `head[from, to)`. Walks
 * the bytes: only the values of those three fields become strings.
 */
function readFields(head: Buffer, from: number, to: number): Framing {
  const framing: Framing = { contentLength: null, chunked: false, connection: '' };
  for (let line = from; line < to; ) {
    const found = indexWithin(head, CRLF, line, to);
    const lineEnd = found === -1 ? to : found;
    const colon = head.indexOf(COLON, line);
    if (colon === -1 || colon >= lineEnd || colon === line) throw new Http1ProtocolError(`header line "${head.toString('latin1', line, Math.min(lineEnd, line + 60))}"`);
    const [valueStart, valueEnd] = trimmed(head, colon + 1, lineEnd);
    if (nameIs(head, line, colon, 'content-length')) {
      const length = readLength(head, valueStart, valueEnd);
      if (framing.contentLength !== null && framing.contentLength !== length) throw new Http1ProtocolError('two different Content-Length values');
      framing.contentLength = length;
    } else if (nameIs(head, line, colon, 'transfer-encoding')) {
      const value = head.toString('latin1', valueStart, valueEnd);
      framing.chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      if (!framing.chunked) throw new Http1ProtocolError(`Transfer-Encoding "${value.slice(0, 30)}" does not end in chunked`);
    } else if (nameIs(head, line, colon, 'connection')) {
      const value = head.toString('latin1', valueStart, valueEnd);
      framing.connection = framing.connection ? `${framing.connection}, ${value}` : value;
    }
    line = lineEnd + CRLF.length;
  }
  return framing;
}

/** Whether `head[from, to)` (a field name, maybe followed by blanks) is `name`, ignoring case. */
function nameIs(head: Buffer, from: number, to: number, name: string): boolean {
  while (to > from && (head[to - 1] === SPACE || head[to - 1] === TAB)) to--;
  if (to - from !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    // ASCII letters only differ by 0x20 between cases; '-' is compared as is.
    const byte = head[from + i];
    if (byte !== name.charCodeAt(i) && (byte | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** `[from, to)` without leading and trailing blanks. */
function trimmed(head: Buffer, from: number, to: number): [number, number] {
  while (from < to && (head[from] === SPACE || head[from] === TAB)) from++;
  while (to > from && (head[to - 1] === SPACE || head[to - 1] === TAB)) to--;
  return [from, to];
}

function readLength(head: Buffer, from: number, to: number): number {
  let length = 0;
  for (let i = from; i < to; i++) {
    if (!isDigit(head[i]) || i - from >= 15) throw new Http1ProtocolError(`Content-Length "${head.toString('latin1', from, Math.min(to, from + 30))}"`);
    length = length * 10 + (head[i] - ZERO);
  }
  if (to === from) throw new Http1ProtocolError('Content-Length ""');
  return length;
}

function isDigit(byte: number): boolean {
  return byte >= ZERO && byte <= NINE;
}

function hasToken(list: string, token: string): boolean {
  return list !== '' && list.split(',').some((item) => item.trim().toLowerCase() === token);
}
