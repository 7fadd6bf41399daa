/**
 * The convergence baseline: a plain client, in its own process, that sends the same state POSTs the
 * orchestrator sends (same body, same headers, the same concurrency as MAX_IN_FLIGHT) and reads each JSON
 * answer. Nothing else: no planning, no gates, no bookkeeping. A failed call is retried at once, which is
 * the physical limit (the orchestrator backs off instead).
 *
 * Two transports, chosen per run:
 * - `http1`, the figure's baseline: the orchestrator's own keep-alive HTTP/1.1 pools, one per scenario
 *   (src/reconciler/http1-pool.ts), so the ratio is what the orchestrator adds on top of its transport;
 * - `node-http`, for the record: node:http with one keep-alive agent, what a plain Node client would use.
 *   The orchestrator used node:http until session 3; its own pools make the same calls faster.
 */
import * as http from 'node:http';
import { http1Origin, http1Request, Http1Pool } from '../../src/reconciler/http1-pool';
import { serveIpc } from '../support/proc';

/** One state route to call. */
export interface StateTarget {
  url: string;
}

/** Which client sends the calls. */
export type BaselineTransport = 'http1' | 'node-http';

const TIMEOUT_MS = 30_000;

// node:http with the settings the orchestrator's agents had.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 2, timeout: 30_000 });

function postNodeHttp(url: string, body: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: 'POST',
      agent,
      timeout: TIMEOUT_MS,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json' },
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(false));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        readJson(Buffer.concat(chunks).toString('utf8'));
        resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300);
      });
      response.on('error', () => resolve(false));
    });
    request.end(body);
  });
}

// The orchestrator's transport: a pool per scenario, as HttpScenarioClient keeps them.
const pools = new Map<string, { pool: Http1Pool; path: string }>();

async function postHttp1(url: string, body: string): Promise<boolean> {
  let route = pools.get(url);
  if (!route) {
    const parsed = new URL(url);
    route = { pool: new Http1Pool(http1Origin(parsed)), path: parsed.pathname };
    pools.set(url, route);
  }
  try {
    const response = await route.pool.request(http1Request(route.pool.origin, 'POST', route.path, body), TIMEOUT_MS);
    readJson(response.body);
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}

/** The answer is read as the orchestrator reads it; its content does not change the outcome. */
function readJson(text: string): void {
  try {
    JSON.parse(text);
  } catch {
    // as above
  }
}

/** Sends `state` to every target with `concurrency` calls in flight; retries failures until each succeeded. */
async function run(targets: StateTarget[], state: 'active' | 'inactive', concurrency: number, transport: BaselineTransport): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ maintenanceState: state, state });
  const post = transport === 'http1' ? postHttp1 : postNodeHttp;
  let next = 0;
  let retries = 0;
  const started = Date.now();
  const worker = async () => {
    while (next < targets.length) {
      const { url } = targets[next++];
      while (!(await post(url, body))) retries++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return { ms: Date.now() - started, calls: targets.length, retries, transport };
}

serveIpc(async (message) => {
  if (message.type === 'run') return run(message.targets as StateTarget[], message.state as 'active' | 'inactive', message.concurrency as number, (message.transport as BaselineTransport) ?? 'http1');
  if (message.type === 'close') {
    agent.destroy();
    for (const { pool } of pools.values()) pool.close();
    setImmediate(() => process.exit(0));
    return {};
  }
  throw new Error(`unknown message ${message.type}`);
});
