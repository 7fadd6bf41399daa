/**
 * The composition root: builds every part from the configuration, in dependency order, and starts and
 * stops them. Nest only serves HTTP on top of this; tests build it with a few edges replaced.
 */
import * as path from 'node:path';
import { ActivityService } from './activity/activity.service';
import type { ActivityEntry } from './activity/activity';
import type { Config } from './config/config';
import { ScenarioRegistry } from './discovery/registry';
import { activityLogger, createLogger, flushLogger, type Logger } from './logging/logger';
import { fleetSnapshotSource } from './metrics/fleet-snapshot';
import { combineObservers } from './metrics/observers';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { loadDefaultPresets, PresetCatalog } from './presets/preset-catalog';
import { Executor } from './reconciler/executor';
import { SystemHostLoadProbe, type HostLoadProbe } from './reconciler/host-load';
import { Reconciler, type ReconcilerObserver } from './reconciler/reconciler';
import { HttpScenarioClient, type ScenarioClient } from './reconciler/scenario-client';
import { CalendarService } from './schedules/calendar.service';
import { ScheduleService } from './schedules/schedule.service';
import { ControlService } from './state/control.service';
import { HistoryService } from './state/history.service';
import { PolicyService } from './state/policy.service';
import { StateService, type WindowSource } from './state/state.service';
import { openStore } from './store/open-store';
import type { Store } from './store/store.port';

/** Edges a test or an embedding may replace. */
export interface OrchestratorOverrides {
  hostProbe?: HostLoadProbe;
  client?: ScenarioClient;
  clock?: () => number;
  store?: Store;
  windows?: WindowSource;
  /** Watches the loop alongside the metrics (it does not replace them). */
  observer?: Partial<ReconcilerObserver>;
  /** Receives every activity entry as it is stored, besides the structured log. */
  log?: (entry: ActivityEntry) => void;
  /** The structured logger; by default built from LOG_LEVEL, on stdout. */
  logger?: Logger;
}

/** Every part of a running orchestrator. */
export interface Orchestrator {
  config: Config;
  store: Store;
  activity: ActivityService;
  registry: ScenarioRegistry;
  presets: PresetCatalog;
  policy: PolicyService;
  state: StateService;
  reconciler: Reconciler;
  control: ControlService;
  history: HistoryService;
  schedules: ScheduleService;
  calendar: CalendarService | null;
  client: ScenarioClient;
  /** Prometheus metrics of this orchestrator (its own registry), served at /metrics. */
  metrics: PrometheusMetrics;
  /** The structured logger (activity entries, requests, framework messages). */
  logger: Logger;
  /** Scenario calls running or waiting in the executor. */
  queueDepth(): number;
  /** Scans, then starts the loop (which first drives every scenario inactive). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds an orchestrator; nothing runs until `start()`. */
export async function createOrchestrator(config: Config, overrides: OrchestratorOverrides = {}): Promise<Orchestrator> {
  const clock = overrides.clock ?? Date.now;
  const store = overrides.store ?? (await openStore(config));
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const metrics = new PrometheusMetrics();
  const toLog = activityLogger(logger);
  const activity = new ActivityService(store.activity, clock, (entry) => {
    toLog(entry);
    overrides.log?.(entry);
  });
  const registry = new ScenarioRegistry(
    {
      scenariosDir: config.scenariosDir,
      selfId: config.selfId,
      allowedHosts: config.allowedHosts,
      portResolver: config.portResolver,
      now: clock,
      onScan: (report) => metrics.scanCompleted(report),
    },
    activity,
  );
  const presets = new PresetCatalog(loadDefaultPresets(path.join(config.manifestsDir, 'presets')), store.presets);
  await presets.load();
  const policy = new PolicyService(store.settings, activity);
  await policy.load(config.policyFile, config.manifestsDir);
  const hostProbe = overrides.hostProbe ?? new SystemHostLoadProbe();
  const calendar =
    config.enableCalendar && config.calendarUrl
      ? new CalendarService(config.calendarUrl, config.allowedHosts, () => presets.list().map((preset) => preset.id), activity, config.calendarRefreshMs, clock)
      : null;
  // The loop is built after the state it reads; schedule changes reach it through this late-bound call.
  let requestPass: () => void = () => undefined;
  const schedules = new ScheduleService(store.schedules, presets, activity, calendar, () => requestPass(), clock);
  await schedules.load();
  const state = new StateService(registry, presets, policy, overrides.windows ?? schedules, hostProbe, activity, config.defaultTimeoutMs, clock);
  const client = overrides.client ?? new HttpScenarioClient(config.actionTimeoutMs);
  const executor = new Executor(client, config.maxInFlight, clock);
  const reconciler = new Reconciler(state, executor, activity, { resyncIntervalMs: config.resyncIntervalMs, clock }, combineObservers(metrics, overrides.observer));
  state.attach(reconciler);
  requestPass = () => reconciler.request();
  const control = new ControlService(state, registry, reconciler, activity, clock);
  const history = new HistoryService(control, hostProbe, 10_000, 360, clock);
  registry.onChange(() => reconciler.request());
  metrics.attach(
    fleetSnapshotSource({
      listScenarios: () => control.listScenarios().scenarios,
      emergencyStop: () => state.view().emergencyStop !== null,
      windows: (now) => schedules.states(now),
      queueDepth: () => executor.depth,
      clock,
    }),
  );
  let pruneTimer: NodeJS.Timeout | null = null;

  return {
    queueDepth: () => executor.depth,
    config,
    store,
    activity,
    registry,
    presets,
    policy,
    state,
    reconciler,
    control,
    history,
    schedules,
    calendar,
    client,
    metrics,
    logger,
    async start() {
      activity.record({ category: 'system', actor: 'system', message: `orchestrator starting; every scenario will be driven inactive` });
      await registry.start(config.discoveryIntervalMs);
      if (calendar) await calendar.start();
      reconciler.start();
      history.start();
      const prune = () => void store.activity.prune(new Date(clock() - config.activityRetentionMs).toISOString(), config.activityRetentionEntries);
      prune();
      pruneTimer = setInterval(prune, 10 * 60_000);
      pruneTimer.unref();
    },
    async stop() {
      if (pruneTimer) clearInterval(pruneTimer);
      registry.stop();
      history.stop();
      calendar?.stop();
      reconciler.stop();
      await activity.close();
      client.close();
      await store.close();
      await flushLogger(logger);
    },
  };
}
