/**
 * Registration with heartbeat, for scenarios whose port is not in their service.json (Vrooli scenarios that
 * declare only a port range): `POST /api/v1/registrations` now and again before the TTL passes, and
 * `DELETE /api/v1/registrations/{id}` on stop.
 *
 * Decisions:
 * - Renew every third of the TTL, so two heartbeats in a row can fail before the orchestrator lets the
 *   registration lapse.
 * - A failed heartbeat is reported to `onError` and retried at the next beat; the client never gives up by
 *   itself, because the orchestrator may simply not have started yet.
 */
import { type Clock, systemClock } from './clock';
import { REGISTRATIONS_PATH } from './protocol';

/** How to register. */
export interface RegistrationOptions {
  /** The orchestrator's base URL, e.g. `http://127.0.0.1:3250`. */
  orchestratorUrl: string;
  /** The scenario id: its folder name in Vrooli. */
  id: string;
  /** Where the scenario listens: an origin only, `scheme://host:port`. */
  endpoint: string;
  /** Seconds the registration lives without renewal; an integer from 1 to 604800. Default 30. */
  ttlSeconds?: number;
  /** Sent as `Authorization: Bearer <token>` when the orchestrator requires tokens. */
  token?: string;
  /** The state route, when it is not `/api/maintenance/state`. */
  stateEndpoint?: string;
  tags?: string[];
  displayName?: string;
  description?: string;
  weight?: 'light' | 'heavy';
  conflictsWith?: string[];
  /** Bound on each call, default 5000 ms. */
  timeoutMs?: number;
  /** Failed registrations, renewals and unregistrations; the default emits a process warning. */
  onError?(error: Error): void;
  /** Timers for the heartbeat; the system clock unless testing. */
  clock?: Clock;
}

/** The outcome of one registration call. */
export type RegistrationOutcome = { ok: true; expiresAt: string | null } | { ok: false; error: string };

const MAX_TTL_SECONDS = 7 * 24 * 3600;

/** Registers a scenario and keeps the registration alive until `stop()`. */
export class RegistrationClient {
  private readonly base: string;
  private readonly endpoint: string;
  private readonly ttlSeconds: number;
  private readonly clock: Clock;
  private timer: unknown = null;
  private running = false;
  private inFlight: Promise<RegistrationOutcome> | null = null;

  /** Validates the options (throws RangeError on bad ones); sends nothing. */
  constructor(private readonly options: RegistrationOptions) {
    this.base = baseUrl(options.orchestratorUrl, 'orchestratorUrl');
    this.endpoint = originOnly(options.endpoint);
    this.ttlSeconds = options.ttlSeconds ?? 30;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1 || this.ttlSeconds > MAX_TTL_SECONDS) {
      throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
    }
    if (typeof options.id !== 'string' || options.id.trim() === '') throw new RangeError('id must be a non-empty string');
    this.clock = options.clock ?? systemClock;
  }

  /** Milliseconds between heartbeats: a third of the TTL. */
  get renewEveryMs(): number {
    return (this.ttlSeconds * 1000) / 3;
  }

  /** Registers once and starts the heartbeat; resolves with the first call's outcome (the heartbeat runs either way). */
  async start(): Promise<RegistrationOutcome> {
    if (this.running) return this.inFlight ?? this.register();
    this.running = true;
    return this.beat();
  }

  /** Registers (or renews) now, outside the heartbeat. */
  register(): Promise<RegistrationOutcome> {
    const call = this.send('POST', REGISTRATIONS_PATH, JSON.stringify(this.body())).then(
      (reply): RegistrationOutcome => ({ ok: true, expiresAt: readExpiresAt(reply) }),
      (error: Error): RegistrationOutcome => {
        this.report(error);
        return { ok: false, error: error.message };
      },
    );
    this.inFlight = call;
    return call;
  }

  /** Stops the heartbeat, waits for a call in flight, and unregisters; never rejects. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimer(this.timer);
    this.timer = null;
    await this.inFlight;
    await this.send('DELETE', `${REGISTRATIONS_PATH}/${encodeURIComponent(this.options.id)}`, null).catch((error: Error) => this.report(error));
  }

  private async beat(): Promise<RegistrationOutcome> {
    const outcome = await this.register();
    if (this.running) this.timer = this.clock.setTimer(() => void this.beat(), this.renewEveryMs);
    return outcome;
  }

  private body(): Record<string, unknown> {
    const { id, stateEndpoint, tags, displayName, description, weight, conflictsWith } = this.options;
    const optional = { stateEndpoint, tags, displayName, description, weight, conflictsWith };
    const defined = Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined));
    return { id, endpoint: this.endpoint, ttlSeconds: this.ttlSeconds, ...defined };
  }

  /** One call; rejects with a message naming the route and the status on anything but a 2xx. */
  private async send(method: 'POST' | 'DELETE', path: string, body: string | null): Promise<string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== null) headers['content-type'] = 'application/json';
    if (this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await fetch(this.base + path, { method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000) });
    } catch (error: unknown) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error(`${method} ${path} failed: ${cause ?? (error instanceof Error ? error.message : String(error))}`);
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return text;
  }

  private report(error: Error): void {
    if (this.options.onError) this.options.onError(error);
    else process.emitWarning(`maintenance registration: ${error.message}`);
  }
}

/** The registration's expiry from the orchestrator's reply, when it gave one. */
function readExpiresAt(text: string): string | null {
  try {
    const expiresAt = (JSON.parse(text) as { registration?: { expiresAt?: unknown } }).registration?.expiresAt;
    return typeof expiresAt === 'string' ? expiresAt : null;
  } catch {
    return null;
  }
}

/** An http(s) URL without credentials, query or fragment, trailing slashes dropped. */
function baseUrl(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`${field} ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`${field} must be http or https`);
  if (url.username || url.password || url.search || url.hash) throw new RangeError(`${field} must not carry credentials, a query or a fragment`);
  return url.href.replace(/\/+$/, '');
}

/** `scheme://host:port`; a path is refused rather than dropped, since dropping it would change where calls go. */
function originOnly(value: string): string {
  const url = baseUrl(value, 'endpoint');
  const { origin, pathname } = new URL(url);
  if (pathname !== '/' && pathname !== '') throw new RangeError(`endpoint must be an origin only (scheme://host:port), not ${JSON.stringify(value)}`);
  return origin;
}
