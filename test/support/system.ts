/** Starts a whole orchestrator in this process against a real demo fleet on loopback, for e2e tests. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ACTIVITY_TAP } from '../../src/activity/activity.module';
import { PrototypedExpressAdapter } from '../../src/api/express-adapter';
import { AppModule } from '../../src/app.module';
import { loadConfig, type ConfigOverrides } from '../../src/config/config';
import { CLOCK, LOGGER, type EdgeOverrides } from '../../src/config/config.module';
import { RECONCILER_OBSERVER } from '../../src/metrics/metrics.module';
import { combineObservers } from '../../src/metrics/observers';
import { PrometheusMetrics } from '../../src/metrics/prometheus-metrics';
import { FixedHostLoadProbe } from '../../src/reconciler/host-load';
import { SCENARIO_CLIENT } from '../../src/reconciler/reconciler.module';
import type { Policy } from '../../src/presets/schema';
import { WINDOW_SOURCE } from '../../src/schedules/schedules.module';
import { APP_OPTIONS, configureApp, listen, type RunningServer } from '../../src/server';
import { HOST_PROBE } from '../../src/state/declared-state.module';
import { STORE } from '../../src/store/store.module';
import { startFleet, tempFleetDir, type Fleet, type FleetScenarioSpec } from './fleet';

/** Edges a test replaces; each becomes an overrideProvider on its token. */
export type TestOverrides = EdgeOverrides;

/** A fleet, an orchestrator serving it, and the temp dirs they use. */
export interface TestSystem {
  fleet: Fleet;
  server: RunningServer;
  url: string;
  /** The host probe the resource gate reads; tests change its value. */
  host: FixedHostLoadProbe;
  stop(): Promise<void>;
}

/** Options: the fleet, a policy (written as a POLICY_FILE), more configuration, replaced edges. */
export interface TestSystemOptions {
  specs: FleetScenarioSpec[];
  policy?: Partial<Policy>;
  env?: ConfigOverrides;
  overrides?: TestOverrides;
}

/** Starts fleet and orchestrator on free ports; `stop()` tears everything down. */
export async function startTestSystem(options: TestSystemOptions): Promise<TestSystem> {
  const fleet = await startFleet(options.specs);
  const scenarios = await tempFleetDir(fleet);
  const dataDir = await mkdtemp(join(tmpdir(), 'mo-data-'));
  const env: ConfigOverrides = { MAINTENANCE_PORT: 0, SCENARIOS_DIR: scenarios.dir, DATA_DIR: dataDir, RESYNC_INTERVAL: '1s', DISCOVERY_INTERVAL: '2s', ACTION_TIMEOUT: '2s', LOG_LEVEL: 'silent', ...options.env };
  if (options.policy) {
    const file = join(dataDir, 'policy.yaml');
    await writeFile(file, stringify({ apiVersion: 'maintenance/v1', kind: 'Policy', metadata: { name: 'test' }, spec: options.policy }));
    env.POLICY_FILE = file;
  }
  const host = new FixedHostLoadProbe({ cpuLoadPercent: 0, memoryPercent: 0 });
  const config = loadConfig({}, env);
  const testing = await withEdges(Test.createTestingModule({ imports: [AppModule.forRoot(config)] }), { hostProbe: host, ...options.overrides }).compile();
  const app = configureApp(testing.createNestApplication<NestExpressApplication>(new PrototypedExpressAdapter(), APP_OPTIONS));
  const server = await listen(app, config);
  // Let the start-up deactivations settle, as an operator would see them before acting.
  const ids = server.orchestrator.registry.list().map((spec) => spec.id);
  await server.orchestrator.reconciler.waitForSettled(ids, 10_000);
  return {
    fleet,
    server,
    url: server.url,
    host,
    async stop() {
      await server.close();
      await fleet.stop();
      await scenarios.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The application with the given edges in place of the real ones (clock, host probe, scenario client, store, ...). */
export function withEdges(builder: TestingModuleBuilder, edges: TestOverrides): TestingModuleBuilder {
  const values: [symbol, unknown][] = [
    [CLOCK, edges.clock],
    [HOST_PROBE, edges.hostProbe],
    [SCENARIO_CLIENT, edges.client],
    [STORE, edges.store],
    [WINDOW_SOURCE, edges.windows],
    [LOGGER, edges.logger],
    [ACTIVITY_TAP, edges.log],
  ];
  for (const [token, value] of values) if (value !== undefined) builder.overrideProvider(token).useValue(value);
  const observer = edges.observer;
  if (observer) builder.overrideProvider(RECONCILER_OBSERVER).useFactory({ factory: (metrics: PrometheusMetrics) => combineObservers(metrics, observer), inject: [PrometheusMetrics] });
  return builder;
}

/** Polls `check` until it returns true, or fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
}

/** Ids of the fleet's scenarios whose own endpoint reports active. */
export function activeIds(fleet: Fleet): string[] {
  return fleet.scenarios.filter((scenario) => fleet.stateOf(scenario.id) === 'active').map((scenario) => scenario.id).sort();
}

/**
 * A weekday three days from today (0 = Sunday), for windows a test creates at 02:00 for 2 h: whatever the
 * zone, such a window is at least a day away, so it never opens (and activates its preset) during the
 * test. A fixed "Sunday 02:00" was open on Sunday nights and failed the suite then.
 */
export function quietWeekday(now = new Date()): number {
  return (now.getUTCDay() + 3) % 7;
}
