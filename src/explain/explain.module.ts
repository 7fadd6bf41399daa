/**
 * The explain module (SPEC 10): explain, plan --at and the timeline, read from the declared state, the
 * windows, the loop's observations and the health checks. It only reads; nothing here changes state.
 */
import { Module } from '@nestjs/common';
import { CLOCK } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ScenarioRegistry } from '../discovery/registry';
import { HealthCheckService } from '../health/health-check.service';
import { HealthModule } from '../health/health.module';
import { PresetCatalog } from '../presets/preset-catalog';
import { PresetsModule } from '../presets/presets.module';
import { Reconciler } from '../reconciler/reconciler';
import { ReconcilerModule } from '../reconciler/reconciler.module';
import { ScheduleService } from '../schedules/schedule.service';
import { SchedulesModule } from '../schedules/schedules.module';
import { DeclaredState } from '../state/declared-state';
import { DeclaredStateModule } from '../state/declared-state.module';
import { PolicyService } from '../state/policy.service';
import { ExplainService } from './explain.service';

/** The zone `at` expressions are read in when the caller names none: the server process's own. */
export function serverTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Provides ExplainService. */
@Module({
  imports: [DiscoveryModule, PresetsModule, SchedulesModule, DeclaredStateModule, ReconcilerModule, HealthModule],
  providers: [
    {
      provide: ExplainService,
      useFactory: (scenarios: ScenarioRegistry, presets: PresetCatalog, policy: PolicyService, declared: DeclaredState, windows: ScheduleService, loop: Reconciler, health: HealthCheckService, clock: () => number) =>
        new ExplainService({ scenarios, presets, policy, declared, windows, loop, health, clock, serverTimeZone: serverTimeZone() }),
      inject: [ScenarioRegistry, PresetCatalog, PolicyService, DeclaredState, ScheduleService, Reconciler, HealthCheckService, CLOCK],
    },
  ],
  exports: [ExplainService],
})
export class ExplainModule {}
