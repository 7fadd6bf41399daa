/**
 * The reconciler module: the loop, its executor and the scenario client. The loop starts at bootstrap,
 * after discovery's first scan (DiscoveryModule sits below this one); on shutdown it stops before the
 * activity log flushes and the store closes, and the client's connections close last.
 */
import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG, EDGES, type EdgeOverrides } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ScenarioRegistry } from '../discovery/registry';
import { MetricsModule, RECONCILER_OBSERVER } from '../metrics/metrics.module';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';
import { ScheduleService } from '../schedules/schedule.service';
import { SchedulesModule } from '../schedules/schedules.module';
import { DeclaredState } from '../state/declared-state';
import { DeclaredStateModule } from '../state/declared-state.module';
import { LeaderElector } from '../leader/leader-elector';
import { LeaderModule } from '../leader/leader.module';
import { Executor, type ActionOutcome } from './executor';
import { LeaseRenewal } from './lease-renewal';
import { Reconciler, type ReconcilerObserver } from './reconciler';
import { HttpScenarioClient, type ScenarioClient } from './scenario-client';

/** The client that calls scenarios over HTTP; tests replace it. */
export const SCENARIO_CLIENT = Symbol('SCENARIO_CLIENT');

/** Provides Reconciler, Executor and SCENARIO_CLIENT. */
@Module({
  imports: [ActivityModule, MetricsModule, DiscoveryModule, SchedulesModule, DeclaredStateModule, LeaderModule],
  providers: [
    // Every call asks the elector just before it is sent: only a leader within its renew deadline calls.
    {
      provide: SCENARIO_CLIENT,
      useFactory: (config: Config, edges: EdgeOverrides, elector: LeaderElector): ScenarioClient =>
        edges.client ?? new HttpScenarioClient(config.actionTimeoutMs, config.activationLeaseMs, () => elector.fence()),
      inject: [CONFIG, EDGES, LeaderElector],
    },
    { provide: Executor, useFactory: (client: ScenarioClient, config: Config, clock: () => number) => new Executor(client, config.maxInFlight, clock), inject: [SCENARIO_CLIENT, CONFIG, CLOCK] },
    {
      provide: Reconciler,
      useFactory: (inputs: DeclaredState, executor: Executor, activity: ActivityService, config: Config, clock: () => number, timers: Timers, observer: ReconcilerObserver, elector: LeaderElector) =>
        new Reconciler(inputs, executor, activity, { resyncIntervalMs: config.resyncIntervalMs, clock, timers, mayAct: () => elector.fence() !== null }, observer),
      inject: [DeclaredState, Executor, ActivityService, CONFIG, CLOCK, TIMERS, RECONCILER_OBSERVER, LeaderElector],
    },
    {
      // Absent when ACTIVATION_LEASE is 0: activations then carry no lease, and nothing renews.
      provide: LeaseRenewal,
      useFactory: (reconciler: Reconciler, executor: Executor, activity: ActivityService, config: Config, clock: () => number, timers: Timers, metrics: PrometheusMetrics) =>
        config.activationLeaseMs === null ? null : new LeaseRenewal(reconciler, executor, activity, { leaseMs: config.activationLeaseMs, clock, timers }, metrics),
      inject: [Reconciler, Executor, ActivityService, CONFIG, CLOCK, TIMERS, PrometheusMetrics],
    },
  ],
  exports: [Reconciler, Executor, LeaseRenewal],
})
export class ReconcilerModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly reconciler: Reconciler,
    private readonly registry: ScenarioRegistry,
    private readonly schedules: ScheduleService,
    @Inject(SCENARIO_CLIENT) private readonly client: ScenarioClient,
    @Inject(LeaseRenewal) private readonly leases: LeaseRenewal | null,
    private readonly declared: DeclaredState,
    private readonly elector: LeaderElector,
    private readonly executor: Executor,
  ) {}

  /**
   * Level-triggered: a discovery change or a schedule change just asks for a pass. A failed activation counts
   * against its change's failure budget before the pass its outcome asks for. Only the leader loops and renews
   * activation leases.
   */
  onModuleInit(): void {
    this.registry.onChange(() => this.reconciler.request());
    this.schedules.onChange(() => this.reconciler.request());
    this.reconciler.on('outcome', (outcome: ActionOutcome) => {
      if (outcome.action === 'activate' && !outcome.result.ok && !outcome.result.aborted) this.declared.changes.activationFailed(outcome.scenario);
    });
    this.elector.onLeadership({
      lead: () => {
        // What this replica saw before it followed may be stale: start from Unknown, as after a restart.
        this.reconciler.forgetObservations();
        this.reconciler.start();
        this.leases?.start();
      },
      follow: () => {
        this.leases?.stop();
        this.reconciler.stop();
        this.executor.abandonAllActivations();
      },
    });
  }

  /** The election starts once discovery has scanned; a single SQLite node leads when this returns, and its first pass drives every scenario inactive. */
  async onApplicationBootstrap(): Promise<void> {
    await this.elector.start();
  }

  /**
   * No pass starts after this (a pass is synchronous, so the one running has finished); calls in flight end on
   * their own. The lease is released, so another replica leads at once.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.leases?.stop();
    this.reconciler.stop();
    await this.elector.stop();
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
