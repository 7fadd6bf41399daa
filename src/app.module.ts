/** The Nest module: serves the orchestrator's parts over HTTP. Built around an already composed Orchestrator. */
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ActivityService } from './activity/activity.service';
import { ActivityController } from './api/activity.controller';
import { ApiExceptionFilter } from './api/exception.filter';
import { HealthController } from './api/health.controller';
import { MetricsController } from './api/metrics.controller';
import { ProbesController } from './api/probes.controller';
import { PresetsController } from './api/presets.controller';
import { RegistrationsController } from './api/registrations.controller';
import { ScenariosController } from './api/scenarios.controller';
import { SchedulesController } from './api/schedules.controller';
import { ScheduleService } from './schedules/schedule.service';
import { StateController } from './api/state.controller';
import { CONFIG, ORCHESTRATOR } from './api/tokens';
import { ScenarioRegistry } from './discovery/registry';
import type { Orchestrator } from './orchestrator';
import { Reconciler } from './reconciler/reconciler';
import { ControlService } from './state/control.service';
import { ManifestApplier } from './state/manifest-applier';
import { PolicyService } from './state/policy.service';
import { PresetService } from './state/preset.service';
import { StateService } from './state/state.service';
import { HistoryService } from './state/history.service';
import { httpLoggingOptions, NestPinoLogger } from './logging/http-logging';
import { PrometheusMetrics } from './metrics/prometheus-metrics';
import { SecurityModule } from './api/security.module'; // security (SPEC 8)

@Module({})
export class AppModule {
  /** Registers the orchestrator's services as providers; controllers inject them by class. */
  static forOrchestrator(orchestrator: Orchestrator, extra: { presets: PresetService; applier: ManifestApplier }): DynamicModule {
    return {
      module: AppModule,
      imports: [LoggerModule.forRoot({ pinoHttp: httpLoggingOptions(orchestrator.logger), forRoutes: [] }), TerminusModule.forRoot({ errorLogStyle: 'json' }),
        SecurityModule.forOrchestrator(orchestrator), // security (SPEC 8): rate limiter, /whoami, anonymous flag
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
      ],
      providers: [
        { provide: ORCHESTRATOR, useValue: orchestrator },
        { provide: CONFIG, useValue: orchestrator.config },
        { provide: ControlService, useValue: orchestrator.control },
        { provide: StateService, useValue: orchestrator.state },
        { provide: HistoryService, useValue: orchestrator.history },
        { provide: ScheduleService, useValue: orchestrator.schedules },
        { provide: PolicyService, useValue: orchestrator.policy },
        { provide: ActivityService, useValue: orchestrator.activity },
        { provide: Reconciler, useValue: orchestrator.reconciler },
        { provide: ScenarioRegistry, useValue: orchestrator.registry },
        { provide: PresetService, useValue: extra.presets },
        { provide: ManifestApplier, useValue: extra.applier },
        { provide: PrometheusMetrics, useValue: orchestrator.metrics },
        NestPinoLogger,
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
