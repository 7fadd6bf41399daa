/**
 * The discovery module: the scenario registry. Its first scan runs at bootstrap, before the loop starts
 * (ReconcilerModule sits above this one); rescans and the registration sweep are named timers.
 */
import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG } from '../config/config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';
import { LeaderElector } from '../leader/leader-elector';
import { LeaderModule } from '../leader/leader.module';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { ScenarioRegistry } from './registry';
import { SharedRegistrations } from './shared-registrations';

/** Provides ScenarioRegistry, and SharedRegistrations in HA mode (null with SQLite). */
@Module({
  imports: [ActivityModule, MetricsModule, StoreModule, LeaderModule],
  providers: [
    {
      provide: ScenarioRegistry,
      useFactory: (config: Config, clock: () => number, metrics: PrometheusMetrics, activity: ActivityService, timers: Timers) =>
        new ScenarioRegistry(
          {
            scenariosDir: config.scenariosDir,
            selfId: config.selfId,
            allowedHosts: config.allowedHosts,
            portResolver: config.portResolver,
            now: clock,
            onScan: (report) => metrics.scanCompleted(report),
            timers,
          },
          activity,
        ),
      inject: [CONFIG, CLOCK, PrometheusMetrics, ActivityService, TIMERS],
    },
    // HA only (PostgreSQL): registrations live in the database. A single SQLite node keeps them in memory.
    {
      provide: SharedRegistrations,
      useFactory: (store: Store, registry: ScenarioRegistry, config: Config, clock: () => number, timers: Timers, elector: LeaderElector) =>
        store.kind === 'postgres' ? new SharedRegistrations(store, registry, { maxRegistrations: config.maxRegistrations, now: clock, leads: () => elector.role === 'leader', timers }) : null,
      inject: [STORE, ScenarioRegistry, CONFIG, CLOCK, TIMERS, LeaderElector],
    },
  ],
  exports: [ScenarioRegistry, SharedRegistrations],
})
export class DiscoveryModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly registry: ScenarioRegistry,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SharedRegistrations) private readonly shared: SharedRegistrations | null,
  ) {}

  /**
   * The first scan, awaited: the loop's first pass must see the scenarios (it drives them all inactive). HA:
   * the stored registrations instead; only the leader scans, when it takes the lead (InventoryModule), and a
   * follower lists what the leader published.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.shared) await this.shared.start();
    else await this.registry.start(this.config.discoveryIntervalMs);
  }

  /** No rescans while the application stops. */
  beforeApplicationShutdown(): void {
    this.shared?.stop();
    this.registry.stop();
  }
}
