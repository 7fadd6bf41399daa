/**
 * An incremental reader of one HTTP/1.1 response (RFC 9112), fed the bytes of a connection as they arrive.
 * Pure: no sockets, no timers. The scenario transport (http1-pool.ts) uses it instead of node:http, whose
 * request, response, parser and stream objects per call were most of what a 10,000-scenario mass action
 * allocated and promoted (bench/FINDINGS.md).
 *
 * It is strict, because a scenario is not trusted (SPEC 8): a head of at most 16 KiB however its bytes
 * arrive, field names that are tokens right up to the colon, no control characters, one unambiguous framing
 * (Content-Length or chunked, never both), at most 5 interim 1xx answers, a body of at most `maxBodyBytes`.
 * What it accepts, llhttp (node:http's parser) accepts with the same status and body
 * (http1-differential.spec.ts). Every byte is looked at once, through tables: no regex, no string per field.
 */
import { readFields, readStatusLine } from './http1-head';
import { checkValue, fieldName, Http1ProtocolError, printable, readChunkSize } from './http1-syntax';

export { Http1ProtocolError };

/** A complete response. `reusable` is false when the connection must not carry another request. */
export interface Http1Response {
  status: number;
  body: string;
  reusable: boolean;
}

/** Status line and header fields, with the empty line that ends them, may not exceed this (as in node:http). */
export const MAX_HEAD_BYTES = 16 * 1024;
/** Interim (1xx) answers skipped before the final one; more is a server stalling the call. */
export const MAX_INTERIM_RESPONSES = 5;

const MAX_LINE_BYTES = 4096;
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const CR = 0x0d;
const ZERO = 0x30;

type Phase = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'until-close' | 'done';

/** Reads one response; `feed` until it returns a response, or call `end` when the peer closes. */
export class Http1ResponseReader {
  private phase: Phase = 'head';
  /** Bytes of an unfinished head or line, kept across reads; grown by doubling, so a trickle copies each byte about twice. */
  private carry: Buffer | null = null;
  private carried = 0;
  private remaining = 0;
  private status = 0;
  private interim = 0;
  private reusable = true;
  private readonly parts: Buffer[] = [];
  private kept = 0;
  /** Trailer bytes so far; they count against the same 16 KiB as a head. */
  private trailerBytes = 0;
  /** The body, when it arrived whole in one read and was decoded straight away. */
  private text: string | null = null;
  private received = false;

  /** @param maxBodyBytes the largest body accepted; a longer one is a protocol error. */
  constructor(private readonly maxBodyBytes: number) {}

  /** True once any byte of a response arrived (a reused connection that closes before that may be retried). */
  get started(): boolean {
    return this.received;
  }

  /**
   * Consumes `data[start, end)`. Copies what it keeps, so `data` may be a buffer the caller reuses.
   * Returns the response once complete (bytes after it mark the connection as not reusable), else null.
   * Throws Http1ProtocolError on bytes it does not accept.
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
        case 'chunk-data': {
          const take = Math.min(this.remaining, end - at);
          this.keep(data, at, at + take, this.phase === 'length' && take === this.remaining);
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.phase = this.phase === 'length' ? 'done' : 'chunk-end';
          break;
        }
        case 'until-close':
          this.keep(data, at, end, false);
          at = end;
          break;
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
    if (to <= from) return;
    if (this.kept + (to - from) > this.maxBodyBytes) throw new Http1ProtocolError(`the body exceeds ${this.maxBodyBytes} bytes`);
    if (whole && this.parts.length === 0) this.text = data.toString('utf8', from, to);
    else this.parts.push(Buffer.from(data.subarray(from, to)));
    this.kept += to - from;
  }

  /** Reads a head (a final one, or an interim 1xx that is skipped); returns where its bytes end (or `end`). */
  private readHead(data: Buffer, at: number, end: number): number {
    if (this.carried === 0) {
      const found = indexWithin(data, HEAD_END, at, end);
      if (found !== -1) {
        if (found + HEAD_END.length - at > MAX_HEAD_BYTES) throw new Http1ProtocolError(headTooLong());
        this.startBody(data, at, found + 2);
        return found + HEAD_END.length;
      }
    }
    // The head spans reads: gather it, and look for its end where the new bytes may complete it.
    const before = this.carried;
    const taken = this.gather(data, at, end, MAX_HEAD_BYTES + HEAD_END.length - 1);
    const carry = this.carry as Buffer;
    const found = indexWithin(carry, HEAD_END, Math.max(0, before - 3), this.carried);
    if (found === -1) {
      if (this.carried > MAX_HEAD_BYTES) throw new Http1ProtocolError(headTooLong());
      return at + taken;
    }
    if (found + HEAD_END.length > MAX_HEAD_BYTES) throw new Http1ProtocolError(headTooLong());
    this.carried = 0;
    this.startBody(carry, 0, found + 2);
    return at + (found + HEAD_END.length - before);
  }

  /** Parses the head in `head[from, to)` (each line with its CRLF); sets how the body is framed. */
  private startBody(head: Buffer, from: number, to: number): void {
    const statusEnd = head.indexOf(CR, from);
    const status = readStatusLine(head, from, statusEnd);
    if (status === 101) throw new Http1ProtocolError('101 Switching Protocols was not asked for');
    const http10 = head[from + 7] === ZERO;
    const framing = readFields(head, statusEnd + 2, to, http10);
    if (status < 200) {
      // 100 Continue, 103 Early Hints: the final response follows, unless a server stalls with them.
      if (++this.interim > MAX_INTERIM_RESPONSES) throw new Http1ProtocolError(`more than ${MAX_INTERIM_RESPONSES} interim (1xx) responses`);
      if (framing.close) throw new Http1ProtocolError(`an interim ${status} response that closes the connection`);
      return;
    }
    this.status = status;
    this.reusable = http10 ? framing.keepAlive : !framing.close;
    if (status === 204 || status === 304) this.phase = 'done';
    else if (framing.chunked) this.phase = 'chunk-size';
    else if (framing.contentLength >= 0) {
      if (framing.contentLength > this.maxBodyBytes) throw new Http1ProtocolError(`the body exceeds ${this.maxBodyBytes} bytes`);
      this.remaining = framing.contentLength;
      this.phase = this.remaining === 0 ? 'done' : 'length';
    } else {
      this.phase = 'until-close';
      this.reusable = false;
    }
  }

  /** Reads one CRLF-terminated line of the chunked framing; returns the position after it (or `end`). */
  private readLine(data: Buffer, at: number, end: number): number {
    if (this.carried === 0) {
      const found = indexWithin(data, CRLF, at, end);
      if (found !== -1) {
        this.onLine(data, at, found);
        return found + 2;
      }
    }
    const before = this.carried;
    const taken = this.gather(data, at, end, MAX_LINE_BYTES + 1);
    const carry = this.carry as Buffer;
    const found = indexWithin(carry, CRLF, Math.max(0, before - 1), this.carried);
    if (found === -1) {
      if (this.carried > MAX_LINE_BYTES) throw new Http1ProtocolError('a chunk size or trailer line exceeds 4 KiB');
      return at + taken;
    }
    this.carried = 0;
    this.onLine(carry, 0, found);
    return at + (found + 2 - before);
  }

  /** One line of the chunked framing, `line[from, to)` without its CRLF. */
  private onLine(line: Buffer, from: number, to: number): void {
    if (this.phase === 'chunk-end') {
      if (to !== from) throw new Http1ProtocolError('a chunk does not end with CRLF');
      this.phase = 'chunk-size';
    } else if (this.phase === 'chunk-size') {
      const size = readChunkSize(line, from, to);
      if (this.kept + size > this.maxBodyBytes) throw new Http1ProtocolError(`the body exceeds ${this.maxBodyBytes} bytes`);
      this.remaining = size;
      this.phase = size === 0 ? 'trailers' : 'chunk-data';
    } else if (to === from) {
      this.phase = 'done'; // the empty line after the trailers (usually there are none)
    } else {
      this.trailerBytes += to - from + 2;
      if (this.trailerBytes > MAX_HEAD_BYTES) throw new Http1ProtocolError('the trailer fields exceed 16 KiB');
      const name = fieldName(line, from, to);
      // A framing field among the trailers would reframe what was already read (llhttp refuses it too).
      if ((name & 0xff) !== 0) throw new Http1ProtocolError(`a framing field in the trailers ("${printable(line, from, from + (name >> 8))}")`);
      checkValue(line, from + (name >> 8) + 1, to);
    }
  }

  /** Appends up to `limit - carried` bytes of `data[at, end)` to the carry; returns how many it took. */
  private gather(data: Buffer, at: number, end: number, limit: number): number {
    const take = Math.min(end - at, limit - this.carried);
    const needed = this.carried + take;
    if (this.carry === null || this.carry.length < needed) {
      const grown = Buffer.allocUnsafe(Math.min(limit, Math.max(256, needed, (this.carry?.length ?? 0) * 2)));
      this.carry?.copy(grown, 0, 0, this.carried);
      this.carry = grown;
    }
    data.copy(this.carry, this.carried, at, at + take);
    this.carried = needed;
    return take;
  }
}


function headTooLong(): string {
  return 'the status line and header fields exceed 16 KiB';
}

/**
 * The first `needle` wholly inside `data[from, to)`, or -1. A short range is scanned here: the native search
 * runs on to the end of the buffer, through stale bytes, and a trickle would pay that on every read.
 */
function indexWithin(data: Buffer, needle: Buffer, from: number, to: number): number {
  if (to - from <= 64) {
    for (let at = from; at + needle.length <= to; at++) {
      let same = true;
      for (let i = 0; i < needle.length && same; i++) same = data[at + i] === needle[i];
      if (same) return at;
    }
    return -1;
  }
  const found = data.indexOf(needle, from);
  return found === -1 || found + needle.length > to ? -1 : found;
}
