/**
 * Many demo scenarios in one process, each on its own loopback port, for the demo, the e2e tests and
 * the benchmarks. Sized for 10,000 scenarios, with two limits to mind (measured on Linux, see README):
 * - descriptors: one listener per scenario plus one per open keep-alive connection, so `ulimit -n`
 *   must exceed 2 x scenarios (3 x when the orchestrator's client shares the process); past the limit
 *   the kernel refuses accepts and clients see resets;
 * - ports: binding thousands of port-0 listeners is slow (the kernel searches its ephemeral range, 15 s
 *   for 10,000) and eats the ports outgoing connections need; give `basePort` below that range (e.g.
 *   12000 on Linux, whose range starts at 32768) and 10,000 start in under half a second.
 */
import { type ScenarioServer, type ScenarioServerOptions, type ScenarioStats, startScenarioServer } from './scenario-server';
import type { MaintenanceState, ScenarioConfigPatch } from './wire';

/** Qualitative resource levels, as real service.json files write them. */
export type ResourceLevel = 'low' | 'medium' | 'high';

/** What `writeFleetDir` puts in a scenario's service.json besides its id and port. */
export interface ServiceMeta {
  displayName?: string;
  description?: string;
  /** Tags besides `maintenance`, which is always added. */
  tags?: string[];
  weight?: 'light' | 'heavy';
  /** The alternative to `weight`; `high` cpu or memory means heavy. */
  resourceUsage?: { cpu?: ResourceLevel; memory?: ResourceLevel; disk?: ResourceLevel };
  conflictsWith?: string[];
  canDeactivate?: boolean;
}

/** One scenario of a fleet: server options plus the metadata written to its service.json. */
export interface FleetScenarioSpec extends ScenarioServerOptions {
  service?: ServiceMeta;
}

/** Options for the whole fleet. */
export interface FleetOptions {
  /** Interface for every scenario without its own `host`. */
  host?: string;
  /** Scenario i (0-based) without a fixed port gets `basePort + i`; without it the OS picks free ports. */
  basePort?: number;
  /** Listeners opened at once; bounded so 10,000 starts do not spike memory. */
  concurrency?: number;
  /** Keep-alive idle timeout for every scenario without its own. */
  keepAliveTimeoutMs?: number;
}

/** Where a fleet scenario lives. */
export interface FleetScenario {
  id: string;
  port: number;
  /** Base URL, as discovery would resolve it. */
  url: string;
  /** Route the state is served on. */
  stateEndpoint: string;
  legacyOnly: boolean;
  service: ServiceMeta;
}

/** A running fleet. Unknown ids throw, since a typo in a test should fail loudly. */
export interface Fleet {
  /** Every scenario, in the order given. */
  readonly scenarios: readonly FleetScenario[];
  /** The server behind one scenario, for knobs the fleet does not wrap. */
  server(id: string): ScenarioServer;
  /** Current state of one scenario. */
  stateOf(id: string): MaintenanceState;
  /** Counters and history of one scenario. */
  stats(id: string): ScenarioStats;
  /** Closes (true) or reopens (false) one scenario's port; the port number stays the same. */
  setDown(id: string, down: boolean): Promise<void>;
  /** Sets the delay added to each wire request of one scenario. */
  setDelay(id: string, ms: number): void;
  /** Changes any behaviour knob, or the state, of one scenario. */
  configure(id: string, patch: ScenarioConfigPatch): void;
  /** Closes every scenario; safe to call twice. */
  stop(): Promise<void>;
}

const DEFAULT_CONCURRENCY = 256;

/** Starts every scenario; if one cannot start (port taken), stops the others and rejects naming it. */
export async function startFleet(specs: FleetScenarioSpec[], options: FleetOptions = {}): Promise<Fleet> {
  assertUniqueIds(specs);
  const servers: (ScenarioServer | undefined)[] = new Array(specs.length);
  const starts = specs.map((spec, index) => async () => {
    const port = spec.port ?? (options.basePort !== undefined ? options.basePort + index : 0);
    const keepAliveTimeoutMs = spec.keepAliveTimeoutMs ?? options.keepAliveTimeoutMs;
    servers[index] = await startScenarioServer({ ...spec, port, host: spec.host ?? options.host, keepAliveTimeoutMs });
  });
  try {
    await runBounded(starts, options.concurrency ?? DEFAULT_CONCURRENCY, specs);
  } catch (error: unknown) {
    await Promise.all(servers.map((server) => server?.stop()));
    throw error;
  }
  return buildFleet(specs, servers as ScenarioServer[], options);
}

function buildFleet(specs: FleetScenarioSpec[], servers: ScenarioServer[], options: FleetOptions): Fleet {
  const byId = new Map(servers.map((server) => [server.id, server]));
  const scenarios = specs.map((spec, index): FleetScenario => {
    const server = servers[index];
    const { id, port, url, stateEndpoint, legacyOnly } = server;
    return { id, port, url, stateEndpoint, legacyOnly, service: { ...spec.service } };
  });
  const get = (id: string): ScenarioServer => {
    const server = byId.get(id);
    if (server === undefined) throw new Error(`no scenario "${id}" in this fleet`);
    return server;
  };
  return {
    scenarios,
    server: get,
    stateOf: (id) => get(id).state,
    stats: (id) => get(id).stats(),
    setDown: (id, down) => get(id).setDown(down),
    setDelay: (id, ms) => void get(id).configure({ delayMs: ms }),
    configure: (id, patch) => void get(id).configure(patch),
    stop: async () => {
      await runBounded(servers.map((server) => () => server.stop()), options.concurrency ?? DEFAULT_CONCURRENCY);
    },
  };
}

function assertUniqueIds(specs: FleetScenarioSpec[]): void {
  const seen = new Set<string>();
  for (const { id } of specs) {
    if (seen.has(id)) throw new Error(`duplicate scenario id "${id}" in fleet`);
    seen.add(id);
  }
}

/** Runs tasks with at most `limit` in flight; the first failure rejects, naming the scenario when known. */
async function runBounded(tasks: (() => Promise<void>)[], limit: number, specs?: FleetScenarioSpec[]): Promise<void> {
  let next = 0;
  let failure: Error | null = null;
  const worker = async (): Promise<void> => {
    while (failure === null && next < tasks.length) {
      const index = next++;
      try {
        await tasks[index]();
      } catch (error: unknown) {
        const message = error instanceof Error ? error.message : String(error);
        failure ??= new Error(specs ? `scenario "${specs[index].id}" could not start: ${message}` : message);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  if (failure !== null) throw failure;
}

export { writeFleetDir, readFleetDir, buildServiceJson, mergePatch, type FleetDirExtra, type SkippedFolder } from './fleet-dir';
