/**
 * The scenario side of the wire (SPEC 2), as an HTTP adapter: set a scenario's maintenance state and read it.
 * Keep-alive connections, a timeout per call, a Cancellation to give up early, and the 404 fallback route.
 */
import * as http from 'node:http';
import { urlToHttpOptions } from 'node:url';
import { FALLBACK_STATE_ENDPOINT } from '../discovery/scenario';
import type { ObservedState, TargetState } from './types';

/** Where to reach one scenario. */
export interface ScenarioAddress {
  id: string;
  endpoint: string;
  stateEndpoint: string;
}

/** The outcome of one call. `unreachable` means no HTTP answer at all (refused, reset, timeout). */
export type CallResult =
  | { ok: true; reported: ObservedState }
  | { ok: false; unreachable: boolean; aborted: boolean; error: string; neverSent?: boolean };

/** The port the reconciler talks to scenarios through; tests may substitute a fake, production uses HTTP. */
export interface ScenarioClient {
  setState(address: ScenarioAddress, state: TargetState, cancellation?: Cancellation): Promise<CallResult>;
  getState(address: ScenarioAddress, cancellation?: Cancellation): Promise<CallResult>;
  close(): void;
}

/**
 * A way to walk away from a call in flight: the client binds how to abort what it sent, the caller cancels.
 * A plain object rather than an AbortSignal: at 10,000 activations, an AbortController per call and the
 * listeners an AbortSignal adds to each request were near a tenth of a mass action's CPU.
 */
export class Cancellation {
  private cancelled = false;
  private abort: (() => void) | null = null;

  /** Cancels once: aborts the bound call, if any. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const abort = this.abort;
    this.abort = null;
    abort?.();
  }

  /** The client's way to abort what it just sent; runs at once when already cancelled. */
  bind(abort: () => void): void {
    if (this.cancelled) abort();
    else this.abort = abort;
  }
}

interface RawResponse {
  status: number;
  body: string;
}

/** How to reach one scenario: its keep-alive agent and its endpoint, parsed once rather than per call. */
interface Route {
  agent: http.Agent;
  endpoint: string;
  origin: Pick<http.RequestOptions, 'protocol' | 'hostname' | 'port' | 'auth'>;
  /** The endpoint's own path, without a trailing slash (usually empty). */
  basePath: string;
}

const ACCEPT_JSON = { accept: 'application/json' };

const MAX_BODY_BYTES = 64 * 1024;

/** HTTP implementation over node:http with keep-alive agents, one per scenario. */
export class HttpScenarioClient implements ScenarioClient {
  /**
   * One keep-alive agent per scenario. A single shared agent makes each idle-socket timeout scan every origin
   * (Node's agent looks the socket up across all of them): at 10,000 scenarios that stalled the event loop
   * for seconds, 30 s after every mass action.
   */
  private readonly routes = new Map<string, Route>();
  /** Scenarios that answered 404 on their declared route and 2xx on the fallback. */
  private readonly usesFallback = new Set<string>();

  constructor(private readonly timeoutMs: number) {}

  /** POSTs `{"maintenanceState": s, "state": s}`: real scenarios read one key or the other. */
  async setState(address: ScenarioAddress, state: TargetState, cancellation?: Cancellation): Promise<CallResult> {
    const body = JSON.stringify({ maintenanceState: state, state });
    // The route is resolved inside withFallback's try: a bad endpoint is a failed call, not a thrown error.
    return this.withFallback(address, (path) => this.request(this.routeFor(address), 'POST', path, body, cancellation), (response) => {
      const reported = readMaintenanceState(response.body);
      return { ok: true, reported: reported === 'unknown' ? state : reported };
    });
  }

  /** GETs the state route, then `/health` when the route reports nothing. */
  async getState(address: ScenarioAddress, cancellation?: Cancellation): Promise<CallResult> {
    const result = await this.withFallback(address, (path) => this.request(this.routeFor(address), 'GET', path, null, cancellation), (response) => ({
      ok: true as const,
      reported: readMaintenanceState(response.body),
    }));
    if (!result.ok || result.reported !== 'unknown') return result;
    try {
      const health = await this.request(this.routeFor(address), 'GET', '/health', null, cancellation);
      return { ok: true, reported: isSuccess(health.status) ? readMaintenanceState(health.body) : 'unknown' };
    } catch {
      return result;
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const route of this.routes.values()) route.agent.destroy();
    this.routes.clear();
  }

  private routeFor(address: ScenarioAddress): Route {
    let route = this.routes.get(address.id);
    if (route?.endpoint !== address.endpoint) {
      const url = new URL(address.endpoint);
      const { protocol, hostname, port, auth } = urlToHttpOptions(url);
      const agent = route?.agent ?? new http.Agent({ keepAlive: true, maxSockets: 2, maxFreeSockets: 1, timeout: 30_000 });
      route = { agent, endpoint: address.endpoint, origin: { protocol, hostname, port, auth }, basePath: url.pathname.replace(/\/+$/, '') };
      this.routes.set(address.id, route);
    }
    return route;
  }

  private async withFallback(
    address: ScenarioAddress,
    send: (path: string) => Promise<RawResponse>,
    accept: (response: RawResponse) => CallResult,
  ): Promise<CallResult> {
    const declared = address.stateEndpoint;
    const first = this.usesFallback.has(address.id) ? FALLBACK_STATE_ENDPOINT : declared;
    try {
      let response = await send(first);
      if (response.status === 404 && first !== FALLBACK_STATE_ENDPOINT) {
        response = await send(FALLBACK_STATE_ENDPOINT);
        if (isSuccess(response.status)) this.usesFallback.add(address.id);
      }
      if (!isSuccess(response.status)) {
        return { ok: false, unreachable: false, aborted: false, error: `HTTP ${response.status}${summarize(response.body)}` };
      }
      return accept(response);
    } catch (error) {
      const aborted = (error as Error).name === 'AbortError';
      return { ok: false, unreachable: !aborted, aborted, error: describeError(error) };
    }
  }

  private request(route: Route, method: 'GET' | 'POST', path: string, body: string | null, cancellation?: Cancellation): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const request = http.request({
        ...route.origin,
        path: route.basePath + path,
        method,
        agent: route.agent,
        timeout: this.timeoutMs,
        headers: body === null ? ACCEPT_JSON : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' },
      });
      let abandoned = false;
      // Whatever the request then reports (a reset, a half-read answer), an abandoned call is an abort.
      const fail = (error: Error) => reject(abandoned ? abortError() : error);
      cancellation?.bind(() => {
        abandoned = true;
        request.destroy(abortError());
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', fail);
      });
      if (!request.destroyed) request.end(body ?? undefined);
    });
  }
}

function abortError(): Error {
  return Object.assign(new Error('the call was abandoned'), { name: 'AbortError' });
}

/** Reads `maintenanceState` from a JSON body; anything else is `unknown`. */
export function readMaintenanceState(body: string): ObservedState {
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const value = parsed?.maintenanceState ?? (parsed?.data as Record<string, unknown> | undefined)?.maintenanceState;
    return value === 'active' || value === 'inactive' ? value : 'unknown';
  } catch {
    return 'unknown';
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function summarize(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text ? `: ${text.slice(0, 120)}` : '';
}

function describeError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ECONNREFUSED') return 'connection refused';
  if (err.code === 'ETIMEDOUT') return err.message;
  if (err.code === 'ECONNRESET') return 'connection reset';
  return err.message || String(error);
}
