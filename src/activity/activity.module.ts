/**
 * The activity module: the activity log over the store, its retention pruning (a named timer), and the
 * flush of the last entries at shutdown, before the store closes.
 */
import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG, EDGES, LOGGER, type EdgeOverrides } from '../config/config.module';
import { activityLogger, type Logger } from '../logging/logger';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import type { ActivityEntry } from './activity';
import { ActivityService } from './activity.service';

/** How often old activity entries are pruned. */
const PRUNE_INTERVAL_MS = 10 * 60_000;
/** The name of the pruning timer, as GET /api/v1/timers lists it. */
export const ACTIVITY_PRUNE_TIMER = 'activity.prune';
/** Told every activity entry once stored, besides the structured log (an embedding's or a test's tap). */
export const ACTIVITY_TAP = Symbol('ACTIVITY_TAP');

/** Provides ActivityService. */
@Module({
  imports: [StoreModule],
  providers: [
    { provide: ACTIVITY_TAP, useFactory: (edges: EdgeOverrides): ((entry: ActivityEntry) => void) | null => edges.log ?? null, inject: [EDGES] },
    {
      provide: ActivityService,
      useFactory: (store: Store, clock: () => number, logger: Logger, tap: ((entry: ActivityEntry) => void) | null, timers: Timers) => {
        const toLog = activityLogger(logger);
        const log = tap
          ? (entry: ActivityEntry) => {
              toLog(entry);
              tap(entry);
            }
          : toLog;
        return new ActivityService(store.activity, clock, log, timers);
      },
      inject: [STORE, CLOCK, LOGGER, ACTIVITY_TAP, TIMERS],
    },
  ],
  exports: [ActivityService],
})
export class ActivityModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly activity: ActivityService,
    @Inject(STORE) private readonly store: Store,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: () => number,
    @Inject(TIMERS) private readonly timers: Timers,
  ) {}

  /** First of the running parts: the start is logged before discovery scans, then old entries are pruned. */
  onApplicationBootstrap(): void {
    this.activity.record({ category: 'system', actor: 'system', message: `orchestrator starting; every scenario will be driven inactive` });
    this.prune();
    this.timers.every(ACTIVITY_PRUNE_TIMER, PRUNE_INTERVAL_MS, () => this.prune());
  }

  /** Writes what is queued and ignores late results; the store closes after this. */
  async onApplicationShutdown(): Promise<void> {
    this.timers.cancel(ACTIVITY_PRUNE_TIMER);
    await this.activity.close();
  }

  private prune(): void {
    void this.store.activity.prune(new Date(this.clock() - this.config.activityRetentionMs).toISOString(), this.config.activityRetentionEntries);
  }
}
