/**
 * The benchmark fleet from the parent's side: N demo scenarios split over a few processes (each shard
 * holds at most `scenariosPerShard`, so listeners plus keep-alive sockets stay far below `ulimit -n`),
 * their service.json files for discovery, and the queries the suites time convergence with.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildServiceJson, type FleetScenario, type FleetScenarioSpec } from '../../examples/demo-scenario/fleet';
import type { ShardSummary } from '../fleet-process';
import { forkNode, IpcPeer, sleep, stopChild, type Child } from './proc';

/** How to build a fleet. */
export interface FleetSpec {
  n: number;
  delayMs: number;
  failRate: number;
  /** Every scenario whose index is a multiple of round(1 / share) is tagged `security` (the window's preset). */
  securityShare: number;
  scenariosPerShard: number;
}

/** A running fleet of shard processes plus its scenarios directory. */
export interface BenchFleet {
  readonly scenarios: readonly FleetScenario[];
  /** The scenarios directory the orchestrator discovers them from. */
  readonly dir: string;
  /** Ids tagged `security`. */
  readonly securityIds: readonly string[];
  /** How many scenarios report active now (cheap: no history copies). */
  activeCount(): Promise<number>;
  /** Polls until `check(activeCount)` holds; rejects after `timeoutMs`. */
  waitActive(check: (active: number) => boolean, timeoutMs: number, what: string): Promise<void>;
  /** The scenarios' own instant of the latest change to `state` at or after `since` (epoch ms). */
  lastChange(state: 'active' | 'inactive', since: number): Promise<{ at: number | null; changes: number }>;
  /** The scenarios' own instant of the earliest change to `state` at or after `since`. */
  firstChange(state: 'active' | 'inactive', since: number): Promise<{ at: number | null; count: number }>;
  /** Up to 5 scenarios per shard not in `state`, with counters and history (diagnostics). */
  stragglers(state: 'active' | 'inactive'): Promise<Record<string, unknown>[]>;
  configure(patch: { delayMs?: number; failRate?: number }): Promise<void>;
  /** Scenarios that went active again after going inactive at or after `since` (epoch ms). */
  reactivated(since: number): Promise<number>;
  /** State POSTs received and activation leases that ran out, summed over the fleet. */
  leaseCounters(): Promise<{ posts: number; expiredLeases: number }>;
  stop(): Promise<void>;
}

const POLL_MS = 10;
/** Above this, port-0 binding costs seconds (README of examples/): use fixed ports below the ephemeral range. */
const FIXED_PORTS_ABOVE = 500;
/**
 * Where large fleets listen: below the kernel's ephemeral range and outside the port ranges real Vrooli
 * scenarios declare (API 15000-19999, 21600-21899, 25000-29999, UI 35000-39999; data-backup-manager has
 * 15010 fixed). An orchestrator running against the real fixtures on the same machine (a test, a demo)
 * would otherwise drive a bench scenario that happens to sit on one of those ports.
 */
const PORT_WINDOWS: readonly [number, number][] = [[12_000, 14_999], [20_000, 21_599], [22_000, 24_999], [30_000, 32_767]];

/** `bench-00001`...; `security` on a share of them, `demo` on all. */
export function benchSpecs(n: number, securityShare: number, delayMs: number, failRate: number): FleetScenarioSpec[] {
  const every = Math.max(1, Math.round(1 / securityShare));
  return Array.from({ length: n }, (_, index) => ({
    id: `bench-${String(index + 1).padStart(5, '0')}`,
    delayMs,
    failRate,
    historyLimit: 8,
    service: { tags: index % every === 0 ? ['demo', 'security'] : ['demo'] },
  }));
}

/** Starts the shards, writes the scenarios directory, and returns the handle. */
export async function startBenchFleet(spec: FleetSpec): Promise<BenchFleet> {
  const specs = benchSpecs(spec.n, spec.securityShare, spec.delayMs, spec.failRate);
  if (spec.n > FIXED_PORTS_ABOVE) fleetPorts(spec.n).forEach((port, index) => (specs[index].port = port));
  const shardCount = Math.max(1, Math.ceil(spec.n / spec.scenariosPerShard));
  const size = Math.ceil(spec.n / shardCount);
  const shards: { child: Child; peer: IpcPeer }[] = [];
  const scenarios: FleetScenario[] = [];
  try {
    for (let offset = 0; offset < spec.n; offset += size) {
      const child = forkNode(path.join(__dirname, '..', 'fleet-process.js'));
      const peer = new IpcPeer(child);
      shards.push({ child, peer });
      const reply = await peer.request<{ scenarios: FleetScenario[] }>({ type: 'start', specs: specs.slice(offset, offset + size) });
      scenarios.push(...reply.scenarios);
    }
  } catch (error) {
    await Promise.all(shards.map(({ child }) => stopChild(child, 'SIGKILL')));
    throw error;
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'mo-bench-fleet-'));
  await writeScenariosDir(dir, scenarios);
  return handle(shards, scenarios, dir, specs);
}

function handle(shards: { child: Child; peer: IpcPeer }[], scenarios: FleetScenario[], dir: string, specs: FleetScenarioSpec[]): BenchFleet {
  const ask = <T>(message: Record<string, unknown>) => Promise.all(shards.map(({ peer }) => peer.request<T>(message)));
  const activeCount = async () => (await ask<ShardSummary>({ type: 'summary' })).reduce((sum, shard) => sum + shard.active, 0);
  return {
    scenarios,
    dir,
    securityIds: specs.filter((s) => s.service?.tags?.includes('security')).map((s) => s.id),
    activeCount,
    async waitActive(check, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const active = await activeCount();
        if (check(active)) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (active now: ${active})`);
        await sleep(POLL_MS);
      }
    },
    async lastChange(state, since) {
      const all = await ask<{ at: number | null; changes: number }>({ type: 'lastChange', state, since });
      return { at: maxOrNull(all.map((s) => s.at)), changes: all.reduce((sum, s) => sum + s.changes, 0) };
    },
    async firstChange(state, since) {
      const all = await ask<{ at: number | null; count: number }>({ type: 'firstChange', state, since });
      const times = all.map((s) => s.at).filter((at): at is number => at !== null);
      return { at: times.length ? Math.min(...times) : null, count: all.reduce((sum, s) => sum + s.count, 0) };
    },
    async stragglers(state) {
      return (await ask<{ stragglers: Record<string, unknown>[] }>({ type: 'stragglers', state })).flatMap((shard) => shard.stragglers);
    },
    async reactivated(since) {
      return (await ask<{ count: number }>({ type: 'reactivated', since })).reduce((sum, shard) => sum + shard.count, 0);
    },
    async leaseCounters() {
      const all = await ask<{ posts: number; expiredLeases: number }>({ type: 'leaseCounters' });
      return { posts: all.reduce((sum, s) => sum + s.posts, 0), expiredLeases: all.reduce((sum, s) => sum + s.expiredLeases, 0) };
    },
    async configure(patch) {
      await ask({ type: 'configure', patch });
    },
    async stop() {
      await Promise.all(shards.map(({ peer, child }) => peer.request({ type: 'stop' }).catch(() => undefined).then(() => stopChild(child, 'SIGTERM', 5000))));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The same files as examples' `writeFleetDir` (its `buildServiceJson`), written 64 at a time: the
 * sequential writer takes seconds for 10,000 folders, which would only lengthen the run.
 */
export async function writeScenariosDir(dir: string, scenarios: readonly FleetScenario[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const scenario = scenarios[next++];
      const folder = path.join(dir, scenario.id, '.vrooli');
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, 'service.json'), `${JSON.stringify(buildServiceJson(scenario), null, 2)}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(64, scenarios.length) }, worker));
}

/** Scenario descriptors for `n` folders without running servers (the scan figure needs files only). */
export function paperScenarios(n: number, basePort: number): FleetScenario[] {
  return benchSpecs(n, 0.01, 0, 0).map((spec, index) => ({
    id: spec.id, port: basePort + index, url: `http://127.0.0.1:${basePort + index}`, stateEndpoint: '/api/maintenance/state', legacyOnly: false, service: spec.service ?? {},
  }));
}

function maxOrNull(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length ? Math.max(...present) : null;
}

/** `n` free ports from PORT_WINDOWS, below the ephemeral range, skipping ports something listens on now. */
export function fleetPorts(n: number): number[] {
  const ephemeralLow = Number(readProc('/proc/sys/net/ipv4/ip_local_port_range').trim().split(/\s+/)[0]) || 32_768;
  const busy = listeningPorts();
  const ports: number[] = [];
  for (const [low, high] of PORT_WINDOWS) {
    for (let port = low; port <= Math.min(high, ephemeralLow - 1) && ports.length < n; port++) if (!busy.has(port)) ports.push(port);
  }
  if (ports.length < n) throw new Error(`only ${ports.length} free ports for a fleet of ${n} in ${PORT_WINDOWS.map(([a, b]) => `${a}-${b}`).join(', ')} below ${ephemeralLow}`);
  return ports;
}

/** Ports in LISTEN state on this machine, from /proc/net/tcp and tcp6 (empty off Linux). */
function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readProc(file).split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local) ports.add(parseInt(local.split(':').pop() ?? '', 16));
    }
  }
  return ports;
}

function readProc(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
