/** `serve`: runs the orchestrator in this process (API, dashboard, reconciler), like `npm start`. */
import { Command, Flags, Interfaces, ux } from '@oclif/core';
import { CliFailure, EXIT, toFailure } from '../errors';
import { flagForVariable, serveOverrides, SERVE_BOOLEAN_FLAG_ENV, SERVE_FLAG_ENV, type ServeStringFlag } from '../serve-options';

const SUMMARIES: Record<ServeStringFlag, string> = {
  port: 'Port of the API and dashboard (default 3250; 0 picks a free one).',
  host: 'Interface to bind (default 127.0.0.1).',
  'scenarios-dir': 'Folder whose children hold .vrooli/service.json (default $VROOLI_ROOT/scenarios).',
  'vrooli-root': 'Vrooli checkout; scenarios default to its scenarios/ folder.',
  'discovery-interval': 'Rescan period, e.g. 60s, 2m (default 60s).',
  'resync-interval': 'Reconcile period, e.g. 15s (default 15s).',
  'activation-lease': 'Lease sent with every activation and renewed while active, e.g. 45s; 0 turns leases off (default 3 x the resync interval).',
  'default-timeout': 'TTL of every activation, in minutes or a duration (default disabled).',
  'break-glass-max-ttl': 'The longest TTL a break-glass activation may ask for (default 4h).',
  'calendar-url': 'Calendar feed (an .ics file or http URL) to take maintenance windows from.',
  'calendar-refresh': 'How often the calendar feed is re-read, e.g. 5m.',
  'blackout-calendar-url': 'iCalendar feed (an .ics file or http URL on an allowed host) whose events are blackouts for every scenario.',
  'data-dir': 'Folder of the embedded SQLite store (default ./data).',
  'database-url': 'postgres://... to share state between orchestrators, which elect one leader.',
  'port-resolver': "Command template that prints a scenario's port, e.g. 'vrooli scenario port {name} API_PORT'.",
  policy: 'Policy manifest file (kind: Policy); wins over the stored policy.',
  'allowed-hosts': 'Comma-separated hosts the orchestrator may call (default loopback).',
  'allowed-notify-hosts': 'Comma-separated hosts off the machine that health checks and notifiers may call (loopback always may).',
  'manifests-dir': 'Folder of shipped manifests (default: the package manifests/).',
  'action-timeout': 'Time allowed for one call to a scenario (default 5s).',
  'max-in-flight': 'Calls to scenarios in flight at once (default 256).',
  'activity-retention': 'How long activity entries are kept (default 30d).',
  'activity-retention-entries': 'How many activity entries are kept (default 100000).',
  'log-level': 'debug, info, warn, error or silent (default info).',
  'self-id': "The orchestrator's own scenario id, never controlled (default maintenance-orchestrator).",
  'tokens-file': 'YAML list of {name, role, secretHash} API tokens (hashes from `token hash`); see SECURITY.md.',
  'allowed-hostnames': 'Comma-separated Host names accepted besides loopback and the bind address (a reverse proxy).',
  'rate-limit': 'Changes per actor on mutating routes, e.g. 120/min (default); stop-all and resume are never limited.',
  'max-event-clients': 'Live /events streams at once (default 200).',
  'max-registrations': 'Live scenario registrations at once (default 1000).',
  'replica-id': "This replica's name in the leader lease and X-Maintenance-Leader (default host:pid).",
  'leader-lease': 'How long the leader lease lasts after its last renewal (default 4s).',
  'leader-renew-deadline': 'A leader that has not renewed within this stops calling scenarios (default 3s).',
  'leader-retry': 'How often the leader renews and followers try to acquire (default 500ms).',
};

function stringFlags() {
  const flags = {} as Record<ServeStringFlag, Interfaces.OptionFlag<string | undefined>>;
  for (const [name, variable] of Object.entries(SERVE_FLAG_ENV) as [ServeStringFlag, string][]) {
    flags[name] = Flags.string({ summary: SUMMARIES[name], description: `Overrides ${variable}.`, helpValue: variable === 'MAINTENANCE_PORT' ? '<port>' : undefined });
  }
  return flags;
}

/** Starts the orchestrator and runs until SIGINT or SIGTERM. */
export default class Serve extends Command {
  static override summary = 'Run the orchestrator: REST API, dashboard and reconciler.';
  static override description = `Every flag overrides the environment variable of the same setting (SPEC 6); a bad value stops start-up naming it.
Scenarios are driven inactive at start, whatever they report. --demo also serves the demo fleet of examples/fleet.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --demo',
    '<%= config.bin %> <%= command.id %> --port 3250 --scenarios-dir ~/Vrooli/scenarios --port-resolver "vrooli scenario port {name} API_PORT"',
    '<%= config.bin %> <%= command.id %> --policy manifests/policy.yaml --default-timeout 120',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    ...stringFlags(),
    'enable-calendar': Flags.boolean({ summary: 'Enable calendar integration.', description: `Overrides ${SERVE_BOOLEAN_FLAG_ENV['enable-calendar']}.`, allowNo: true }),
    'allow-anonymous': Flags.boolean({ summary: 'Serve a non-loopback address without tokens (logs a warning; see SECURITY.md).', description: `Overrides ${SERVE_BOOLEAN_FLAG_ENV['allow-anonymous']}.`, allowNo: true }),
    demo: Flags.boolean({ summary: 'Also serve the demo fleet (examples/fleet, ports 3261-3271) in this process.', default: false }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Serve);
    // Loaded here so the other commands never pay for NestJS; from the bundle, as `npm start` does.
    const { loadServer } = await import('../../src/launch');
    const { serve, ConfigError } = loadServer().server;
    let running: Awaited<ReturnType<typeof serve>>;
    try {
      running = await serve({ demo: flags.demo, overrides: serveOverrides(flags), print: (line) => this.log(line) });
    } catch (error) {
      if (error instanceof ConfigError) {
        const flag = flagForVariable(error.variable);
        throw new CliFailure(`configuration error: ${flag ? `${flag} (${error.message})` : error.message}`, EXIT.usage);
      }
      throw new CliFailure(`start-up failed: ${(error as Error).message}`, EXIT.failure);
    }
    const url = running.server.url;
    const result = { url, api: `${url}/api/v1`, dashboard: `${url}/` };
    // --json prints the addresses at once (oclif would print only after the server stops).
    if (this.jsonEnabled()) this.logJson(result);
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    this.log(`${signal}: stopping`);
    // A second signal or a stuck connection must not keep a stopping server alive.
    process.once('SIGINT', () => process.exit(1));
    setTimeout(() => process.exit(0), 10_000).unref();
    await running.stop();
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    const failure = toFailure(error);
    if (!failure) return super.catch(error);
    ux.stderr(failure.message);
    return this.exit(failure.exit);
  }
}
