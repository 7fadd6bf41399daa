/**
 * A scenario whose port is not in any service.json, built on the SDK: it listens on a port of its own choice,
 * registers with the orchestrator and keeps the registration alive by heartbeat.
 * `node dist/examples/registered-scenario/main.js --id log-shipper --orchestrator http://127.0.0.1:3250`
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { MaintenanceSwitch, RegistrationClient, createNodeHandler, type RegistrationOutcome } from '../../sdk/src';

/** How to start the registered scenario. */
export interface RegisteredScenarioOptions {
  id: string;
  orchestratorUrl: string;
  /** 0 (default) lets the OS pick, which is the point: nobody could have written it down. */
  port?: number;
  ttlSeconds?: number;
  token?: string;
  /** Told about each start and stop of the (pretend) maintenance work. */
  onWork?: (event: 'start' | 'stop' | 'expired') => void;
}

/** A running registered scenario. */
export interface RegisteredScenario {
  url: string;
  maintenance: MaintenanceSwitch;
  registration: RegistrationClient;
  /** The first registration's outcome. */
  registered: RegistrationOutcome;
  /** Unregisters, then closes the port. */
  stop(): Promise<void>;
}

/** Starts the server, then registers its address with the orchestrator. */
export async function startRegisteredScenario(options: RegisteredScenarioOptions): Promise<RegisteredScenario> {
  const maintenance = new MaintenanceSwitch({
    onActivate: () => options.onWork?.('start'),
    onDeactivate: () => options.onWork?.('stop'),
    onExpire: () => options.onWork?.('expired'),
  });
  const handle = createNodeHandler(maintenance);
  const server: Server = createServer((req, res) => {
    if (handle(req, res)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const registration = new RegistrationClient({
    orchestratorUrl: options.orchestratorUrl,
    id: options.id,
    endpoint: url,
    ttlSeconds: options.ttlSeconds ?? 30,
    token: options.token,
    onError: (error) => process.stderr.write(`${options.id}: ${error.message}\n`),
  });
  const registered = await registration.start();
  return {
    url,
    maintenance,
    registration,
    registered,
    async stop() {
      await registration.stop();
      maintenance.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { id: { type: 'string', default: 'registered-demo' }, orchestrator: { type: 'string', default: 'http://127.0.0.1:3250' }, ttl: { type: 'string', default: '30' } },
    strict: true,
  });
  const scenario = await startRegisteredScenario({
    id: values.id ?? 'registered-demo',
    orchestratorUrl: values.orchestrator ?? 'http://127.0.0.1:3250',
    ttlSeconds: Number(values.ttl),
    token: process.env.MAINTENANCE_TOKEN,
    onWork: (event) => process.stdout.write(`maintenance work: ${event}\n`),
  });
  process.stdout.write(`${values.id} on ${scenario.url}, registered: ${JSON.stringify(scenario.registered)}\n`);
  const shutdown = (): void => void scenario.stop();
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
