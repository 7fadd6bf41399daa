/**
 * Differential fuzzing of our response reader against llhttp, node:http's parser: the same bytes go to
 * both, ours through Http1ResponseReader (in random reads), llhttp through `http.request` to a raw `net`
 * server that writes them and closes. Whatever ours accepts, llhttp must accept with the same status and
 * body; well-formed responses ours must accept. Responses are generated, then mutated byte by byte.
 */
import fc from 'fast-check';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Http1ResponseReader } from './http1-response';

type Outcome = { accepted: true; status: number; body: string } | { accepted: false; reason: string };

const MAX_BODY = 64 * 1024;

/** What our reader makes of `bytes` arriving in reads cut at `cuts`, then the close. */
function oursReads(bytes: Buffer, cuts: number[]): Outcome {
  const reader = new Http1ResponseReader(MAX_BODY);
  // Each read lands in one reused buffer with stale bytes after it, as the pool's shared read buffer does.
  const buffer = Buffer.alloc(bytes.length + 4);
  let from = 0;
  try {
    for (const cut of [...cuts.filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b), bytes.length]) {
      if (cut <= from) continue;
      buffer.fill(0x0a);
      bytes.copy(buffer, 0, from, cut);
      const response = reader.feed(buffer, 0, cut - from);
      from = cut;
      if (response) return { accepted: true, status: response.status, body: response.body };
    }
    const response = reader.end();
    return response ? { accepted: true, status: response.status, body: response.body } : { accepted: false, reason: 'cut short' };
  } catch (error) {
    return { accepted: false, reason: (error as Error).message };
  }
}

/** A raw server that answers each connection with the bytes of the case under test, then closes. */
let current: Buffer = Buffer.alloc(0);
const server = net.createServer((socket) => {
  socket.on('error', () => undefined);
  socket.once('data', () => socket.end(current));
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What node:http (llhttp) makes of `bytes`: a response it completed, or the error it gave. */
function llhttpReads(bytes: Buffer): Promise<Outcome> {
  current = bytes;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let response: http.IncomingMessage | null = null;
    let ended = false;
    let failure = 'closed';
    const request = http.request({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      response = res;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => (ended = true));
      res.on('error', (error) => (failure = error.message));
    });
    request.on('error', (error: NodeJS.ErrnoException) => (failure = error.code ?? error.message));
    // Decided once the connection is gone: bytes after a complete response may fail the socket, not the response.
    request.on('close', () =>
      setImmediate(() => {
        const complete = response !== null && (ended || (response as http.IncomingMessage).complete);
        resolve(complete ? { accepted: true, status: (response as http.IncomingMessage).statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } : { accepted: false, reason: failure });
      }),
    );
    request.end();
  });
}

// ---- generated responses -------------------------------------------------------------------------------

const tokenChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&\'*+-.^_`|~'.split(''));
const token = fc.array(tokenChar, { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
/** Field value bytes (latin1): visible ASCII, obs-text, inner blanks. */
const valueChar = fc.oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x20), fc.constant(0x09)).map((code) => String.fromCharCode(code));
const fieldValue = fc.array(valueChar, { maxLength: 30 }).map((chars) => chars.join('').replace(/^[ \t]+|[ \t]+$/g, ''));
const ows = fc.constantFrom('', ' ', '  ', '\t');
const reservedNames = /^(content-length|transfer-encoding|connection|upgrade|trailer)$/i;
const field = fc.tuple(token.filter((name) => !reservedNames.test(name)), ows, fieldValue, ows).map(([name, before, value, after]) => `${name}:${before}${value}${after}\r\n`);
const reason = fc.array(fc.oneof(tokenChar, fc.constant(' ')), { maxLength: 20 }).map((chars) => chars.join(''));

const interim = fc.tuple(fc.constantFrom(100, 102, 103), fc.array(field, { maxLength: 2 })).map(([status, fields]) => `HTTP/1.1 ${status} Info\r\n${fields.join('')}\r\n`);

/** A chunked body: the bytes cut into chunks, sizes in either case with leading zeros, maybe extensions and trailers. */
function chunked(body: Buffer, cuts: number[], upper: boolean, zeros: number, extension: string, trailers: string[]): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.map((cut) => Math.min(cut, body.length)))].sort((a, b) => a - b).concat(body.length)) {
    if (cut <= from) continue;
    const size = (cut - from).toString(16);
    parts.push(Buffer.from(`${'0'.repeat(zeros)}${upper ? size.toUpperCase() : size}${extension}\r\n`, 'latin1'), body.subarray(from, cut), Buffer.from('\r\n'));
    from = cut;
  }
  parts.push(Buffer.from(`0${extension}\r\n${trailers.join('')}\r\n`, 'latin1'));
  return Buffer.concat(parts);
}

const extension = fc.oneof(fc.constant(''), token.map((name) => `;${name}`), fc.tuple(token, token).map(([name, value]) => `;${name}=${value}`), fc.tuple(token, fieldValue).map(([name, value]) => `;${name}="${value.replace(/["\\]/g, '')}"`));

/** A well-formed response, as bytes. */
const wellFormed = fc
  .record({
    http10: fc.boolean(),
    interims: fc.array(interim, { maxLength: 3 }),
    status: fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(200, 204, 304, 404, 500)),
    reason: fc.option(reason, { nil: undefined }),
    fields: fc.array(field, { maxLength: 6 }),
    framing: fc.constantFrom('length', 'chunked', 'close'),
    body: fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), fc.json({ maxDepth: 2 })),
    connection: fc.constantFrom('', 'Connection: close\r\n', 'Connection: keep-alive\r\n', 'connection: Keep-Alive, Upgrade\r\n'),
    cuts: fc.array(fc.nat(300), { maxLength: 4 }),
    upper: fc.boolean(),
    zeros: fc.nat(2),
    extension,
    trailers: fc.array(field, { maxLength: 2 }),
  })
  .map((r) => {
    const bodyBytes = r.status === 204 || r.status === 304 ? Buffer.alloc(0) : Buffer.from(r.body, 'utf8');
    const framing = r.http10 && r.framing === 'chunked' ? 'length' : r.framing;
    const head = [`HTTP/1.${r.http10 ? 0 : 1} ${r.status}${r.reason === undefined ? '' : ` ${r.reason}`}\r\n`, ...r.fields, r.connection];
    if (framing === 'length') head.push(`Content-Length: ${bodyBytes.length}\r\n`);
    if (framing === 'chunked') head.push('Transfer-Encoding: chunked\r\n');
    const noBody = r.status === 204 || r.status === 304;
    const body = framing === 'chunked' && !noBody ? chunked(bodyBytes, r.cuts, r.upper, r.zeros, r.extension, r.trailers) : bodyBytes;
    return Buffer.concat([Buffer.from(r.interims.join('') + head.join('') + '\r\n', 'latin1'), body]);
  });

/** Lines a mutation adds after some CRLF: framing fields that disagree with the rest (smuggling shapes). */
const FRAMING_LINES = [
  'Content-Length: 0\r\n',
  'Content-Length: 5\r\n',
  'Content-Length: 99999\r\n',
  'Content-Length: +5\r\n',
  'Content-Length: 5, 5\r\n',
  'Transfer-Encoding: chunked\r\n',
  'Transfer-Encoding: gzip\r\n',
  'Transfer-Encoding: chunked, identity\r\n',
  'Connection: close\r\n',
  'Upgrade: websocket\r\n',
  ' folded: value\r\n',
  'X-Empty:\r\n',
].map((line) => Buffer.from(line, 'latin1'));

/** Bytes a mutation puts in: the ones parsers trip over. */
const nastyByte = fc.oneof(fc.constantFrom(0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x3a, 0x3b, 0x3d, 0x5c, 0x7f, 0x80, 0xff, 0x30, 0x31, 0x39, 0x46, 0x61, 0x2d, 0x2b), fc.integer({ min: 0, max: 255 }));
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: nastyByte }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: nastyByte }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
  fc.record({ kind: fc.constant('field' as const), at: fc.nat(), byte: fc.nat(FRAMING_LINES.length - 1) }),
);

function mutate(bytes: Buffer, mutations: { kind: 'replace' | 'insert' | 'delete' | 'truncate' | 'field'; at: number; byte: number }[]): Buffer {
  let out = bytes;
  for (const { kind, at: seed, byte } of mutations) {
    const at = out.length === 0 ? 0 : seed % out.length;
    if (kind === 'replace' && out.length > 0) out = Buffer.concat([out.subarray(0, at), Buffer.from([byte]), out.subarray(at + 1)]);
    if (kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from([byte]), out.subarray(at)]);
    if (kind === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
    if (kind === 'truncate') out = out.subarray(0, at);
    if (kind === 'field') {
      const line = out.indexOf('\r\n', at) === -1 ? out.indexOf('\r\n') : out.indexOf('\r\n', at);
      if (line !== -1) out = Buffer.concat([out.subarray(0, line + 2), FRAMING_LINES[byte], out.subarray(line + 2)]);
    }
  }
  return out;
}

/** Tallies for the record printed at the end. */
const tally = { cases: 0, oursAccepted: 0, llhttpAccepted: 0, bothRefused: 0, onlyLlhttpAccepted: 0 };

async function compare(bytes: Buffer, cuts: number[]): Promise<{ ours: Outcome; theirs: Outcome }> {
  const ours = oursReads(bytes, cuts);
  const theirs = await llhttpReads(bytes);
  tally.cases++;
  if (ours.accepted) tally.oursAccepted++;
  if (theirs.accepted) tally.llhttpAccepted++;
  if (!ours.accepted && !theirs.accepted) tally.bothRefused++;
  if (!ours.accepted && theirs.accepted) tally.onlyLlhttpAccepted++;
  // Ours accepts only what llhttp accepts, and reads the same status and body from it.
  if (ours.accepted) expect({ bytes: JSON.stringify(bytes.toString('latin1')), theirs }).toEqual({ bytes: JSON.stringify(bytes.toString('latin1')), theirs: ours });
  return { ours, theirs };
}

const RUNS = { wellFormed: 400, mutated: 1200 };

describe('Http1ResponseReader against llhttp (node:http)', () => {
  afterAll(() => {
    // The record of what was tried (the house asks fuzz tests to say how much they covered).
    console.log(`http1 differential: ${tally.cases} responses tried; ours accepted ${tally.oursAccepted}, llhttp ${tally.llhttpAccepted}; both refused ${tally.bothRefused}; only llhttp accepted ${tally.onlyLlhttpAccepted}`);
  });

  it('accepts every well-formed response, in any reads, with the status and body llhttp reads', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed, fc.array(fc.nat(400), { maxLength: 6 }), async (bytes, cuts) => {
        const { ours } = await compare(bytes, cuts);
        expect(ours).toMatchObject({ accepted: true });
      }),
      { numRuns: RUNS.wellFormed },
    );
  });

  it('accepts a mutated response only when llhttp does, with the same status and body', async () => {
    await fc.assert(
      fc.asyncProperty(wellFormed, fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(400), { maxLength: 4 }), async (bytes, mutations, cuts) => {
        await compare(mutate(bytes, mutations), cuts);
      }),
      { numRuns: RUNS.mutated },
    );
    // The mutations must reach both sides of the line, or the comparison proved nothing.
    expect(tally.bothRefused).toBeGreaterThan(50);
    expect(tally.oursAccepted).toBeGreaterThan(RUNS.wellFormed + 50);
  });
});
