/**
 * The schedules module: stored schedules and the optional calendar feed, which together are the loop's
 * window source. The calendar is read at bootstrap and refreshed on a named timer.
 */
import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ActivityModule } from '../activity/activity.module';
import { ActivityService } from '../activity/activity.service';
import { TIMERS, type Timers } from '../common/timers';
import type { Config } from '../config/config';
import { CLOCK, CONFIG, EDGES, type EdgeOverrides } from '../config/config.module';
import { PresetCatalog } from '../presets/preset-catalog';
import { PresetsModule } from '../presets/presets.module';
import type { WindowSource } from '../state/declared-state';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { CalendarService } from './calendar.service';
import { ScheduleService } from './schedule.service';

/** The calendar feed (ENABLE_CALENDAR with CALENDAR_URL), or null. */
export const CALENDAR = Symbol('CALENDAR');
/** Open windows as the loop reads them: the schedules, unless an edge replaced them. */
export const WINDOW_SOURCE = Symbol('WINDOW_SOURCE');

/** Provides ScheduleService, CALENDAR and WINDOW_SOURCE. */
@Module({
  imports: [StoreModule, PresetsModule, ActivityModule],
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
      provide: ScheduleService,
      useFactory: async (store: Store, presets: PresetCatalog, activity: ActivityService, calendar: CalendarService | null, clock: () => number) => {
        const schedules = new ScheduleService(store.schedules, presets, activity, calendar, clock);
        await schedules.load();
        return schedules;
      },
      inject: [STORE, PresetCatalog, ActivityService, CALENDAR, CLOCK],
    },
    { provide: WINDOW_SOURCE, useFactory: (schedules: ScheduleService, edges: EdgeOverrides): WindowSource => edges.windows ?? schedules, inject: [ScheduleService, EDGES] },
  ],
  exports: [ScheduleService, WINDOW_SOURCE],
})
export class SchedulesModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(CALENDAR) private readonly calendar: CalendarService | null) {}

  /** Reads the calendar once before the loop's first pass, then on its timer. */
  async onApplicationBootstrap(): Promise<void> {
    await this.calendar?.start();
  }

  beforeApplicationShutdown(): void {
    this.calendar?.stop();
  }
}
