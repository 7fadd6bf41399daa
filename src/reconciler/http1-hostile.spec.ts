/**
 * Hostile scenario servers on 127.0.0.1, each answering the orchestrator's call in a way meant to hold it
 * or to smuggle something past the reader: every call ends within ACTION_TIMEOUT with a reason that says
 * what happened and where, and the connection is dropped.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { HttpScenarioClient } from './scenario-client';

const TIMEOUT_MS = 600;
/** Room for a loaded machine's timers on top of the deadline; far below what each server would hold the call for. */
const SLACK_MS = 1500;

/** How a hostile server answers the first bytes of a call on `socket`; returns a way to stop its timers. */
type Behaviour = (socket: net.Socket) => () => void;

const servers: net.Server[] = [];
const client = new HttpScenarioClient(TIMEOUT_MS);
afterAll(async () => {
  client.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Starts a server with `behaviour`; `closed` counts the connections that ended. */
async function hostile(behaviour: Behaviour): Promise<{ url: string; closed: () => number }> {
  let closed = 0;
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => {
      const stop = behaviour(socket);
      socket.on('close', stop);
    });
    socket.on('close', () => closed++);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closed: () => closed };
}

/** Writes `text` in pieces of `size` bytes, one every `everyMs` (0: on the next turn of the loop). */
function dribble(text: string | Buffer, size: number, everyMs: number): Behaviour {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1');
  return (socket) => {
    let at = 0;
    let stopped = false;
    const next = (): void => {
      if (stopped || socket.destroyed || at >= bytes.length) return;
      socket.write(bytes.subarray(at, at + size));
      at += size;
      if (everyMs === 0) setImmediate(next);
      else timer = setTimeout(next, everyMs);
    };
    let timer: NodeJS.Timeout | undefined;
    socket.setNoDelay(true);
    next();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  };
}

/** Repeats `text` every `everyMs` for as long as the connection lasts. */
function forever(text: string, everyMs: number): Behaviour {
  return (socket) => {
    const timer = setInterval(() => socket.destroyed || socket.write(text), everyMs);
    return () => clearInterval(timer);
  };
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{"maintenanceState":"active"}';
const chunkedWith = (size: string) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\n{"maintenanceState":"active"}\r\n0\r\n\r\n`;

const cases: [string, Behaviour, (url: string) => string | RegExp][] = [
  ['trickles its answer a byte every 50 ms', dribble(`HTTP/1.1 200 OK\r\nX-Pad: ${'p'.repeat(400)}\r\nContent-Length: 2\r\n\r\n{}`, 1, 50), (url) => `no complete answer within ${TIMEOUT_MS} ms from ${url}`],
  ['sends a 1 MB header block at once', dribble(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(1 << 20)}\r\n\r\n`, 1 << 21, 0), (url) => `invalid HTTP response: the status line and header fields exceed 16 KiB from ${url}`],
  ['sends a 1 MB header block in 1 KiB pieces', dribble(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(1 << 20)}\r\n\r\n`, 1024, 0), () => /exceed 16 KiB from http:/],
  ['sends 100 Continue without end', forever('HTTP/1.1 100 Continue\r\n\r\n', 5), (url) => `invalid HTTP response: more than 5 interim (1xx) responses from ${url}`],
  ['sends 102 Processing slowly without end', forever('HTTP/1.1 102 Processing\r\n\r\n', 250), (url) => `no complete answer within ${TIMEOUT_MS} ms from ${url}`],
  ['sends a chunk size that is not hex', dribble(chunkedWith('zz'), 4096, 0), () => /chunk size "zz" from http:/],
  ['sends a negative chunk size', dribble(chunkedWith('-1d'), 4096, 0), () => /chunk size "-1d"/],
  ['sends a chunk size with blanks', dribble(chunkedWith('1d '), 4096, 0), () => /chunk size "1d "/],
  ['sends a chunk size past 2^64', dribble(chunkedWith('10000000000000000001d'), 4096, 0), () => /more than 8 hex digits/],
  ['sends a chunk bigger than its size', dribble(chunkedWith('1c'), 4096, 0), () => /a chunk does not end with CRLF/],
  ['sends a chunk larger than the body cap', dribble(chunkedWith('7fffffff'), 4096, 0), () => /the body exceeds 65536 bytes/],
  ['splits a header with whitespace before its colon at every byte', dribble('HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\n{}', 1, 0), () => /whitespace before the colon/],
  ['splits a NUL in a header at every byte', dribble('HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 2\r\n\r\n{}', 1, 0), () => /control character \(0x00\)/],
];

describe('hostile scenario servers', () => {
  it.each(cases)('a server that %s: the call ends within the deadline, saying why', async (_name, behaviour, reason) => {
    const server = await hostile(behaviour);
    const started = Date.now();
    const result = await client.setState({ id: `hostile-${servers.length}`, endpoint: server.url, stateEndpoint: '/state' }, 'active');
    const took = Date.now() - started;
    const expected = reason(server.url);
    expect(result).toMatchObject({ ok: false, error: typeof expected === 'string' ? expected : expect.stringMatching(expected) });
    expect(took).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    for (let waited = 0; server.closed() === 0 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.closed()).toBe(1);
  });

  it('reads a good answer split at every byte', async () => {
    const server = await hostile(dribble(OK, 1, 0));
    expect(await client.setState({ id: 'split', endpoint: server.url, stateEndpoint: '/state' }, 'active')).toEqual({ ok: true, reported: 'active' });
    const chunked = await hostile(dribble(chunkedWith('1d'), 1, 0));
    expect(await client.getState({ id: 'split-chunked', endpoint: chunked.url, stateEndpoint: '/state' })).toEqual({ ok: true, reported: 'active' });
  });
});
