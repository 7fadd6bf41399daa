/**
 * Runnable demo fleet: `node dist/examples/demo-scenario/main.js --fleet examples/fleet`.
 * Serves every maintenance scenario of a fleet directory on the port its service.json declares, so an
 * orchestrator pointed at the same directory (`--scenarios-dir examples/fleet`) has something real to drive.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Fleet, type FleetOptions, type FleetScenarioSpec, startFleet } from './fleet';
import { readFleetDir, type SkippedFolder } from './fleet-dir';
import type { MaintenanceState } from './wire';

/** Changes applied to every scenario read from a fleet directory. */
export interface FleetDirOverrides extends FleetOptions {
  delayMs?: number;
  failRate?: number;
  silent?: boolean;
  initialState?: MaintenanceState;
  /** Ids started with their port closed (Unreachable). */
  down?: string[];
  /** Per-id options, applied last (e.g. `{ 'backup-manager': { legacyOnly: true } }`). */
  perScenario?: Record<string, Partial<Omit<FleetScenarioSpec, 'id'>>>;
  /** Called for each folder that could not be served; the default ignores them. */
  onSkipped?: (skipped: SkippedFolder) => void;
}

/** Starts the fleet a directory describes; used by the demo entry and in-process by `npm start`. */
export async function startFleetFromDir(dir: string, overrides: FleetDirOverrides = {}): Promise<Fleet> {
  const { specs, skipped } = await readFleetDir(dir);
  skipped.forEach((folder) => overrides.onSkipped?.(folder));
  const known = new Set(specs.map((spec) => spec.id));
  const unknown = [...(overrides.down ?? []), ...Object.keys(overrides.perScenario ?? {})].filter((id) => !known.has(id));
  if (unknown.length > 0) throw new Error(`unknown scenario id(s) in overrides: ${unknown.join(', ')}`);
  const down = new Set(overrides.down ?? []);
  const tuned = specs.map((spec): FleetScenarioSpec => ({
    ...spec,
    ...definedOnly({
      delayMs: overrides.delayMs,
      failRate: overrides.failRate,
      silent: overrides.silent,
      initialState: overrides.initialState,
    }),
    down: down.has(spec.id),
    ...overrides.perScenario?.[spec.id],
  }));
  return startFleet(tuned, { host: overrides.host, basePort: overrides.basePort, concurrency: overrides.concurrency });
}

/** Parsed command line of the demo entry. */
export interface DemoArgs {
  fleetDir: string;
  overrides: FleetDirOverrides;
}

/** Parses `--fleet DIR [--delay-ms N] [--fail-rate F] [--down id,id] [--initial-state S] [--silent]`; throws on bad input. */
export function parseDemoArgs(argv: string[]): DemoArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      fleet: { type: 'string', default: 'examples/fleet' },
      'delay-ms': { type: 'string' },
      'fail-rate': { type: 'string' },
      down: { type: 'string' },
      'initial-state': { type: 'string' },
      silent: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help === true) return 'help';
  const overrides: FleetDirOverrides = {};
  if (values['delay-ms'] !== undefined) overrides.delayMs = numberFlag('--delay-ms', values['delay-ms'], Infinity);
  if (values['fail-rate'] !== undefined) overrides.failRate = numberFlag('--fail-rate', values['fail-rate'], 1);
  if (values.down !== undefined) overrides.down = values.down.split(',').map((id) => id.trim()).filter(Boolean);
  const initial = values['initial-state'];
  if (initial !== undefined) {
    if (initial !== 'active' && initial !== 'inactive') throw new Error('--initial-state must be active or inactive');
    overrides.initialState = initial;
  }
  if (values.silent === true) overrides.silent = true;
  return { fleetDir: resolve(values.fleet ?? 'examples/fleet'), overrides };
}

/** One line per scenario, aligned, for people watching the demo terminal. */
export function describeFleet(fleet: Fleet): string[] {
  const width = Math.max(0, ...fleet.scenarios.map((scenario) => scenario.id.length));
  return fleet.scenarios.map((scenario) => {
    const server = fleet.server(scenario.id);
    const status = server.isDown ? 'DOWN' : server.state;
    return `${scenario.id.padEnd(width)}  ${scenario.url}${scenario.stateEndpoint}  ${status}`;
  });
}

const USAGE = `Usage: node dist/examples/demo-scenario/main.js [--fleet DIR] [--delay-ms N] [--fail-rate F]
       [--down id,id] [--initial-state active|inactive] [--silent]
Serves each maintenance scenario under DIR (default examples/fleet) on its ports.api.port.`;

function numberFlag(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > max) {
    throw new Error(`${name} must be a number between 0 and ${max}, got "${raw}"`);
  }
  return value;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

async function main(argv: string[]): Promise<void> {
  let args: DemoArgs | 'help';
  try {
    args = parseDemoArgs(argv);
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const fleet = await startFleetFromDir(args.fleetDir, {
    ...args.overrides,
    onSkipped: ({ id, reason }) => process.stderr.write(`skipped ${id}: ${reason}\n`),
  });
  const down = fleet.scenarios.filter((scenario) => fleet.server(scenario.id).isDown).length;
  const summary = `${fleet.scenarios.length - down} scenarios up, ${down} down; Ctrl-C to stop`;
  process.stdout.write(`${describeFleet(fleet).join('\n')}\n${summary}\n`);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    // A second signal means the operator wants out now, even if a close is stuck.
    if (stopping) process.exit(130);
    stopping = true;
    process.stdout.write(`${signal}: stopping ${fleet.scenarios.length} scenarios\n`);
    void fleet.stop().then(() => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
