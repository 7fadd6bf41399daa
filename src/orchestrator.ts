/**
 * A read-only view of a running application's parts, resolved from its Nest container: what embeddings,
 * `main.ts` and tests reach for (`server.orchestrator.registry`, `.reconciler`, ...). Nothing is composed
 * here; the modules do that.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { ActivityService } from './activity/activity.service';
import type { Config } from './config/config';
import { CONFIG, LOGGER } from './config/config.module';
import { ScenarioRegistry } from './discovery/registry';
import type { Logger } from './logging/logger';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { PresetCatalog } from './presets/preset-catalog';
import { Executor } from './reconciler/executor';
import { Reconciler } from './reconciler/reconciler';
import { SCENARIO_CLIENT } from './reconciler/reconciler.module';
import type { ScenarioClient } from './reconciler/scenario-client';
import type { CalendarService } from './schedules/calendar.service';
import { ScheduleService } from './schedules/schedule.service';
import { CALENDAR } from './schedules/schedules.module';
import { ControlService } from './state/control.service';
import { HistoryService } from './state/history.service';
import { PolicyService } from './state/policy.service';
import { StateService } from './state/state.service';
import { STORE } from './store/store.module';
import type { Store } from './store/store.port';

/** The edges startServer takes (the name callers knew before the modules). */
export type { EdgeOverrides as OrchestratorOverrides } from './config/config.module';

/** Every part of a running orchestrator. */
export interface Orchestrator {
  readonly config: Config;
  readonly store: Store;
  readonly activity: ActivityService;
  readonly registry: ScenarioRegistry;
  readonly presets: PresetCatalog;
  readonly policy: PolicyService;
  readonly state: StateService;
  readonly reconciler: Reconciler;
  readonly control: ControlService;
  readonly history: HistoryService;
  readonly schedules: ScheduleService;
  readonly calendar: CalendarService | null;
  readonly client: ScenarioClient;
  /** Prometheus metrics of this orchestrator (its own registry), served at /metrics. */
  readonly metrics: PrometheusMetrics;
  /** The structured logger (activity entries, requests, framework messages). */
  readonly logger: Logger;
  /** Scenario calls running or waiting in the executor. */
  queueDepth(): number;
}

/** The parts of `app`, each looked up in its container when first read. */
export function orchestratorOf(app: INestApplicationContext): Orchestrator {
  const get = <T>(token: unknown): T => app.get(token as string, { strict: false }) as T;
  return {
    get config() { return get<Config>(CONFIG); },
    get store() { return get<Store>(STORE); },
    get activity() { return get<ActivityService>(ActivityService); },
    get registry() { return get<ScenarioRegistry>(ScenarioRegistry); },
    get presets() { return get<PresetCatalog>(PresetCatalog); },
    get policy() { return get<PolicyService>(PolicyService); },
    get state() { return get<StateService>(StateService); },
    get reconciler() { return get<Reconciler>(Reconciler); },
    get control() { return get<ControlService>(ControlService); },
    get history() { return get<HistoryService>(HistoryService); },
    get schedules() { return get<ScheduleService>(ScheduleService); },
    get calendar() { return get<CalendarService | null>(CALENDAR); },
    get client() { return get<ScenarioClient>(SCENARIO_CLIENT); },
    get metrics() { return get<PrometheusMetrics>(PrometheusMetrics); },
    get logger() { return get<Logger>(LOGGER); },
    queueDepth: () => get<Executor>(Executor).depth,
  };
}
