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
import { ScenarioRegistry } from './registry';

/** Provides ScenarioRegistry. */
@Module({
  imports: [ActivityModule, MetricsModule],
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
  ],
  exports: [ScenarioRegistry],
})
export class DiscoveryModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly registry: ScenarioRegistry,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** The first scan, awaited: the loop's first pass must see the scenarios (it drives them all inactive). */
  async onApplicationBootstrap(): Promise<void> {
    await this.registry.start(this.config.discoveryIntervalMs);
  }

  /** No rescans while the application stops. */
  beforeApplicationShutdown(): void {
    this.registry.stop();
  }
}
