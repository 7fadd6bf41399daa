/**
 * The convergence baseline: a plain Node client, in its own process, that sends the same state POSTs the
 * orchestrator sends (same body, same headers, same keep-alive agent settings, the same concurrency as
 * MAX_IN_FLIGHT) and reads each JSON answer. Nothing else: no planning, no gates, no bookkeeping. A failed
 * call is retried at once, which is the physical limit (the orchestrator backs off instead).
 */
import * as http from 'node:http';
import { serveIpc } from '../support/proc';

/** One state route to call. */
export interface StateTarget {
  url: string;
}

// The same settings as the orchestrator's HttpScenarioClient (src/reconciler/scenario-client.ts), so that
// connection reuse and socket counts are equal on both sides of the comparison.
const agent = new http.Agent({ keepAlive: true, maxSockets: 4, maxFreeSockets: 2, timeout: 30_000 });
const TIMEOUT_MS = 30_000;

function post(url: string, body: string): Promise<boolean> {
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
        try {
          JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          // the answer is read as the orchestrator reads it; its content does not change the outcome
        }
        resolve((response.statusCode ?? 0) >= 200 && (response.statusCode ?? 0) < 300);
      });
      response.on('error', () => resolve(false));
    });
    request.end(body);
  });
}

/** Sends `state` to every target with `concurrency` calls in flight; retries failures until each succeeded. */
async function run(targets: StateTarget[], state: 'active' | 'inactive', concurrency: number): Promise<Record<string, unknown>> {
  const body = JSON.stringify({ maintenanceState: state, state });
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
  return { ms: Date.now() - started, calls: targets.length, retries };
}

serveIpc(async (message) => {
  if (message.type === 'run') return run(message.targets as StateTarget[], message.state as 'active' | 'inactive', message.concurrency as number);
  if (message.type === 'close') {
    agent.destroy();
    setImmediate(() => process.exit(0));
    return {};
  }
  throw new Error(`unknown message ${message.type}`);
});
