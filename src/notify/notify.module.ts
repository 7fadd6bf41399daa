/**
 * The notify module (SPEC 11): the notifier registry (loaded from the store by an async factory, so it is
 * read only after the store opened) and the dispatcher the domain emits into. It sits below the declared
 * state (expired overrides) and the intents (emergency stop and resume); the loop's events are connected
 * by StateModule, which sits above the loop. On shutdown the dispatcher stops before the activity log flushes.
 */
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import type { Config } from '../config/config';
import { CLOCK, CONFIG } from '../config/config.module';
import { MetricsModule } from '../metrics/metrics.module';
import { PrometheusMetrics } from '../metrics/prometheus-metrics';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotifierRegistry } from './notifier-registry';

/** Provides NotifierRegistry and NotificationDispatcher (the NotificationSink of the domain). */
@Module({
  imports: [StoreModule, ActivityModule, MetricsModule],
  providers: [
    {
      provide: NotifierRegistry,
      useFactory: async (store: Store, activity: ActivityService) => {
        const registry = new NotifierRegistry(store.settings, activity);
        await registry.load();
        return registry;
      },
      inject: [STORE, ActivityService],
    },
    {
      provide: NotificationDispatcher,
      useFactory: (registry: NotifierRegistry, activity: ActivityService, metrics: PrometheusMetrics, config: Config, clock: () => number) => {
        const dispatcher = new NotificationDispatcher(() => registry.list(), { activity, allowedHosts: config.allowedNotifyHosts, observer: metrics, clock });
        registry.onSaved(() => dispatcher.prepareTransport());
        if (registry.list().length > 0) dispatcher.prepareTransport();
        return dispatcher;
      },
      inject: [NotifierRegistry, ActivityService, PrometheusMetrics, CONFIG, CLOCK],
    },
  ],
  exports: [NotifierRegistry, NotificationDispatcher],
})
export class NotifyModule implements OnApplicationShutdown {
  constructor(@Inject(NotificationDispatcher) private readonly dispatcher: NotificationDispatcher) {}

  /** Runs before ActivityModule's (shutdown hooks go from the root down), so what it records is flushed. */
  onApplicationShutdown(): void {
    this.dispatcher.stop();
  }
}
