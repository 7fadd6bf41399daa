/**
 * The state module: the intents (StateService, PresetService, ManifestApplier) and the read models
 * (ControlService, HistoryService) between the API and the loop. It also attaches the fleet gauges to the
 * metrics, since it owns the views they sample, and starts history sampling once the loop runs.
 */
import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ScenarioRegistry } from '../discovery/registry';
import { fleetSnapshotSource } from '../metrics/fleet-snapshot';
import { MetricsModule } from '../metrics/metrics.module';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';
import { PresetCatalog } from '../presets/preset-catalog';
import { PresetsModule } from '../presets/presets.module';
import { Executor } from '../reconciler/executor';
import type { HostLoadProbe } from '../reconciler/host-load';
import { Reconciler } from '../reconciler/reconciler';
import { ReconcilerModule } from '../reconciler/reconciler.module';
import { scheduleKindHandler } from '../schedules/schedule-manifest';
import { ScheduleService } from '../schedules/schedule.service';
import { SchedulesModule } from '../schedules/schedules.module';
import { connectLoopNotifications } from '../notify/loop-notifications';
import { MaintenanceAlertPublisher } from '../notify/maintenance-alerts';
import { NotificationDispatcher } from '../notify/notification-dispatcher';
import { NotifierRegistry, notifierKindHandler } from '../notify/notifier-registry';
import { NotifyModule } from '../notify/notify.module';
import { ControlService } from './control.service';
import { DeclaredState } from './declared-state';
import { DeclaredStateModule, HOST_PROBE } from './declared-state.module';
import { HistoryService } from './history.service';
import { ManifestApplier } from './manifest-applier';
import { PolicyService } from './policy.service';
import { PresetService } from './preset.service';
import { StateService } from './state.service';
import { SharedCollections } from './shared-collections';
import { SharedDesiredState } from './shared-desired-state';
import { LeaderElector } from '../leader/leader-elector';
import { LeaderModule } from '../leader/leader.module';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';

/** How often the dashboard's history is sampled, and how many samples it keeps (an hour). */
const HISTORY_INTERVAL_MS = 10_000;
const HISTORY_CAPACITY = 360;

/** Provides the intents and read models the API serves. */
@Module({
  imports: [ActivityModule, DiscoveryModule, MetricsModule, PresetsModule, SchedulesModule, DeclaredStateModule, ReconcilerModule, NotifyModule, LeaderModule, StoreModule],
  providers: [
    // HA only (PostgreSQL): the desired state lives in the database. A single SQLite node keeps SPEC 7's restart rule.
    {
      provide: SharedDesiredState,
      useFactory: (store: Store, declared: DeclaredState, timers: Timers) => (store.kind === 'postgres' ? new SharedDesiredState(store, declared, 1_000, timers) : null),
      inject: [STORE, DeclaredState, TIMERS],
    },
    {
      provide: SharedCollections,
      useFactory: (store: Store, presets: PresetCatalog, schedules: ScheduleService, policy: PolicyService, notifiers: NotifierRegistry, timers: Timers) =>
        store.kind === 'postgres' ? new SharedCollections(store.changes, { presets, schedules, policy, notifiers }, 1_000, timers) : null,
      inject: [STORE, PresetCatalog, ScheduleService, PolicyService, NotifierRegistry, TIMERS],
    },
    {
      provide: StateService,
      useFactory: (registry: ScenarioRegistry, presets: PresetCatalog, policy: PolicyService, declared: DeclaredState, reconciler: Reconciler, activity: ActivityService, config: Config, clock: () => number, notifications: NotificationDispatcher, shared: SharedDesiredState | null) =>
        new StateService(registry, presets, policy, declared, reconciler, activity, config.defaultTimeoutMs, clock, notifications, config.breakGlassMaxTtlMs, shared),
      inject: [ScenarioRegistry, PresetCatalog, PolicyService, DeclaredState, Reconciler, ActivityService, CONFIG, CLOCK, NotificationDispatcher, SharedDesiredState],
    },
    {
      provide: ControlService,
      useFactory: (state: StateService, registry: ScenarioRegistry, reconciler: Reconciler, activity: ActivityService, clock: () => number, elector: LeaderElector) => new ControlService(state, registry, reconciler, activity, clock, elector),
      inject: [StateService, ScenarioRegistry, Reconciler, ActivityService, CLOCK, LeaderElector],
    },
    {
      provide: HistoryService,
      useFactory: (control: ControlService, host: HostLoadProbe, clock: () => number, timers: Timers) => new HistoryService(control, host, HISTORY_INTERVAL_MS, HISTORY_CAPACITY, clock, timers),
      inject: [ControlService, HOST_PROBE, CLOCK, TIMERS],
    },
    {
      provide: PresetService,
      useFactory: (catalog: PresetCatalog, registry: ScenarioRegistry, state: StateService, control: ControlService, activity: ActivityService) => new PresetService(catalog, registry, state, control, activity),
      inject: [PresetCatalog, ScenarioRegistry, StateService, ControlService, ActivityService],
    },
    {
      provide: ManifestApplier,
      useFactory: (state: StateService, control: ControlService, presets: PresetCatalog, policy: PolicyService, schedules: ScheduleService, notifiers: NotifierRegistry) => {
        const applier = new ManifestApplier(state, control, presets, policy);
        applier.register('Schedule', scheduleKindHandler(schedules));
        applier.register('Notifier', notifierKindHandler(notifiers));
        return applier;
      },
      inject: [StateService, ControlService, PresetCatalog, PolicyService, ScheduleService, NotifierRegistry],
    },
  ],
  exports: [StateService, ControlService, HistoryService, PresetService, ManifestApplier],
})
export class StateModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly metrics: PrometheusMetrics,
    private readonly control: ControlService,
    private readonly state: StateService,
    private readonly schedules: ScheduleService,
    private readonly executor: Executor,
    private readonly history: HistoryService,
    @Inject(CLOCK) private readonly clock: () => number,
    private readonly reconciler: Reconciler,
    private readonly notifications: NotificationDispatcher,
    private readonly notifiers: NotifierRegistry,
    private readonly elector: LeaderElector,
    @Inject(SharedDesiredState) private readonly shared: SharedDesiredState | null,
    @Inject(SharedCollections) private readonly collections: SharedCollections | null,
    private readonly declared: DeclaredState,
  ) {}

  /** Unsubscribes the loop's notifications at shutdown. */
  private disconnectNotifications: (() => void) | null = null;

  /** Scrape-time gauges read one snapshot of the views this module serves. */
  onModuleInit(): void {
    const { shared, collections } = this;
    if (shared && collections) {
      // A new leader reads what the last one left before its first pass; another replica's write, the leader acts on at once.
      this.elector.onLeadership({ prepare: async () => void (await Promise.all([shared.refresh(false), collections.refresh()])) });
      shared.onReplaced = collections.onReplaced = () => {
        this.control.invalidate();
        if (this.elector.role === 'leader') this.reconciler.request();
      };
      // Time acts through the leader only: TTL expiries (stored, so followers follow) and window edges.
      const leads = () => this.elector.role === 'leader';
      this.declared.shareExpiries({ mayAct: leads, saveHeld: () => shared.saveHeld(), leadingSince: () => Date.parse(this.elector.leader?.since ?? '') || null });
      this.schedules.announceOnlyWhen(leads);
    }
    this.metrics.attach(
      fleetSnapshotSource({
        listScenarios: () => this.control.listScenarios().scenarios,
        emergencyStop: () => this.state.view().emergencyStop !== null,
        windows: (now) => this.schedules.states(now),
        queueDepth: () => this.executor.depth,
        clock: this.clock,
      }),
    );
  }

  /** After the loop's first pass (ReconcilerModule sits below this one), so the first sample has verdicts. */
  async onApplicationBootstrap(): Promise<void> {
    await this.shared?.start();
    await this.collections?.start();
    this.history.start();
    this.disconnectNotifications = connectLoopNotifications(this.reconciler, this.notifications, new MaintenanceAlertPublisher(() => this.notifiers.list(), this.notifications, { clock: this.clock }), () => this.state.view().emergencyStop);
  }

  beforeApplicationShutdown(): void {
    this.shared?.stop();
    this.collections?.stop();
    this.history.stop();
    this.disconnectNotifications?.();
    this.disconnectNotifications = null;
  }
}
