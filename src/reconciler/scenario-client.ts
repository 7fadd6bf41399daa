/**
 * The scenario side of the wire (SPEC 2), as an HTTP adapter: set a scenario's maintenance state and read it.
 * Keep-alive connections, a timeout per call, a Cancellation to give up early, and the 404 fallback route.
 */
import { FALLBACK_STATE_ENDPOINT } from '../discovery/scenario';
import { http1Origin, http1Request, Http1Pool } from './http1-pool';
import type { Http1Response } from './http1-response';
import type { ObservedState, TargetState } from './types';

/** Where to reach one scenario. */
export interface ScenarioAddress {
  id: string;
  endpoint: string;
  stateEndpoint: string;
}

/** The outcome of one call. `unreachable` means no HTTP answer at all (refused, reset, timeout). */
export type CallResult = (
  | { ok: true; reported: ObservedState; leaseExpiresAt?: number }
  | { ok: false; unreachable: boolean; aborted: boolean; error: string; neverSent?: boolean }
) & {
  /** The leader's epoch the call carried (X-Maintenance-Epoch), when the orchestrator elects one. */
  epoch?: number;
};

/** The leader's epoch and id every call carries; null when this replica must not call scenarios (src/leader). */
export type FenceSource = () => { epoch: number; leader: string } | null;

/** Thrown before a send when this replica does not lead (or its renew deadline passed). */
class NotLeading extends Error {
  constructor() {
    super('not sent: this orchestrator does not lead (or missed its renew deadline)');
    this.name = 'NotLeading';
  }
}

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

/** How to reach one scenario: its keep-alive connections and its endpoint, parsed once rather than per call. */
interface Route {
  pool: Http1Pool;
  endpoint: string;
  /** The endpoint's own path, without a trailing slash (usually empty). */
  basePath: string;
}

/** HTTP/1.1 implementation with keep-alive connections, a pool per scenario (http1-pool.ts). */
export class HttpScenarioClient implements ScenarioClient {
  /**
   * One pool per scenario. (With node:http, a single shared agent made each idle-socket timeout scan every
   * origin: at 10,000 scenarios that stalled the event loop for seconds, 30 s after every mass action.)
   */
  private readonly routes = new Map<string, Route>();
  /** Scenarios that answered 404 on their declared route and 2xx on the fallback. */
  private readonly usesFallback = new Set<string>();

  /** The two state bodies, written once. */
  private readonly bodies: Record<TargetState, string>;

  /**
   * `leaseMs`: the activation lease every activation (and renewal) carries, or null for none (SPEC 12).
   * `fence`: asked just before every send; without it (single process, no election) calls carry no epoch.
   */
  constructor(
    private readonly timeoutMs: number,
    leaseMs: number | null = null,
    private readonly fence?: FenceSource,
  ) {
    this.bodies = stateBodies(leaseMs);
  }

  /** POSTs `{"maintenanceState": s, "state": s}` (plus `leaseSeconds` when active): real scenarios read one key or the other. */
  async setState(address: ScenarioAddress, state: TargetState, cancellation?: Cancellation): Promise<CallResult> {
    const epoch = this.fence?.()?.epoch;
    const answer = await this.callStateRoute(address, 'POST', this.bodies[state], cancellation);
    if (!isAnswer(answer)) return epoch === undefined ? answer : { ...answer, epoch };
    const reported = readMaintenanceState(answer.body);
    const result = answered(reported === 'unknown' ? state : reported, answer.body);
    return epoch === undefined ? result : { ...result, epoch };
  }

  /** GETs the state route, then `/health` when the route reports nothing. */
  async getState(address: ScenarioAddress, cancellation?: Cancellation): Promise<CallResult> {
    const answer = await this.callStateRoute(address, 'GET', null, cancellation);
    if (!isAnswer(answer)) return answer;
    const result = answered(readMaintenanceState(answer.body), answer.body);
    if (result.reported !== 'unknown') return result;
    try {
      const health = await this.request(this.routeFor(address), 'GET', '/health', null, cancellation);
      return { ok: true, reported: isSuccess(health.status) ? readMaintenanceState(health.body) : 'unknown' };
    } catch {
      return result;
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const route of this.routes.values()) route.pool.close();
    this.routes.clear();
  }

  private routeFor(address: ScenarioAddress): Route {
    let route = this.routes.get(address.id);
    if (route?.endpoint !== address.endpoint) {
      const url = new URL(address.endpoint);
      // Connections to the old address close; calls still on them finish there.
      route?.pool.close();
      route = { pool: new Http1Pool(http1Origin(url)), endpoint: address.endpoint, basePath: url.pathname.replace(/\/+$/, '') };
      this.routes.set(address.id, route);
    }
    return route;
  }

  /** Calls the state route (the fallback route after a 404); a 2xx answer, or the failed call. */
  private async callStateRoute(address: ScenarioAddress, method: 'GET' | 'POST', body: string | null, cancellation?: Cancellation): Promise<Http1Response | CallResult> {
    const declared = address.stateEndpoint;
    const first = this.usesFallback.has(address.id) ? FALLBACK_STATE_ENDPOINT : declared;
    try {
      // The route is resolved inside the try: a bad endpoint is a failed call, not a thrown error.
      const route = this.routeFor(address);
      let response = await this.request(route, method, first, body, cancellation);
      if (response.status === 404 && first !== FALLBACK_STATE_ENDPOINT) {
        response = await this.request(route, method, FALLBACK_STATE_ENDPOINT, body, cancellation);
        if (isSuccess(response.status)) this.usesFallback.add(address.id);
      }
      if (!isSuccess(response.status)) {
        return { ok: false, unreachable: false, aborted: false, error: `HTTP ${response.status} from ${endpointLabel(address.endpoint)}${reasonGiven(response.body)}` };
      }
      return response;
    } catch (error) {
      if (error instanceof NotLeading) return { ok: false, unreachable: false, aborted: true, neverSent: true, error: error.message };
      const aborted = (error as Error).name === 'AbortError';
      return { ok: false, unreachable: !aborted, aborted, error: describeError(error, address.endpoint) };
    }
  }

  /** One call; a path node:http would refuse, or an https endpoint, throws here (a failed call). */
  private request(route: Route, method: 'GET' | 'POST', path: string, body: string | null, cancellation?: Cancellation): Promise<Http1Response> {
    // The last moment before the send: a leader that woke past its renew deadline stops here.
    let fenceHeaders = '';
    if (this.fence) {
      const fence = this.fence();
      if (fence === null) return Promise.reject(new NotLeading());
      fenceHeaders = `X-Maintenance-Epoch: ${fence.epoch}\r\nX-Maintenance-Leader: ${fence.leader}\r\n`;
    }
    const request = http1Request(route.pool.origin, method, route.basePath + path, body, fenceHeaders);
    return route.pool.request(request, this.timeoutMs, cancellation);
  }
}

/** The state bodies; only an activation carries the lease (a scenario ignores it on `inactive`). */
function stateBodies(leaseMs: number | null): Record<TargetState, string> {
  const lease = leaseMs === null ? {} : { leaseSeconds: leaseMs / 1000 };
  return {
    active: JSON.stringify({ maintenanceState: 'active', state: 'active', ...lease }),
    inactive: JSON.stringify({ maintenanceState: 'inactive', state: 'inactive' }),
  };
}

/** A successful call's result; `leaseExpiresAt` only when the scenario reported one. */
function answered(reported: ObservedState, body: string): Extract<CallResult, { ok: true }> {
  const leaseExpiresAt = readLeaseExpiresAt(body);
  return leaseExpiresAt === null ? { ok: true, reported } : { ok: true, reported, leaseExpiresAt };
}

function isAnswer(answer: Http1Response | CallResult): answer is Http1Response {
  return 'status' in answer;
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

/** `leaseExpiresAt` (ISO-8601) of a state body as epoch ms; null when absent or not a time. */
export function readLeaseExpiresAt(body: string): number | null {
  if (!body.includes('leaseExpiresAt')) return null; // most bodies: skip a second parse
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const value = parsed?.leaseExpiresAt ?? (parsed?.data as Record<string, unknown> | undefined)?.leaseExpiresAt;
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isFinite(at) ? at : null;
  } catch {
    return null;
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Characters of a scenario's own explanation kept in a message. */
const MAX_REASON_CHARS = 200;

/**
 * The `message` (else `error`) string of a JSON error body, as `: <text>`, at most 200 characters with
 * control characters blanked; nothing for any other body. The body itself is never echoed (SPEC 8): a
 * failing service may print its secrets, and the message reaches the API and the activity log.
 */
export function reasonGiven(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return '';
  }
  if (typeof parsed !== 'object' || parsed === null) return '';
  const { message, error } = parsed as Record<string, unknown>;
  const reason = typeof message === 'string' ? message : typeof error === 'string' ? error : '';
  const text = reason.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return text ? `: ${text.slice(0, MAX_REASON_CHARS)}` : '';
}

/** The endpoint as messages name it: scheme, host, port and path, never its credentials. */
function endpointLabel(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return 'an endpoint that is not a URL';
  }
}

function describeError(error: unknown, endpoint: string): string {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ECONNREFUSED') return `connection refused by ${endpointLabel(endpoint)}`;
  if (err.code === 'ECONNRESET') return `connection reset by ${endpointLabel(endpoint)}`;
  if (err.code === 'ETIMEDOUT' || err.code === 'HPE_INVALID') return `${err.message} from ${endpointLabel(endpoint)}`;
  return err.message || String(error);
}
