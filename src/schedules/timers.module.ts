/**
 * The timers module (global): @nestjs/schedule's SchedulerRegistry behind the Timers port, so every named
 * timer of the server is in one registry that lists them, and whatever is left is cleared at shutdown.
 *
 * The registry is provided on its own rather than through ScheduleModule.forRoot(): that module exists for
 * the cron decorators, which the server does not use (its window maths is its own), and loading it pulls
 * in the cron and luxon packages, about 300 ms of module loading measured unbundled, on every start.
 */
import { Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule/dist/scheduler.registry';
import { TIMERS } from '../common/timers';
import { SchedulerTimers } from './scheduler-timers';

/** Provides TIMERS (and the SchedulerRegistry under it) to every module. */
@Global()
@Module({
  providers: [SchedulerRegistry, { provide: TIMERS, useFactory: (registry: SchedulerRegistry) => new SchedulerTimers(registry), inject: [SchedulerRegistry] }],
  exports: [TIMERS, SchedulerRegistry],
})
export class TimersModule implements OnApplicationShutdown {
  constructor(private readonly registry: SchedulerRegistry) {}

  /** Last of all (a global module): clears any timer a module left behind, as ScheduleModule would. */
  onApplicationShutdown(): void {
    for (const name of this.registry.getIntervals()) this.registry.deleteInterval(name);
    for (const name of this.registry.getTimeouts()) this.registry.deleteTimeout(name);
  }
}
