/**
 * The timers port: every periodic or one-shot timer of the server is named and goes through this, so an
 * operator can list what the loop waits for (GET /api/v1/timers). The server implements it over
 * @nestjs/schedule's SchedulerRegistry (schedules/scheduler-timers.ts); classes take the port, not Nest.
 */

/** Injection token of the Timers port. */
export const TIMERS = Symbol('TIMERS');

/** One named timer and when it fires next. */
export interface TimerInfo {
  name: string;
  kind: 'interval' | 'timeout';
  /** The period of an interval; null for a one-shot timeout. */
  everyMs: number | null;
  /** Epoch ms of the next firing. */
  nextAt: number;
}

/** Named timers; a name holds one timer at a time, and setting it again replaces the previous one. */
export interface Timers {
  /** Runs `fn` every `ms` from now on, under `name`. */
  every(name: string, ms: number, fn: () => void): void;
  /** Runs `fn` once after `ms`, under `name`. */
  once(name: string, ms: number, fn: () => void): void;
  /** Cancels the timer `name`; nothing happens when there is none. */
  cancel(name: string): void;
  /** Every pending timer, soonest first. */
  list(): TimerInfo[];
}
