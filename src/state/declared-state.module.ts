/**
 * What a reconcile pass reads besides its own observations: the declared state, the policy and the host
 * load. It sits below the loop (ReconcilerModule reads DeclaredState as its InputsProvider) and below the
 * intents (StateModule changes it), which is how the loop and the intents avoid needing each other.
 */
import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import type { Config } from '../config/config';
import { CONFIG, EDGES, type EdgeOverrides } from '../config/config.module';
import { DiscoveryModule } from '../discovery/discovery.module';
import { ScenarioRegistry } from '../discovery/registry';
import { PresetCatalog } from '../presets/preset-catalog';
import { PresetsModule } from '../presets/presets.module';
import { SystemHostLoadProbe, type HostLoadProbe } from '../reconciler/host-load';
import { SchedulesModule, WINDOW_SOURCE } from '../schedules/schedules.module';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { DeclaredState, type WindowSource } from './declared-state';
import { PolicyService } from './policy.service';

/** The host load probe the ResourcePressure gate reads; tests replace it. */
export const HOST_PROBE = Symbol('HOST_PROBE');

/** Provides DeclaredState, PolicyService and HOST_PROBE. */
@Module({
  imports: [StoreModule, ActivityModule, DiscoveryModule, PresetsModule, SchedulesModule],
  providers: [
    { provide: HOST_PROBE, useFactory: (edges: EdgeOverrides): HostLoadProbe => edges.hostProbe ?? new SystemHostLoadProbe(), inject: [EDGES] },
    {
      provide: PolicyService,
      useFactory: async (store: Store, activity: ActivityService, config: Config) => {
        const policy = new PolicyService(store.settings, activity);
        await policy.load(config.policyFile, config.manifestsDir);
        return policy;
      },
      inject: [STORE, ActivityService, CONFIG],
    },
    {
      provide: DeclaredState,
      useFactory: (registry: ScenarioRegistry, presets: PresetCatalog, policy: PolicyService, windows: WindowSource, host: HostLoadProbe, activity: ActivityService) =>
        new DeclaredState(registry, presets, policy, windows, host, activity),
      inject: [ScenarioRegistry, PresetCatalog, PolicyService, WINDOW_SOURCE, HOST_PROBE, ActivityService],
    },
  ],
  exports: [DeclaredState, PolicyService, HOST_PROBE],
})
export class DeclaredStateModule {}
