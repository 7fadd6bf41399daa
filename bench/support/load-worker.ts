/**
 * The HTTP load generator, in its own process so it never shares an event loop with what it measures.
 * `builtin`: `connections` keep-alive loops, each sending the next request as soon as the previous answer
 * ended (closed loop, like autocannon's default). `autocannon`: the same through autocannon, when installed.
 */
import * as http from 'node:http';
import { serveIpc } from './proc';
import { summarize, type Summary } from './stats';

/** One load run. */
export interface LoadSpec {
  /** Base URL, e.g. http://127.0.0.1:3250. */
  origin: string;
  /** Paths used in rotation (one per request), e.g. many scenario ids. */
  paths: string[];
  connections: number;
  durationMs: number;
  warmupMs: number;
  loader: 'builtin' | 'autocannon';
  /** Sent with every request (e.g. `authorization: Bearer ...` for the auth-on figures). */
  headers?: Record<string, string>;
}

/** What a run measured (latencies in ms). */
export interface LoadResult {
  requests: number;
  rps: number;
  non2xx: number;
  errors: number;
  latency: Summary;
  loader: string;
}

async function builtin(spec: LoadSpec, durationMs: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let next = 0;
  const deadline = Date.now() + durationMs;
  const once = (requestPath: string) =>
    new Promise<void>((resolve) => {
      const started = process.hrtime.bigint();
      const req = http.get(`${spec.origin}${requestPath}`, { agent, headers: spec.headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
        res.on('error', () => (errors++, resolve()));
      });
      req.on('error', () => (errors++, resolve()));
    });
  const loop = async () => {
    while (Date.now() < deadline) await once(spec.paths[next++ % spec.paths.length]);
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: spec.connections }, loop));
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  return { requests: latencies.length, rps: latencies.length / elapsed, non2xx, errors, latency: summarize(latencies), loader: 'builtin' };
}

/** autocannon's result, as far as it is read here. */
interface CannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p99: number; max: number; min: number; mean: number };
  non2xx: number;
  errors: number;
  duration: number;
}

async function cannon(spec: LoadSpec, durationMs: number): Promise<LoadResult> {
  // Loaded only when asked for: autocannon is an optional devDependency of the benchmark.
  const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<CannonResult>;
  let next = 0;
  const result = await autocannon({
    url: spec.origin,
    connections: spec.connections,
    duration: durationMs / 1000,
    headers: spec.headers ?? {},
    requests: [{ method: 'GET', setupRequest: (request: Record<string, unknown>) => ({ ...request, path: spec.paths[next++ % spec.paths.length] }) }],
  });
  const { latency } = result;
  return {
    requests: result.requests.total,
    rps: result.requests.total / result.duration,
    non2xx: result.non2xx,
    errors: result.errors,
    latency: { n: result.requests.total, min: latency.min, p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max, mean: latency.mean },
    loader: 'autocannon',
  };
}

serveIpc(async (message) => {
  if (message.type !== 'run') throw new Error(`unknown message ${message.type}`);
  const spec = message.spec as LoadSpec;
  const run = spec.loader === 'autocannon' ? cannon : builtin;
  if (spec.warmupMs > 0) await run(spec, spec.warmupMs);
  return { result: await run(spec, spec.durationMs) };
});
