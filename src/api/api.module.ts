/**
 * The API module: thin controllers over the state, discovery, schedules and metrics modules, one exception
 * filter, request logging, and the write gate. On shutdown it is the first to stop: writes are refused
 * before the loop stops and the store closes.
 */
import { Module, type BeforeApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ActivityModule } from '../activity/activity.module';
import { LOGGER } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { httpLoggingOptions, NestPinoLogger } from '../logging/http-logging';
import type { Logger } from '../logging/logger';
import { MetricsModule } from '../metrics/metrics.module';
import { ReconcilerModule } from '../reconciler/reconciler.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { DeclaredStateModule } from '../state/declared-state.module';
import { LeaderModule } from '../leader/leader.module';
import { StateModule } from '../state/state.module';
import { StoreModule } from '../store/store.module';
import { AcceptingWritesGuard, WriteGate } from './accepting-writes.guard';
import { ActivityController } from './activity.controller';
import { ApiExceptionFilter } from './exception.filter';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { PresetsController } from './presets.controller';
import { ProbesController } from './probes.controller';
import { RegistrationsController } from './registrations.controller';
import { ScenariosController } from './scenarios.controller';
import { SchedulesController } from './schedules.controller';
import { SecurityModule } from './security.module';
import { StateController } from './state.controller';
import { TimersController } from './timers.controller';
import { NotifyController } from './notify.controller';
import { ExplainController } from './explain.controller';
import { InventoryModule } from '../inventory/inventory.module';
import { ExplainModule } from '../explain/explain.module';
import { HealthModule } from '../health/health.module';
import { NotifyModule } from '../notify/notify.module';

/** Serves /api/v1, /health, /healthz, /readyz and /metrics. */
@Module({
  imports: [
    LoggerModule.forRootAsync({ useFactory: (logger: Logger) => ({ pinoHttp: httpLoggingOptions(logger), forRoutes: [] }), inject: [LOGGER] }),
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    StoreModule,
    ActivityModule,
    MetricsModule,
    DiscoveryModule,
    SchedulesModule,
    DeclaredStateModule,
    ReconcilerModule,
    LeaderModule,
    StateModule,
    SecurityModule, // security (SPEC 8): rate limiter, /whoami, anonymous flag
    HealthModule,
    NotifyModule,
    ExplainModule, // decisions across time (SPEC 10): explain, plan --at, timeline
    InventoryModule, // HA (SPEC 9): the leader publishes what it sees, followers serve it
  ],
  controllers: [
    ScenariosController,
    PresetsController,
    StateController,
    ActivityController,
    RegistrationsController,
    SchedulesController,
    HealthController,
    ProbesController,
    MetricsController,
    TimersController,
    NotifyController,
    ExplainController,
  ],
  providers: [NestPinoLogger, WriteGate, { provide: APP_GUARD, useClass: AcceptingWritesGuard }, { provide: APP_FILTER, useClass: ApiExceptionFilter }],
})
export class ApiModule implements BeforeApplicationShutdown {
  constructor(
    private readonly writes: WriteGate,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * First of all: no change is accepted once stopping has begun. Open connections end here too: a live
   * event stream never ends by itself and would hold the HTTP server's close (which comes next) forever.
   */
  beforeApplicationShutdown(): void {
    this.writes.close();
    this.adapterHost.httpAdapter?.getHttpServer?.()?.closeAllConnections?.();
  }
}
