/**
 * Process entry: `node dist/src/main.js [--demo]`, and the entry of the server bundle that dist/src/launch.js
 * (what `npm start` runs) loads. `npm start` passes --demo, which also serves the demo fleet of
 * examples/fleet in this process so the dashboard shows live scenarios at once.
 */
import * as path from 'node:path';
import { describeHttpServer } from './api/express-adapter';
import { ConfigError, loadProcessConfig, packageRoot, type ConfigOverrides } from './config/config';
import { hasServerNodeFlags, SERVER_NODE_FLAGS } from './config/node-flags';

// The bundle's callers (launch.ts, the CLI's serve) test errors against the bundle's own class.
export { ConfigError };
import { startServer, type RunningServer } from './server';

/** Options of a serve run, from the CLI or argv. */
export interface ServeOptions {
  demo?: boolean;
  overrides?: ConfigOverrides;
  /** Where start-up lines go. */
  print?: (line: string) => void;
}

/** Starts the orchestrator (and the demo fleet when asked) and prints the start-up lines. */
export async function serve(options: ServeOptions = {}): Promise<{ server: RunningServer; stop: () => Promise<void> }> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const fleetDir = path.join(packageRoot(), 'examples', 'fleet');
  // The demo serves its own fleet unless a flag or the environment names another scenarios folder.
  const config = loadProcessConfig(options.overrides, options.demo ? { SCENARIOS_DIR: fleetDir } : {});
  let stopFleet: () => Promise<void> = async () => undefined;
  if (options.demo && config.scenariosDir === fleetDir) {
    // Loaded lazily: the demo is not part of a production start.
    const { startFleetFromDir } = await import('../examples/demo-scenario/main');
    const fleet = await startFleetFromDir(fleetDir);
    stopFleet = () => fleet.stop();
    const ports = fleet.scenarios.map((scenario) => scenario.port);
    print(`demo fleet:                    ${ports.length} scenarios on ports ${Math.min(...ports)}-${Math.max(...ports)}`);
  }
  const server = await startServer(config);
  const found = server.orchestrator.registry.list().length;
  print(`maintenance-orchestrator API:  ${server.url}/api/v1`);
  print(`dashboard:                     ${server.url}/`);
  print(`scenarios directory:           ${config.scenariosDir}`);
  print(`scenarios found:               ${found} (all driven inactive)`);
  print(`HTTP server:                   ${describeHttpServer(server.app)}`);
  const without = hasServerNodeFlags(process.execArgv) ? '' : ` (not the server's ${SERVER_NODE_FLAGS.join(' ')}: README, Configuration)`;
  print(`node flags:                    ${process.execArgv.join(' ') || 'none'}${without}`);
  const stop = async () => {
    await server.close();
    await stopFleet();
  };
  return { server, stop };
}

/** Runs the process: serve, print the addresses, stop on SIGINT/SIGTERM; a bad setting exits 2. */
export async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  try {
    const { server } = await serve({ demo });
    // Nest's shutdown hooks on a signal: writes refused, loop stopped, activity flushed, store closed, exit 0
    // (the demo fleet lives in this process and goes with it).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.stdout.write(`${signal}: stopping\n`));
    server.app.enableShutdownHooks(['SIGINT', 'SIGTERM'], { useProcessExit: true });
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? 'configuration error' : 'start-up failed'}: ${(error as Error).message}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
}

if (require.main === module) void main();
