/**
 * The health module (SPEC 11): runs the policy's health checks on the `health.checks` timer (through the
 * Timers port) and hands their verdict to the declared state, which puts it in every pass's inputs for the
 * HealthCheck gate. Checks start at bootstrap, before the loop (this module sits below it), so the first
 * pass already sees a reading; they stop on shutdown before the activity log flushes.
 */
import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG } from '../config/config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';
import { PolicyModule } from '../state/policy.module';
import { PolicyService } from '../state/policy.service';
import { HealthCheckService, type TimerPort } from './health-check.service';

/** The name of the timer that looks for due checks, as GET /api/v1/timers lists it. */
export const HEALTH_TIMER = 'health.checks';

/** The service's timer over the Timers port: one named interval (each check still keeps its own interval). */
export function healthTimer(timers: Timers, clock: () => number): TimerPort {
  return {
    now: clock,
    setInterval: (callback, ms) => {
      timers.every(HEALTH_TIMER, ms, callback);
      return HEALTH_TIMER;
    },
    clearInterval: (name) => timers.cancel(name as string),
  };
}

/** Provides HealthCheckService. */
@Module({
  imports: [PolicyModule, MetricsModule],
  providers: [
    {
      provide: HealthCheckService,
      useFactory: (policy: PolicyService, config: Config, metrics: PrometheusMetrics, timers: Timers, clock: () => number) =>
        new HealthCheckService(() => policy.current().healthChecks, { allowedHosts: config.allowedNotifyHosts, observer: metrics, timer: healthTimer(timers, clock) }),
      inject: [PolicyService, CONFIG, PrometheusMetrics, TIMERS, CLOCK],
    },
  ],
  exports: [HealthCheckService],
})
export class HealthModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(HealthCheckService) private readonly health: HealthCheckService) {}

  /** Before the loop starts (ReconcilerModule sits above this one). */
  onApplicationBootstrap(): void {
    this.health.start();
  }

  /** Before ActivityModule's shutdown hook (shutdown hooks go from the root down); reads in flight are awaited. */
  async onApplicationShutdown(): Promise<void> {
    this.health.stop();
    await this.health.settled();
  }
}
