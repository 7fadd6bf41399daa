/**
 * Keep-alive HTTP/1.1 connections to one scenario, over plain `net` sockets. It replaces node:http for the
 * reconciler's calls: a call in flight here is a promise and one small record, where node:http's is a
 * ClientRequest, an IncomingMessage, a parser and their streams. At 10,000 scenarios and 256 calls in
 * flight, those outlived two scavenges and filled the old generation at 40-50 MB/s (bench/FINDINGS.md).
 *
 * Each socket reads into one buffer shared by all connections (`onread`): a read is parsed before the
 * callback returns, and the reader copies what it keeps.
 */
import * as net from 'node:net';
import { Http1ResponseReader, type Http1Response } from './http1-response';

/** Where a pool connects, and the Host (and Authorization) it names in each request. */
export interface Http1Origin {
  host: string;
  port: number;
  /** `host:port` as written in the endpoint. */
  hostHeader: string;
  /** `Basic ...` when the endpoint carries credentials. */
  authorization: string | null;
}

/** How a pool behaves; connection counts as the scenario client's node:http agents had them. */
export interface Http1PoolOptions {
  /** Calls at once to this origin; more wait in line. */
  maxConnections: number;
  /** Connections kept open between calls. */
  maxIdle: number;
  /**
   * An idle connection is closed after this long. 5 s is node:http's global agent default; when it equals
   * the call timeout (ACTION_TIMEOUT's default is 5 s too) the socket's timer is never re-armed, which would
   * cost a timer and a bound function per call and per rest.
   */
  idleTimeoutMs: number;
  /** The largest body accepted (64 KiB by default); a longer one fails the call. */
  maxBodyBytes: number;
}

/** A way to walk away from a call: it receives the abort (scenario-client's Cancellation is one). */
export interface Http1Abortable {
  bind(abort: () => void): void;
}

const DEFAULT_OPTIONS: Http1PoolOptions = { maxConnections: 2, maxIdle: 1, idleTimeoutMs: 5000, maxBodyBytes: 64 * 1024 };

/** Shared by every socket: reads are handled synchronously, one at a time, on the event loop. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** A call on its way: in line, or on a connection. Settled once. A class, so every call has one small fixed shape. */
class Pending {
  settled = false;
  /** A call that found a kept connection closed by the peer is sent once more, on a new one. */
  retried = false;
  connection: Http1Connection | null = null;
  /** When the whole call must be over (epoch ms): set when it is first sent on a connection. */
  deadline = 0;

  constructor(
    readonly request: string,
    readonly timeoutMs: number,
    readonly resolve: (response: Http1Response) => void,
    readonly reject: (error: Error) => void,
  ) {}
}

/** The request text of a call (`extraHeaders`: whole header lines, each ending CRLF). Throws on a path node:http would refuse as well. */
export function http1Request(origin: Http1Origin, method: 'GET' | 'POST', path: string, body: string | null, extraHeaders = ''): string {
  if (/[^\x21-\x7e]/.test(path)) throw new TypeError(`the path ${JSON.stringify(path)} has characters that must be percent-encoded`);
  const head = `${method} ${path} HTTP/1.1\r\nHost: ${origin.hostHeader}\r\n${origin.authorization ? `Authorization: ${origin.authorization}\r\n` : ''}Accept: application/json\r\n${extraHeaders}`;
  return body === null ? `${head}\r\n` : `${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** The origin of an http: endpoint URL. */
export function http1Origin(url: URL): Http1Origin {
  if (url.protocol !== 'http:') throw new TypeError(`${url.protocol}// endpoints are not supported: the orchestrator speaks plain HTTP to scenarios`);
  const credentials = url.username || url.password ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : null;
  return {
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port ? Number(url.port) : 80,
    hostHeader: url.host,
    authorization: credentials === null ? null : `Basic ${Buffer.from(credentials).toString('base64')}`,
  };
}

/** Connections to one origin: at most `maxConnections` busy, `maxIdle` kept between calls, the rest in line. */
export class Http1Pool {
  private readonly idle: Http1Connection[] = [];
  private readonly waiting: Pending[] = [];
  private open = 0;
  private readonly options: Http1PoolOptions;

  constructor(readonly origin: Http1Origin, options: Partial<Http1PoolOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
  }

  /**
   * Sends `request` (the whole text, http1Request) and resolves with the answer. `timeoutMs` bounds the whole
   * call, from connect to the last byte (a trickling or stalling server included; rejects with ETIMEDOUT).
   * `abortable` receives the way to walk away from the call (the promise then rejects with an AbortError).
   */
  request(request: string, timeoutMs: number, abortable?: Http1Abortable): Promise<Http1Response> {
    return new Promise((resolve, reject) => {
      const pending = new Pending(request, timeoutMs, resolve, reject);
      abortable?.bind(() => this.abandon(pending));
      if (!pending.settled) this.dispatch(pending);
    });
  }

  /** Closes the idle connections and fails the calls still in line; a call on a connection finishes there. */
  close(): void {
    for (const waiter of this.waiting.splice(0)) settle(waiter, closedError());
    for (const connection of this.idle.splice(0)) connection.destroy();
  }

  private dispatch(pending: Pending): void {
    const idle = this.idle.pop();
    if (idle) idle.send(pending);
    else if (this.open < this.options.maxConnections) {
      this.open++;
      new Http1Connection(this.origin, this.options, (connection, reusable) => this.release(connection, reusable), (call) => this.retry(call)).send(pending);
    } else this.waiting.push(pending);
  }

  /** A connection finished a call: next in line, kept idle, or closed. Called once more when it closes. */
  private release(connection: Http1Connection, reusable: boolean): void {
    if (!reusable) {
      this.open--;
      const index = this.idle.indexOf(connection);
      if (index !== -1) this.idle.splice(index, 1);
      const next = this.waiting.shift();
      if (next) this.dispatch(next);
      return;
    }
    const next = this.waiting.shift();
    if (next) connection.send(next);
    else if (this.idle.length < this.options.maxIdle) {
      connection.rest();
      this.idle.push(connection);
    } else connection.destroy();
  }

  private retry(pending: Pending): void {
    pending.retried = true;
    this.dispatch(pending);
  }

  private abandon(pending: Pending): void {
    if (pending.settled) return;
    const index = this.waiting.indexOf(pending);
    if (index !== -1) this.waiting.splice(index, 1);
    settle(pending, Object.assign(new Error('the call was abandoned'), { name: 'AbortError' }));
    pending.connection?.destroy();
  }
}

/** The connection a socket serves, so that one set of handlers serves every socket (no closures per connection). */
const CONNECTION = Symbol('Http1Connection');
type ConnectionSocket = net.Socket & { [CONNECTION]: Http1Connection };

function onSocketRead(this: ConnectionSocket, bytes: number): boolean {
  return this[CONNECTION].onRead(bytes);
}
function onSocketConnect(this: ConnectionSocket): void {
  this[CONNECTION].onProgress();
}
function onSocketTimeout(this: ConnectionSocket): void {
  this[CONNECTION].onTimeout();
}
function onSocketError(this: ConnectionSocket, error: Error): void {
  this[CONNECTION].fail(error, true);
}
function onSocketEnd(this: ConnectionSocket): void {
  this[CONNECTION].onEnd();
}
function onSocketClose(this: ConnectionSocket): void {
  this[CONNECTION].onClose();
}

/** One socket; carries one call at a time. */
class Http1Connection {
  private readonly socket: ConnectionSocket;
  private call: Pending | null = null;
  private reader: Http1ResponseReader | null = null;
  /** It answered a call before: a close before the next answer may be the peer dropping a kept connection. */
  private answered = false;
  private closed = false;
  /** The socket's inactivity timeout now (0: none yet). */
  private armedMs = 0;

  constructor(
    origin: Http1Origin,
    private readonly options: Http1PoolOptions,
    private readonly release: (connection: Http1Connection, reusable: boolean) => void,
    private readonly retry: (call: Pending) => void,
  ) {
    // node:net calls the onread callback on the socket, like its event listeners.
    const socket = net.connect({ host: origin.host, port: origin.port, onread: { buffer: READ_BUFFER, callback: onSocketRead as (bytes: number) => boolean } }) as ConnectionSocket;
    socket[CONNECTION] = this;
    socket.setNoDelay(true);
    socket.on('connect', onSocketConnect);
    socket.on('timeout', onSocketTimeout);
    socket.on('error', onSocketError);
    socket.on('end', onSocketEnd);
    socket.on('close', onSocketClose);
    this.socket = socket;
  }

  send(call: Pending): void {
    this.call = call;
    call.connection = this;
    this.reader = new Http1ResponseReader(this.options.maxBodyBytes);
    // A call sent again (its kept connection had closed) keeps its first deadline.
    if (call.deadline === 0) call.deadline = Date.now() + call.timeoutMs;
    this.socket.ref();
    this.arm(call.timeoutMs);
    this.socket.write(call.request);
  }

  /** Between calls: the idle timeout, and no hold on the process. */
  rest(): void {
    this.arm(this.options.idleTimeoutMs);
    this.socket.unref();
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Sets the socket's inactivity timeout; unchanged, the running timer goes on (reads and writes restart it). */
  private arm(ms: number): void {
    if (ms === this.armedMs) return;
    this.armedMs = ms;
    this.socket.setTimeout(ms);
  }

  onRead(bytes: number): boolean {
    const call = this.call;
    if (!call || !this.reader) {
      // Bytes nobody asked for: the connection cannot be trusted with another call.
      this.socket.destroy();
      return false;
    }
    let response: Http1Response | null;
    try {
      response = this.reader.feed(READ_BUFFER, 0, bytes);
    } catch (error) {
      this.fail(error as Error, false);
      return false;
    }
    if (response) this.finish(call, response);
    else this.onProgress();
    return true;
  }

  /**
   * The socket connected, or part of an answer arrived: either restarts the socket's inactivity timer, so
   * it is cut to what is left of the call's deadline (within a small slack, so that a body in a few reads
   * does not cost a new timer each). Past the deadline the call ends here.
   */
  onProgress(): void {
    const call = this.call;
    if (!call) return;
    const left = call.deadline - Date.now();
    if (left <= 0) this.fail(timedOut(call), false);
    else if (this.armedMs - left > Math.max(10, call.timeoutMs / 20)) this.arm(left);
  }

  onTimeout(): void {
    if (this.call) this.fail(timedOut(this.call), false);
    else this.socket.destroy(); // idle for idleTimeoutMs
  }

  onEnd(): void {
    const response = this.reader?.end() ?? null;
    if (this.call && response) this.finish(this.call, response);
    else this.fail(closedBeforeAnswer, true);
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.fail(closedBeforeAnswer, true);
    this.release(this, false);
  }

  /**
   * Ends the call on this connection, if any, and the connection with it. `error` may be a function that
   * makes it: idle connections closing together (5 s after a mass action) then build no error at all.
   */
  fail(error: Error | (() => Error), byPeer: boolean): void {
    const call = this.call;
    const started = this.reader?.started ?? false;
    this.call = null;
    this.reader = null;
    this.socket.destroy();
    if (!call || call.settled) return;
    call.connection = null;
    // A kept connection the scenario closed while idle: the request never reached it; send it once more.
    if (byPeer && this.answered && !started && !call.retried) this.retry(call);
    else settle(call, typeof error === 'function' ? error() : error);
  }

  private finish(call: Pending, response: Http1Response): void {
    this.call = null;
    this.reader = null;
    call.connection = null;
    if (!call.settled) {
      call.settled = true;
      call.resolve(response);
    }
    if (!response.reusable) {
      this.socket.destroy();
      return;
    }
    this.answered = true;
    this.release(this, true);
  }
}

function settle(pending: Pending, error: Error): void {
  if (pending.settled) return;
  pending.settled = true;
  pending.reject(error);
}

function timedOut(call: Pending): Error {
  const limit = call.timeoutMs % 1000 === 0 ? `${call.timeoutMs / 1000}s` : `${call.timeoutMs} ms`;
  return Object.assign(new Error(`no complete answer within ${limit}`), { code: 'ETIMEDOUT' });
}

function closedBeforeAnswer(): Error {
  return Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' });
}

function closedError(): Error {
  return Object.assign(new Error('the client was closed'), { name: 'AbortError' });
}
