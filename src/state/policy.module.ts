/**
 * The policy on its own module, so the health checks (which the policy declares) can be read below the
 * declared state that feeds their verdict to the planner.
 */
import { Module } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.module';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { PolicyService } from './policy.service';

/** Provides PolicyService, loaded (async) after the store opened. */
@Module({
  imports: [StoreModule, ActivityModule],
  providers: [
    {
      provide: PolicyService,
      useFactory: async (store: Store, activity: ActivityService, config: Config) => {
        const policy = new PolicyService(store.settings, activity);
        await policy.load(config.policyFile, config.manifestsDir);
        return policy;
      },
      inject: [STORE, ActivityService, CONFIG],
    },
  ],
  exports: [PolicyService],
})
export class PolicyModule {}
