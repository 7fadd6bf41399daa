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
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: [^\r\n]*)?$/;

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

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
  feed(bytes: Buffer, start = 0, end = bytes.length): Http1Response | null {
    // A view that ends at `end`: a search must never find bytes past it (the caller's buffer holds stale ones).
    const data = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    end = data.length;
    let at = 0;
    if (end > 0) this.received = true;
    while (at < end) {
      switch (this.phase) {
        case 'head':
          at = this.readHead(data, at, end);
          break;
        case 'length':
        case 'chunk-data':
        case 'until-close': {
          const take = this.phase === 'until-close' ? end - at : Math.min(this.remaining, end - at);
          this.keep(data, at, at + take);
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
    const body = this.parts.length === 1 ? this.parts[0].toString('utf8') : Buffer.concat(this.parts).toString('utf8');
    return { status: this.status, body, reusable: this.reusable };
  }

  private keep(data: Buffer, from: number, to: number): void {
    const room = this.maxBodyBytes - this.kept;
    if (room <= 0 || to <= from) return;
    const slice = Buffer.from(data.subarray(from, Math.min(to, from + room)));
    this.parts.push(slice);
    this.kept += slice.length;
  }

  /** Accumulates the status line and header fields; returns where the body starts (or `end`). */
  private readHead(data: Buffer, at: number, end: number): number {
    let head: Buffer;
    let next: number;
    if (this.carry === null) {
      const found = data.indexOf(HEAD_END, at);
      if (found === -1) return this.carryOver(data.subarray(at, end), MAX_HEAD_BYTES, HEAD_TOO_LONG, end);
      head = data.subarray(at, found);
      next = found + HEAD_END.length;
    } else {
      // Join what was carried with this read; the terminator may straddle the two.
      const joined = Buffer.concat([this.carry, data.subarray(at, end)]);
      const found = joined.indexOf(HEAD_END);
      if (found === -1) return this.carryOver(joined, MAX_HEAD_BYTES, HEAD_TOO_LONG, end);
      head = joined.subarray(0, found);
      next = end - (joined.length - (found + HEAD_END.length));
      this.carry = null;
    }
    this.startBody(head.toString('latin1'));
    return next;
  }

  /** Parses a head; an interim 1xx answer is skipped and the next head read. */
  private startBody(head: string): void {
    const lines = head.split('\r\n');
    const statusLine = STATUS_LINE.exec(lines[0]);
    if (!statusLine) throw new Http1ProtocolError(`status line "${lines[0].slice(0, 60)}"`);
    const status = Number(statusLine[2]);
    if (status === 101) throw new Http1ProtocolError('101 Switching Protocols was not asked for');
    if (status < 200) return; // 100 Continue, 103 Early Hints: the final response follows
    this.status = status;
    const fields = readFields(lines);
    const http10 = statusLine[1] === '0';
    const connection = fields.connection ?? '';
    this.reusable = !fields.ambiguous && (http10 ? hasToken(connection, 'keep-alive') : !hasToken(connection, 'close'));
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
    const found = this.carry === null ? data.indexOf(CRLF, at) : -1;
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

/** The framing fields of a head: Content-Length, chunked Transfer-Encoding and Connection. */
function readFields(lines: string[]): { contentLength: number | null; chunked: boolean; connection: string | null; ambiguous: boolean } {
  let contentLength: number | null = null;
  let chunked = false;
  let connection: string | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Http1ProtocolError(`header line "${line.slice(0, 60)}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) throw new Http1ProtocolError(`Content-Length "${value.slice(0, 30)}"`);
      const length = Number(value);
      if (contentLength !== null && contentLength !== length) throw new Http1ProtocolError('two different Content-Length values');
      contentLength = length;
    } else if (name === 'transfer-encoding') {
      chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      if (!chunked) throw new Http1ProtocolError(`Transfer-Encoding "${value.slice(0, 30)}" does not end in chunked`);
    } else if (name === 'connection') {
      connection = connection === null ? value : `${connection}, ${value}`;
    }
  }
  // RFC 9112 6.3: chunked wins over Content-Length (and such a response must not be reused).
  return { contentLength: chunked ? null : contentLength, chunked, connection, ambiguous: chunked && contentLength !== null };
}

function hasToken(list: string, token: string): boolean {
  return list.split(',').some((item) => item.trim().toLowerCase() === token);
}
