/**
 * The schedules module: stored schedules, the optional calendar feed and the optional blackout feed, which
 * together are the loop's window source; window edges are announced through the notify module's dispatcher. Both feeds are read at bootstrap and refreshed on named timers.
 */
import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG, EDGES, type EdgeOverrides } from '../config/config.module';
import { NotificationDispatcher } from '../notify/notification-dispatcher';
import { NotifyModule } from '../notify/notify.module';
import { PresetCatalog } from '../presets/preset-catalog';
import { PresetsModule } from '../presets/presets.module';
import type { WindowSource } from '../state/declared-state';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { BlackoutFeed } from './blackout-feed';
import { CalendarService } from './calendar.service';
import { ScheduleService } from './schedule.service';

/** The calendar feed (ENABLE_CALENDAR with CALENDAR_URL), or null. */
export const CALENDAR = Symbol('CALENDAR');
/** The blackout feed (BLACKOUT_CALENDAR_URL), or null. */
export const BLACKOUT_FEED = Symbol('BLACKOUT_FEED');
/** Open windows as the loop reads them: the schedules, unless an edge replaced them. */
export const WINDOW_SOURCE = Symbol('WINDOW_SOURCE');

/** Provides ScheduleService, CALENDAR and WINDOW_SOURCE. */
@Module({
  imports: [StoreModule, PresetsModule, ActivityModule, NotifyModule],
  providers: [
    {
      provide: CALENDAR,
      useFactory: (config: Config, presets: PresetCatalog, activity: ActivityService, clock: () => number, timers: Timers): CalendarService | null =>
        config.enableCalendar && config.calendarUrl
          ? new CalendarService(config.calendarUrl, config.allowedHosts, () => presets.list().map((preset) => preset.id), activity, config.calendarRefreshMs, clock, timers)
          : null,
      inject: [CONFIG, PresetCatalog, ActivityService, CLOCK, TIMERS],
    },
    {
      provide: BLACKOUT_FEED,
      useFactory: (config: Config, activity: ActivityService, clock: () => number, timers: Timers): BlackoutFeed | null =>
        config.blackoutCalendarUrl ? new BlackoutFeed(config.blackoutCalendarUrl, config.allowedHosts, activity, config.calendarRefreshMs, clock, timers) : null,
      inject: [CONFIG, ActivityService, CLOCK, TIMERS],
    },
    {
      provide: ScheduleService,
      useFactory: async (store: Store, presets: PresetCatalog, activity: ActivityService, calendar: CalendarService | null, blackouts: BlackoutFeed | null, clock: () => number, notifications: NotificationDispatcher) => {
        const schedules = new ScheduleService(store.schedules, presets, activity, calendar, clock);
        if (blackouts) schedules.useBlackoutFeed(blackouts);
        schedules.useNotifications(notifications);
        await schedules.load();
        return schedules;
      },
      inject: [STORE, PresetCatalog, ActivityService, CALENDAR, BLACKOUT_FEED, CLOCK, NotificationDispatcher],
    },
    { provide: WINDOW_SOURCE, useFactory: (schedules: ScheduleService, edges: EdgeOverrides): WindowSource => edges.windows ?? schedules, inject: [ScheduleService, EDGES] },
  ],
  exports: [ScheduleService, WINDOW_SOURCE],
})
export class SchedulesModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(CALENDAR) private readonly calendar: CalendarService | null,
    @Inject(BLACKOUT_FEED) private readonly blackouts: BlackoutFeed | null,
  ) {}

  /** Reads the calendar and the blackout feed once before the loop's first pass (a deeper module's hook), then on their timers. */
  async onApplicationBootstrap(): Promise<void> {
    await this.calendar?.start();
    await this.blackouts?.start();
  }

  /** Stops both refresh timers. */
  beforeApplicationShutdown(): void {
    this.calendar?.stop();
    this.blackouts?.stop();
  }
}
