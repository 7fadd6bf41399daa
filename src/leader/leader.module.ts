/**
 * The leader module: this replica's LeaderElector over the store's lease (SPEC 9). With PostgreSQL the
 * replicas sharing the database elect one leader; with SQLite this process always leads. The loop, the
 * scenario client and the shared desired state register what they do on taking and losing the lead
 * (ReconcilerModule starts the election once discovery has scanned); the metrics read it at scrape time.
 */
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.module';
import { TIMERS, type Timers } from '../common/timers';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationDispatcher } from '../notify/notification-dispatcher';
import { NotifyModule } from '../notify/notify.module';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { LeaderElector } from './leader-elector';
import { notifyLeaderChanges } from './leader-notifications';

/** Provides LeaderElector. */
@Module({
  imports: [StoreModule, ActivityModule, MetricsModule, NotifyModule],
  providers: [
    {
      provide: LeaderElector,
      useFactory: (store: Store, activity: ActivityService, config: Config, timers: Timers) =>
        new LeaderElector(store.lease, activity, { ...config.leader, single: store.kind === 'sqlite', timers }),
      inject: [STORE, ActivityService, CONFIG, TIMERS],
    },
  ],
  exports: [LeaderElector],
})
export class LeaderModule implements OnModuleInit {
  constructor(
    private readonly elector: LeaderElector,
    @Inject(PrometheusMetrics) private readonly metrics: PrometheusMetrics,
    @Inject(STORE) private readonly store: Store,
    private readonly notifications: NotificationDispatcher,
  ) {}

  onModuleInit(): void {
    this.metrics.attachLeadership(() => ({ leading: this.elector.role === 'leader', epoch: this.elector.leader?.epoch ?? 0 }));
    if (this.store.kind !== 'sqlite') notifyLeaderChanges(this.elector, this.notifications);
  }
}
