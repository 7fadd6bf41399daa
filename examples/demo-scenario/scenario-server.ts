/**
 * One demo maintenance scenario over real HTTP: the state route (from the SDK in `sdk/`: both keys, leases,
 * epoch fencing), `/health`, and `/__demo/*` control routes for tests. Failure knobs (delay, fail rate,
 * silence, down) make it a stand-in for the flaky services the reconciler has to live with.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MaintenanceSwitch, STATE_PATHS, type StateChange as SwitchChange } from '../../sdk/src';
import type { ScenarioServerOptions, ScenarioStats, StateCall, StateChange } from './scenario-types';
import {
  DEFAULT_STATE_ENDPOINT,
  LEGACY_STATE_ENDPOINT,
  type JsonObject,
  type MaintenanceState,
  type ScenarioBehaviour,
  type ScenarioConfigPatch,
  behaviourProblem,
  isMaintenanceState,
  parseConfigBody,
  isGone,
  readBody,
  sendJson,
} from './wire';


export type { ScenarioServerOptions, ScenarioStats, StateCall, StateChange } from './scenario-types';

/** Arrival order of state POSTs across every scenario in this process. */
let callSequence = 0;

const DEFAULT_HISTORY_LIMIT = 100;
// Longer than any sane client idle timeout, so the client (not us) closes idle sockets and never
// races a request against our close.
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** A running (or deliberately down) demo scenario. Create with `startScenarioServer`. */
export class ScenarioServer {
  /** Scenario id, as the orchestrator knows it (the folder name). */
  readonly id: string;
  /** Path the state route is served on. */
  readonly stateEndpoint: string;
  /** True when only the legacy route is served. */
  readonly legacyOnly: boolean;
  private readonly host: string;
  private boundPort: number;
  private server: Server | null = null;
  private readonly maintenance: MaintenanceSwitch;
  private readonly statePaths: ReadonlySet<string>;
  private readonly behaviour: ScenarioBehaviour;
  private readonly historyLimit: number;
  private readonly random: () => number;
  private readonly keepAliveTimeoutMs: number;
  private readonly history: StateChange[] = [];
  private readonly calls: StateCall[] = [];
  private readonly pendingDelays = new Set<NodeJS.Timeout>();
  private counters = { posts: 0, failedPosts: 0, gets: 0, expiredLeases: 0 };
  private lastPostAt: string | null = null;

  /** Prefer `startScenarioServer`; the constructor validates options but opens nothing. */
  constructor(options: ScenarioServerOptions) {
    this.id = options.id;
    this.legacyOnly = options.legacyOnly ?? false;
    this.stateEndpoint = this.legacyOnly ? LEGACY_STATE_ENDPOINT : options.stateEndpoint ?? DEFAULT_STATE_ENDPOINT;
    this.host = options.host ?? '127.0.0.1';
    this.boundPort = options.port ?? 0;
    this.historyLimit = options.historyLimit ?? DEFAULT_HISTORY_LIMIT;
    this.random = options.random ?? Math.random;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
    this.behaviour = { delayMs: 0, failRate: 0, silent: false };
    this.applyConfig({ delayMs: options.delayMs, failRate: options.failRate, silent: options.silent });
    if (!this.stateEndpoint.startsWith('/')) throw new Error(`${this.id}: stateEndpoint must start with "/"`);
    const initialState = options.initialState ?? 'inactive';
    if (!isMaintenanceState(initialState)) throw new Error(`${this.id}: initialState must be active or inactive`);
    this.statePaths = new Set(this.stateEndpoint === DEFAULT_STATE_ENDPOINT ? STATE_PATHS : [this.stateEndpoint]);
    this.maintenance = new MaintenanceSwitch({
      initialState,
      beforeApply: () => this.injectFailure(),
      onDeactivate: (change) => this.noteDeactivation(change),
    });
  }

  /** Port the scenario serves on (known even while down). */
  get port(): number {
    return this.boundPort;
  }

  /** Base URL, e.g. `http://127.0.0.1:3261`. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.boundPort}`;
  }

  /** Current maintenance state, kept across down/up cycles like a service whose process survives. */
  get state(): MaintenanceState {
    return this.maintenance.state;
  }

  /** True while the port is closed. */
  get isDown(): boolean {
    return this.server === null;
  }

  /** Snapshot of counters and history (copies: callers cannot mutate the scenario). */
  stats(): ScenarioStats {
    return {
      id: this.id,
      state: this.state,
      ...this.counters,
      lastPostAt: this.lastPostAt,
      leaseExpiresAt: this.maintenance.leaseExpiresAt?.toISOString() ?? null,
      ...this.maintenance.fence,
      history: this.history.map((change) => ({ ...change })),
      calls: this.calls.map((call) => ({ ...call })),
      behaviour: { ...this.behaviour },
      down: this.isDown,
    };
  }

  /** Changes behaviour at run time; `state` simulates the scenario changing on its own. Throws on bad values. */
  configure(patch: ScenarioConfigPatch): ScenarioBehaviour {
    this.applyConfig(patch);
    if (patch.state !== undefined) this.setState(patch.state, 'config');
    return { ...this.behaviour };
  }

  /** Opens the listener; with port 0 and `down`, reserves a free port so the address is stable. */
  async start(down = false): Promise<void> {
    if (down) {
      if (this.boundPort === 0) {
        await this.open();
        await this.close();
      }
      return;
    }
    await this.open();
  }

  /** Closes the port and drops open connections (`true`), or listens again on the same port (`false`). */
  async setDown(down: boolean): Promise<void> {
    if (down) await this.close();
    else if (this.server === null) await this.open();
  }

  /** Stops serving for good (and the lease timer with it); safe to call twice. */
  async stop(): Promise<void> {
    this.maintenance.close();
    await this.close();
  }

  private async open(): Promise<void> {
    const server = createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
    server.keepAliveTimeout = this.keepAliveTimeoutMs;
    // Node requires headersTimeout above keepAliveTimeout, or a reused socket can be cut mid-request.
    server.headersTimeout = Math.max(60_000, this.keepAliveTimeoutMs + 1_000);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.boundPort, host: this.host }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address !== null && typeof address === 'object') this.boundPort = address.port;
    this.server = server;
  }

  private async close(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    for (const timer of this.pendingDelays) clearTimeout(timer);
    this.pendingDelays.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // close() alone waits for keep-alive sockets to idle out; a scenario going down drops them at once.
    server.closeAllConnections();
    await closed;
  }

  private applyConfig(patch: ScenarioConfigPatch): void {
    const problem = behaviourProblem(patch);
    if (problem !== null) throw new RangeError(`${this.id}: ${problem}`);
    const { delayMs, failRate, silent } = patch;
    if (delayMs !== undefined) this.behaviour.delayMs = delayMs;
    if (failRate !== undefined) this.behaviour.failRate = failRate;
    if (silent !== undefined) this.behaviour.silent = silent;
  }

  /** The fail-rate knob, run by the SDK for every valid, fenced POST: a throw answers 500 and applies nothing. */
  private injectFailure(): void {
    if (this.behaviour.failRate > 0 && this.random() < this.behaviour.failRate) {
      this.counters.failedPosts += 1;
      throw new Error('injected failure (failRate)');
    }
  }

  private noteDeactivation(change: SwitchChange): void {
    if (change.cause !== 'lease-expired') return;
    this.counters.expiredLeases += 1;
    this.record('inactive', 'lease');
  }

  private setState(state: MaintenanceState, via: StateChange['via']): void {
    this.maintenance.set(state);
    this.record(state, via);
  }

  private record(state: MaintenanceState, via: StateChange['via']): void {
    this.history.push({ at: new Date().toISOString(), state, via });
    if (this.history.length > this.historyLimit) this.history.splice(0, this.history.length - this.historyLimit);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const path = new URL(req.url ?? '/', 'http://scenario').pathname;
      if (path.startsWith('/__demo/')) return await this.handleControl(path, req, res);
      const isStateRoute = this.statePaths.has(path);
      if (!isStateRoute && path !== '/health') return sendJson(res, 404, { error: 'Not Found', path });
      if (isStateRoute && req.method === 'POST') return await this.handlePost(req, res);
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'Method Not Allowed' });
      this.counters.gets += 1;
      const call = isStateRoute ? this.noteCall(req, 'GET') : null;
      await this.delay();
      if (isGone(req, res)) return;
      if (!isStateRoute) return sendJson(res, 200, this.healthBody());
      const reply = await this.maintenance.handle({ method: 'GET', headers: req.headers, body: '' });
      if (call) call.status = reply.status;
      sendJson(res, reply.status, reply.status === 200 ? this.stateBody(reply.body as JsonObject) : (reply.body as JsonObject));
    } catch (error: unknown) {
      sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async handlePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.posts += 1;
    this.lastPostAt = new Date().toISOString();
    // Noted on arrival, before any delay: fencing is about the order calls reach the scenario.
    const call = this.noteCall(req, 'POST');
    const text = await readBody(req);
    await this.delay();
    // A client that gave up (timeout) never learns the outcome; not applying it keeps tests deterministic.
    if (isGone(req, res)) return;
    // The SDK answers 413, 400, 409 (older epoch) and 500 (the fail-rate knob) without changing anything.
    const reply = await this.maintenance.handle({ method: 'POST', headers: req.headers, body: text });
    call.status = reply.status;
    if (reply.status === 200) this.record(this.state, 'post');
    sendJson(res, reply.status, { ...(reply.body as JsonObject), scenario: this.id });
  }

  private noteCall(req: IncomingMessage, method: StateCall['method']): StateCall {
    const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : null);
    const epoch = header('x-maintenance-epoch');
    const call: StateCall = { method, seq: ++callSequence, at: this.lastPostAt ?? new Date().toISOString(), epoch: epoch === null ? null : Number(epoch), leader: header('x-maintenance-leader'), status: 0 };
    this.calls.push(call);
    if (this.calls.length > this.historyLimit) this.calls.splice(0, this.calls.length - this.historyLimit);
    return call;
  }

  private async handleControl(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Control routes skip the delay and counters: tests read them to observe the wire, not to be part of it.
    if (path === '/__demo/stats' && req.method === 'GET') return sendJson(res, 200, this.stats());
    if (path === '/__demo/config' && req.method === 'POST') {
      const text = await readBody(req);
      const parsed = text === null ? { ok: false as const, message: 'body too large' } : parseConfigBody(text);
      if (!parsed.ok) return sendJson(res, 400, { success: false, error: parsed.message });
      const behaviour = this.configure(parsed.value);
      return sendJson(res, 200, { success: true, ...behaviour, state: this.state });
    }
    sendJson(res, 404, { error: 'Not Found', path });
  }

  /** The SDK's report (state, lease) plus the demo's fields; silent drops the state so the orchestrator sees Unknown. */
  private stateBody(report: JsonObject): JsonObject {
    const base: JsonObject = { scenario: this.id, canToggle: true, health: 'healthy' };
    return this.behaviour.silent ? base : { ...report, ...base };
  }

  private healthBody(): JsonObject {
    const base: JsonObject = { status: 'healthy', health: 'healthy', scenario: this.id };
    return this.behaviour.silent ? base : { ...base, maintenanceState: this.state };
  }

  private delay(): Promise<void> {
    const ms = this.behaviour.delayMs;
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingDelays.delete(timer);
        resolve();
      }, ms);
      this.pendingDelays.add(timer);
    });
  }
}

/** Creates a scenario server and opens its port (unless `options.down`). */
export async function startScenarioServer(options: ScenarioServerOptions): Promise<ScenarioServer> {
  const scenario = new ScenarioServer(options);
  await scenario.start(options.down ?? false);
  return scenario;
}
