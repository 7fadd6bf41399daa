/**
 * The fuzz run over the API's OpenAPI document (SPEC 8, issue 16). Requests come from
 * openapi-arbitraries.ts, routes in turn (round-robin, so every route gets its share), one at a time so
 * each answer is judged alone:
 * - no answer is a 5xx, a hang or a dropped connection;
 * - a refused request (4xx) answers the API's JSON error `{statusCode, message}` and changes nothing:
 *   the state views and the fleet are read before and after it and must be equal;
 * - `/health` still answers at the end.
 * The state views are derived from the document too: every parameterless GET whose path also takes a PUT
 * (`/desired-state`, `/policy`) or has a DELETE under it (`/presets`, `/schedules`, `/registrations`, ...).
 * After an accepted change the run returns to its starting point (stop-all + resume, the starting policy,
 * DELETE of what a collection gained) and waits for the fleet to settle, so nothing left behind (a TTL, a
 * window, a cooldown) can change the state later, in the middle of a refused request's comparison.
 * Shared by test/openapi-fuzz.e2e-spec.ts (the verdict) and bench/suites/security.ts (the rate).
 */
import fc from 'fast-check';
import * as http from 'node:http';
import { describeRequest, documentExamples, requestsFor, routesOf, type FuzzContext, type FuzzRequest, type OpenApiDocument, type Route } from './openapi-arbitraries';

/** Where the server publishes its document (src/api/openapi.ts). */
export const OPENAPI_JSON_PATH = '/api/docs-json';

/** The server under test and the fleet behind it. */
export interface FuzzTarget {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  secrets: FuzzContext['secrets'];
  /** The fleet as it is (each scenario's own state and the state calls it received): JSON-comparable. */
  fleet(): unknown | Promise<unknown>;
  /** Extra strings for the pool (endpoints of the fleet, ...). */
  pool?: string[];
}

export interface FuzzOptions {
  /** Requests generated per route. */
  perRoute: number;
  seed?: number;
  /** Called every 500 requests, for progress lines. */
  progress?: (tried: number, total: number) => void;
}

/** A request the run found at fault, with why. */
export interface Finding {
  kind: 'server error' | 'no answer' | 'state changed by a refused request' | 'unclear refusal' | 'did not settle';
  request: string;
  detail: string;
}

export interface FuzzReport {
  seed: number;
  routes: number;
  tried: number;
  /** Requests per second over the whole run, state checks included. */
  perSecond: number;
  durationMs: number;
  serverErrors: number;
  /** Refused requests: 4xx, and large bodies refused by closing the connection. */
  refused: number;
  /** Of those, activations a gate held (409): kept desired by design, so not held to the no-change rule. */
  heldByGates: number;
  accepted: number;
  /** `METHOD /path` → status → count. */
  byRoute: Record<string, Record<number, number>>;
  findings: Finding[];
  healthAfter: number;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

const ANSWER_TIMEOUT_MS = 15_000;
const SETTLE_TIMEOUT_MS = 15_000;
/** Bodies above this may be refused by closing the connection before they are read. */
const LARGE_BODY = 64 * 1024;
/** The "status" of a large body the server refused by closing the connection (counted as a refusal). */
const CLOSED_UNREAD = 0;
/** Statuses written by Node's HTTP parser before the application sees the request (431: header too large). */
const PARSER_STATUSES = new Set([400, 431]);

/** Runs the fuzz against `target` and returns what it saw; never throws for a finding. */
export function runOpenApiFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  return new FuzzRun(target, options).run();
}

class FuzzRun {
  private readonly host: string;
  private readonly findings: Finding[] = [];
  private readonly byRoute: Record<string, Record<number, number>> = {};
  private document!: OpenApiDocument;
  private views: string[] = [];
  private baseline!: Record<string, unknown>;
  private baselineFleet = '';

  constructor(
    private readonly target: FuzzTarget,
    private readonly options: FuzzOptions,
  ) {
    this.host = new URL(target.url).host;
  }

  async run(): Promise<FuzzReport> {
    const docAnswer = await this.send('GET', OPENAPI_JSON_PATH, { host: this.host });
    if (docAnswer.status !== 200) throw new Error(`GET ${OPENAPI_JSON_PATH}: ${docAnswer.status}`);
    this.document = JSON.parse(docAnswer.body) as OpenApiDocument;
    const routes = routesOf(this.document);
    this.views = stateViews(this.document);
    // The start-up pass (every scenario driven inactive) must be over before the baseline is read.
    await this.untilIdle(Date.now() + SETTLE_TIMEOUT_MS);
    this.baseline = await this.readViews();
    this.baselineFleet = JSON.stringify(await this.target.fleet());
    const seed = this.options.seed ?? Date.now() % 2_147_483_647;
    const names = await this.knownNames(routes);
    const context: FuzzContext = { host: this.host, secrets: this.target.secrets, pool: [...new Set([...names, ...this.pool()])], names };
    // Generated up front, per route, from one seed: a finding is replayed by running the same seed again.
    const samples = routes.map((route, index) => fc.sample(requestsFor(route, this.document, context), { numRuns: this.options.perRoute, seed: seed + index }));
    const total = routes.length * this.options.perRoute;
    let reference = await this.state();
    let tried = 0;
    let refused = 0;
    let accepted = 0;
    let serverErrors = 0;
    let heldByGates = 0;
    const started = Date.now();
    for (let round = 0; round < this.options.perRoute; round++) {
      for (let index = 0; index < routes.length; index++) {
        const request = samples[index][round];
        tried++;
        if (tried % 500 === 0) this.options.progress?.(tried, total);
        let answer: Answer;
        try {
          answer = await this.sendRequest(request);
        } catch (error) {
          this.findings.push({ kind: 'no answer', request: describeRequest(request), detail: (error as Error).message });
          reference = await this.returnToBaseline(request);
          continue;
        }
        this.count(request.route, answer.status);
        if (answer.status >= 500) {
          serverErrors++;
          this.findings.push({ kind: 'server error', request: describeRequest(request), detail: `${answer.status} ${answer.body.slice(0, 300)}` });
          reference = await this.returnToBaseline(request);
        } else if (answer.status >= 400 || answer.status === CLOSED_UNREAD) {
          refused++;
          if (heldByGate(answer)) {
            // A gate's 409 keeps the activation desired until the gate clears ("It stays desired active and
            // starts when the gate clears", its message says): a declaration accepted and held, not a refused
            // request. Back to the baseline, as after any change.
            heldByGates++;
            reference = await this.returnToBaseline(request);
            continue;
          }
          if (answer.status !== CLOSED_UNREAD) this.checkRefusal(request, answer);
          const after = await this.state();
          if (after !== reference) {
            this.findings.push({ kind: 'state changed by a refused request', request: describeRequest(request), detail: `${answer.status}; ${difference(reference, after)}` });
            reference = await this.returnToBaseline(request);
          }
        } else {
          accepted++;
          // A GET changes nothing by contract; the next refused request's comparison would show it if it did.
          if (request.method !== 'GET') reference = await this.returnToBaseline(request);
        }
      }
    }
    const durationMs = Date.now() - started;
    const health = await this.send('GET', '/health', { host: this.host }).catch(() => ({ status: 0 }));
    return { seed, routes: routes.length, tried, perSecond: tried / (durationMs / 1000), durationMs, serverErrors, refused, heldByGates, accepted, byRoute: this.byRoute, findings: this.findings, healthAfter: health.status };
  }

  /** The `id` or `name` of every item the parameterless GETs list (scenarios, presets, schedules, ...). */
  private async knownNames(routes: Route[]): Promise<string[]> {
    const names = new Set<string>();
    for (const route of routes) {
      if (route.method !== 'GET' || route.path.includes('{')) continue;
      const answer = await this.send('GET', route.path, this.admin());
      if (answer.status !== 200 || !answer.contentType.startsWith('application/json')) continue;
      for (const item of listOf(JSON.parse(answer.body))) if (keyOf(item)) names.add(keyOf(item));
    }
    return [...names];
  }

  /** Names the server knows, the document's examples, the fleet's endpoints, the secrets: the way past validation. */
  private pool(): string[] {
    const names = new Set<string>(['full', 'minimal', 'off-hours', 'fuzz', '1s', '2h', '30m', '* * * * *', '0 2 * * 0', 'UTC', 'Europe/Berlin', 'active', 'inactive']);
    for (const view of Object.values(this.baseline)) {
      for (const item of listOf(view)) {
        if (item && typeof item === 'object') for (const key of ['id', 'name']) if (typeof (item as Record<string, unknown>)[key] === 'string') names.add((item as Record<string, string>)[key]);
      }
    }
    for (const value of [...documentExamples(this.document), ...Object.values(this.target.secrets), ...(this.target.pool ?? [])]) names.add(value);
    return [...names];
  }

  private count(route: Route, status: number): void {
    const key = `${route.method} ${route.path}`;
    const statuses = (this.byRoute[key] ??= {});
    statuses[status] = (statuses[status] ?? 0) + 1;
  }

  /** A refusal must say what is wrong in the API's error shape (Node's own parser answers aside). */
  private checkRefusal(request: FuzzRequest, answer: Answer): void {
    if (request.method === 'HEAD' || PARSER_STATUSES.has(answer.status) && !answer.contentType) return;
    let body: { statusCode?: unknown; message?: unknown } | null = null;
    try {
      body = JSON.parse(answer.body) as { statusCode?: unknown; message?: unknown };
    } catch {
      body = null;
    }
    if (!answer.contentType.startsWith('application/json') || body?.statusCode !== answer.status || typeof body.message !== 'string' || !body.message) {
      this.findings.push({ kind: 'unclear refusal', request: describeRequest(request), detail: `${answer.status} ${answer.contentType} ${answer.body.slice(0, 200)}` });
    }
  }

  /** The state views and the fleet, as one comparable string. */
  private async state(): Promise<string> {
    return JSON.stringify({ views: await this.readViews(), fleet: await this.target.fleet() });
  }

  private async readViews(): Promise<Record<string, unknown>> {
    const answers = await Promise.all(this.views.map((view) => this.send('GET', view, this.admin())));
    return Object.fromEntries(this.views.map((view, index) => [view, answers[index].status === 200 ? JSON.parse(answers[index].body) : `status ${answers[index].status}`]));
  }

  private admin(): Record<string, string> {
    return { host: this.host, authorization: `Bearer ${this.target.secrets.admin}`, 'content-type': 'application/json' };
  }

  /**
   * Back to the starting point after an accepted change: stop-all and resume clear presets, overrides and
   * the latch; the policy goes back; whatever a collection gained is deleted. Then the fleet settles.
   */
  private async returnToBaseline(cause: FuzzRequest): Promise<string> {
    const now = await this.readViews();
    if (JSON.stringify(now) !== JSON.stringify(this.baseline)) {
      await this.send('POST', '/api/v1/stop-all', this.admin(), '{"reason":"fuzz: back to the baseline"}');
      await this.send('POST', '/api/v1/resume', this.admin(), '{}');
      for (const view of this.views) {
        const before = this.baseline[view];
        const policy = (before as { policy?: unknown } | undefined)?.policy;
        if (policy && JSON.stringify(now[view]) !== JSON.stringify(before)) await this.send('PUT', view, this.admin(), JSON.stringify({ spec: policy }));
        const kept = new Set(listOf(before).map(keyOf));
        for (const item of listOf(now[view])) {
          const key = keyOf(item);
          if (key && !kept.has(key)) await this.send('DELETE', `${view}/${encodeURIComponent(key)}`, this.admin());
        }
      }
    }
    await this.settle(cause);
    return this.state();
  }

  /** Waits until the fleet is back where it started and nothing is in flight. */
  private async settle(cause: FuzzRequest): Promise<void> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const inFlight = await this.progressing();
      const fleetStates = JSON.stringify(statesOf(await this.target.fleet()));
      if (inFlight === 0 && fleetStates === JSON.stringify(statesOf(JSON.parse(this.baselineFleet)))) return;
      if (Date.now() > deadline) {
        this.findings.push({ kind: 'did not settle', request: describeRequest(cause), detail: `${inFlight} progressing; fleet ${fleetStates}` });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Scenarios in flight now (-1 when the list cannot be read). */
  private async progressing(): Promise<number> {
    const answer = await this.send('GET', '/api/v1/scenarios?state=progressing&limit=1', this.admin());
    return answer.status === 200 ? (JSON.parse(answer.body) as { total: number }).total : -1;
  }

  private async untilIdle(deadline: number): Promise<void> {
    while ((await this.progressing()) !== 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private sendRequest(request: FuzzRequest): Promise<Answer> {
    return this.send(request.method, request.target, request.headers, request.body, request.chunked);
  }

  /**
   * One request on a connection of its own (a request the server refused before reading its body may leave
   * its connection unusable, and must not take the next request down with it). An event stream is cut once
   * its headers arrived: its status is the answer.
   */
  private send(method: string, path: string, headers: Record<string, string>, body: string | null = null, chunked = false): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const outgoing = { ...headers };
      if (body !== null && !chunked) outgoing['content-length'] = String(Buffer.byteLength(body));
      const req = http.request(`${this.target.url}${path}`, { method, headers: outgoing, agent: false, setHost: false, timeout: ANSWER_TIMEOUT_MS }, (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        if (contentType.startsWith('text/event-stream')) {
          req.destroy();
          return resolve({ status: res.statusCode ?? 0, contentType, body: '' });
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A server that refuses a request before reading a body past its limit may close the connection
        // while the body is still being sent; the reset then loses its answer. That is a refusal, not a fault.
        if (body !== null && body.length > LARGE_BODY && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) resolve({ status: CLOSED_UNREAD, contentType: '', body: '' });
        else reject(error);
      });
      if (body !== null && chunked) {
        const half = Math.floor(body.length / 2);
        req.write(body.slice(0, half));
        req.end(body.slice(half));
      } else req.end(body ?? undefined);
    });
  }
}

/** A 409 from a gate: the answer names the gate's message (src/state/control.service.ts setScenarioState). */
function heldByGate(answer: Answer): boolean {
  if (answer.status !== 409) return false;
  try {
    return typeof (JSON.parse(answer.body) as { gateMessage?: unknown }).gateMessage === 'string';
  } catch {
    return false;
  }
}

/** Parameterless GETs whose path takes a PUT or has a DELETE under it: what the API lets a client change. */
export function stateViews(document: OpenApiDocument): string[] {
  const paths = Object.keys(document.paths);
  return paths.filter((path) => {
    const item = document.paths[path];
    if (!item.get || path.includes('{')) return false;
    return Boolean(item.put) || paths.some((other) => other.startsWith(`${path}/{`) && /^\{[^/]+\}$/.test(other.slice(path.length + 1)) && document.paths[other].delete);
  });
}

/** The list a collection view answers (`{presets: [...]}`), or nothing for a singleton. */
function listOf(view: unknown): unknown[] {
  if (Array.isArray(view)) return view;
  if (view && typeof view === 'object') return (Object.values(view).find(Array.isArray) as unknown[] | undefined) ?? [];
  return [];
}

function keyOf(item: unknown): string {
  if (!item || typeof item !== 'object') return '';
  const record = item as Record<string, unknown>;
  return typeof record.id === 'string' ? record.id : typeof record.name === 'string' ? record.name : '';
}

/** The fleet's states only (the calls counted are compared around refused requests, not against the start). */
function statesOf(fleet: unknown): unknown {
  return Array.isArray(fleet) ? fleet.map((entry) => (entry && typeof entry === 'object' ? (entry as { state?: unknown }).state : entry)) : fleet;
}

/** Which parts of two states differ, briefly. */
function difference(before: string, after: string): string {
  const a = JSON.parse(before) as { views: Record<string, unknown>; fleet: unknown };
  const b = JSON.parse(after) as { views: Record<string, unknown>; fleet: unknown };
  const changed = Object.keys({ ...a.views, ...b.views }).filter((view) => JSON.stringify(a.views[view]) !== JSON.stringify(b.views[view]));
  const parts = changed.map((view) => `${view}: ${JSON.stringify(a.views[view]).slice(0, 200)} → ${JSON.stringify(b.views[view]).slice(0, 200)}`);
  if (JSON.stringify(a.fleet) !== JSON.stringify(b.fleet)) parts.push(`fleet: ${JSON.stringify(a.fleet)} → ${JSON.stringify(b.fleet)}`);
  return parts.join('; ');
}
