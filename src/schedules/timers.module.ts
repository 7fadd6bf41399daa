/**
 * The timers module (global): @nestjs/schedule's SchedulerRegistry behind the Timers port, so every named
 * timer of the server is in one registry that lists them and clears them at shutdown.
 */
import { Global, Module } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { TIMERS } from '../common/timers';
import { SchedulerTimers } from './scheduler-timers';

/** Provides TIMERS to every module. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [{ provide: TIMERS, useFactory: (registry: SchedulerRegistry) => new SchedulerTimers(registry), inject: [SchedulerRegistry] }],
  exports: [TIMERS],
})
export class TimersModule {}
