/**
 * What a reconcile pass reads besides its own observations: the declared state, the policy and the host
 * load. It sits below the loop (ReconcilerModule reads DeclaredState as its InputsProvider) and below the
 * intents (StateModule changes it), which is how the loop and the intents avoid needing each other.
 */
import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import { EDGES, type EdgeOverrides } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ScenarioRegistry } from '../discovery/registry';
import { PresetCatalog } from '../presets/preset-catalog';
import { PresetsModule } from '../presets/presets.module';
import { SystemHostLoadProbe, type HostLoadProbe } from '../reconciler/host-load';
import { SchedulesModule, WINDOW_SOURCE } from '../schedules/schedules.module';
import { HealthCheckService } from '../health/health-check.service';
import { HealthModule } from '../health/health.module';
import { NotificationDispatcher } from '../notify/notification-dispatcher';
import { NotifyModule } from '../notify/notify.module';
import { DeclaredState, type WindowSource } from './declared-state';
import { PolicyModule } from './policy.module';
import { PolicyService } from './policy.service';

/** The host load probe the ResourcePressure gate reads; tests replace it. */
export const HOST_PROBE = Symbol('HOST_PROBE');

/** Provides DeclaredState, PolicyService and HOST_PROBE. */
@Module({
  imports: [ActivityModule, DiscoveryModule, PresetsModule, SchedulesModule, PolicyModule, HealthModule, NotifyModule],
  providers: [
    { provide: HOST_PROBE, useFactory: (edges: EdgeOverrides): HostLoadProbe => edges.hostProbe ?? new SystemHostLoadProbe(), inject: [EDGES] },
    {
      provide: DeclaredState,
      useFactory: (registry: ScenarioRegistry, presets: PresetCatalog, policy: PolicyService, windows: WindowSource, host: HostLoadProbe, activity: ActivityService, health: HealthCheckService, notifications: NotificationDispatcher) =>
        new DeclaredState(registry, presets, policy, windows, host, activity, { health, notifications }),
      inject: [ScenarioRegistry, PresetCatalog, PolicyService, WINDOW_SOURCE, HOST_PROBE, ActivityService, HealthCheckService, NotificationDispatcher],
    },
  ],
  exports: [DeclaredState, PolicyModule, HOST_PROBE],
})
export class DeclaredStateModule {}
