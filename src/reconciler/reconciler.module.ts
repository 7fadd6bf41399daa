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
import { ScheduleService } from '../schedules/schedule.service';
import { SchedulesModule } from '../schedules/schedules.module';
import { DeclaredState } from '../state/declared-state';
import { DeclaredStateModule } from '../state/declared-state.module';
import { LeaderElector } from '../leader/leader-elector';
import { LeaderModule } from '../leader/leader.module';
import { Executor } from './executor';
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
      useFactory: (config: Config, edges: EdgeOverrides, elector: LeaderElector): ScenarioClient => edges.client ?? new HttpScenarioClient(config.actionTimeoutMs, () => elector.fence()),
      inject: [CONFIG, EDGES, LeaderElector],
    },
    { provide: Executor, useFactory: (client: ScenarioClient, config: Config, clock: () => number) => new Executor(client, config.maxInFlight, clock), inject: [SCENARIO_CLIENT, CONFIG, CLOCK] },
    {
      provide: Reconciler,
      useFactory: (inputs: DeclaredState, executor: Executor, activity: ActivityService, config: Config, clock: () => number, timers: Timers, observer: ReconcilerObserver, elector: LeaderElector) =>
        new Reconciler(inputs, executor, activity, { resyncIntervalMs: config.resyncIntervalMs, clock, timers, mayAct: () => elector.fence() !== null }, observer),
      inject: [DeclaredState, Executor, ActivityService, CONFIG, CLOCK, TIMERS, RECONCILER_OBSERVER, LeaderElector],
    },
  ],
  exports: [Reconciler, Executor],
})
export class ReconcilerModule implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly reconciler: Reconciler,
    private readonly registry: ScenarioRegistry,
    private readonly schedules: ScheduleService,
    @Inject(SCENARIO_CLIENT) private readonly client: ScenarioClient,
    private readonly elector: LeaderElector,
    private readonly executor: Executor,
  ) {}

  /** Level-triggered: a discovery change or a schedule change just asks for a pass. Only the leader loops. */
  onModuleInit(): void {
    this.registry.onChange(() => this.reconciler.request());
    this.schedules.onChange(() => this.reconciler.request());
    this.elector.onLeadership({
      lead: () => {
        // What this replica saw before it followed may be stale: start from Unknown, as after a restart.
        this.reconciler.forgetObservations();
        this.reconciler.start();
      },
      follow: () => {
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
    this.reconciler.stop();
    await this.elector.stop();
  }

  onApplicationShutdown(): void {
    this.client.close();
  }
}
