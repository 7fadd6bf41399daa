/**
 * The product as an operator runs it: `node <the server's V8 flags> dist/src/launch.js` (what `npm start` runs) in its own process, configured through its
 * environment, with a policy that takes the gates out of the way (the figures measure the machinery, not
 * the safety rules) and timers long enough that no resync or rescan lands inside a measurement.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../src/config/node-flags';
import { repoRoot } from './args';
import { request, requestOk } from './http';
import { residentMemory, sleep, spawnNode, stopChild, type Child } from './proc';

/** A running orchestrator child. */
export interface OrchestratorChild {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** `${url}/api/v1`. */
  api: string;
  pid: number;
  /** From spawn to the API line on stdout (the process is listening and its first pass is dispatched). */
  readyMs: number;
  child: Child;
  /** When the last action on every scenario finished (start-up pass, apply, stop-all): idle sockets time out 30 s later. */
  lastMassActionAt: number;
  memory(): { peakMb: number; currentMb: number } | null;
  /** SIGTERM (so --cpu-prof profiles are written), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** What a child needs besides the defaults. */
export interface OrchestratorChildOptions {
  scenariosDir: string;
  /** A fresh DATA_DIR (unless `dataDir` is given) and the policy file are created under it. */
  workDir: string;
  /** DATA_DIR to use instead of a fresh one: a restart finds the store file of an earlier start there. */
  dataDir?: string;
  maxInFlight: number;
  profileDir: string | null;
  /** Sample allocations into this folder (support/heap-sampler.ts, preloaded). */
  heapProfileDir?: string | null;
  /** Record memory over time into this folder (support/memory-trace.ts, preloaded). */
  memoryTraceDir?: string | null;
  env?: Record<string, string>;
}

/** Gates out of the way: no heavy limit, no host pressure, no confirmation for bulk changes. */
export const BENCH_POLICY = `apiVersion: maintenance/v1
kind: Policy
metadata:
  name: bench
spec:
  maxActive: null
  maxHeavy: null
  conflicts: []
  resourceLimits:
    cpuLoadPercent: 1000
    memoryPercent: 100
  cooldownSeconds: 0
  bulkConfirmThreshold: 1000000
  defaultTimeoutMinutes: null
`;

/** The environment of a benchmark orchestrator (also used in-process by the window suite). */
export function benchEnv(options: { scenariosDir: string; dataDir: string; policyFile: string; maxInFlight: number }): Record<string, string> {
  return {
    MAINTENANCE_PORT: '0',
    SCENARIOS_DIR: options.scenariosDir,
    DATA_DIR: options.dataDir,
    POLICY_FILE: options.policyFile,
    LOG_LEVEL: 'silent',
    MAX_IN_FLIGHT: String(options.maxInFlight),
    // No periodic resync or rescan inside a measurement: they would add 10,000 GETs or a folder scan at a
    // random moment. Start-up, user changes and action results still drive every pass, as in production.
    RESYNC_INTERVAL: '1h',
    DISCOVERY_INTERVAL: '1h',
    // The bench is one actor writing as fast as a script can (the explain suite's 50 schedules, then the
    // notify suite's cycles, on one orchestrator): the per-actor rate limit would refuse it (429) midway.
    RATE_LIMIT: '1000000/min',
  };
}

/** Writes the bench policy into `dir` and returns its path. */
export async function writeBenchPolicy(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'bench-policy.yaml');
  await writeFile(file, BENCH_POLICY);
  return file;
}

const API_LINE = /maintenance-orchestrator API:\s+(http:\/\/\S+)\/api\/v1/;

/** Spawns the orchestrator and waits for its API line. */
export async function startOrchestratorChild(options: OrchestratorChildOptions): Promise<OrchestratorChild> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(options.workDir, 'data-')));
  const policyFile = await writeBenchPolicy(options.workDir);
  const env: Record<string, string> = { ...benchEnv({ scenariosDir: options.scenariosDir, dataDir, policyFile, maxInFlight: options.maxInFlight }), ...options.env };
  const execArgv = [...SERVER_NODE_FLAGS, ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [])];
  if (options.heapProfileDir) {
    execArgv.push('--require', path.join(__dirname, 'heap-sampler.js'));
    env.BENCH_HEAP_PROFILE_DIR = options.heapProfileDir;
    if (process.env.BENCH_HEAP_PROFILE_YOUNG) env.BENCH_HEAP_PROFILE_YOUNG = process.env.BENCH_HEAP_PROFILE_YOUNG;
  }
  if (options.memoryTraceDir) {
    execArgv.push('--require', path.join(__dirname, 'memory-trace.js'));
    env.BENCH_MEMORY_TRACE_DIR = options.memoryTraceDir;
  }
  const started = process.hrtime.bigint();
  const child = spawnNode(path.join(repoRoot(), 'dist', 'src', 'launch.js'), [], env, execArgv);
  let url: string;
  try {
    url = (await child.waitFor(API_LINE, 120_000))[1];
  } catch (error) {
    await stopChild(child, 'SIGKILL');
    throw error;
  }
  const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
  const pid = child.process.pid as number;
  return { url, api: `${url}/api/v1`, pid, readyMs, child, lastMassActionAt: Date.now(), memory: () => residentMemory(pid), stop: () => stopChild(child, 'SIGTERM', 30_000) };
}

/** Waits until no scenario is Progressing (the start-up deactivations, or any change, have settled). */
export async function waitSettled(api: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await requestOk(`${api}/scenarios?state=progressing&limit=1`);
    if ((reply.body as { total: number }).total === 0) return;
    if (Date.now() > deadline) throw new Error(`the orchestrator did not settle within ${timeoutMs} ms (${(reply.body as { total: number }).total} progressing)`);
    await sleep(50);
  }
}

/** POSTs an intent; resolves with the reply (any status) so callers can time and report it. */
export function postIntent(api: string, route: string, body: unknown = {}): ReturnType<typeof request> {
  return request(`${api}${route}`, { method: 'POST', body, timeoutMs: 600_000 });
}

/** A fresh working directory for one suite's orchestrator data and policy. */
export function workDir(root: string, name: string): Promise<string> {
  return mkdir(root, { recursive: true }).then(() => mkdtemp(path.join(root, `${name}-`)));
}
