/**
 * The Timers port over @nestjs/schedule's SchedulerRegistry: each timer is registered under its name (so
 * the registry lists it and TimersModule clears it at shutdown), and its next firing is kept beside it.
 * Timers are unref'd: the HTTP server, not a pending timer, is what keeps the process alive.
 */
// The registry's own file: the package index also loads cron and luxon (see timers.module.ts).
import { SchedulerRegistry } from '@nestjs/schedule/dist/scheduler.registry';
import type { TimerInfo, Timers } from '../common/timers';

/** Implements Timers with the registry's named intervals and timeouts. */
export class SchedulerTimers implements Timers {
  private readonly meta = new Map<string, TimerInfo>();

  constructor(private readonly registry: SchedulerRegistry) {}

  every(name: string, ms: number, fn: () => void): void {
    this.cancel(name);
    const info: TimerInfo = { name, kind: 'interval', everyMs: ms, nextAt: Date.now() + ms };
    const handle = setInterval(() => {
      info.nextAt = Date.now() + ms;
      fn();
    }, ms);
    handle.unref();
    this.registry.addInterval(name, handle);
    this.meta.set(name, info);
  }

  once(name: string, ms: number, fn: () => void): void {
    this.cancel(name);
    const info: TimerInfo = { name, kind: 'timeout', everyMs: null, nextAt: Date.now() + ms };
    const handle = setTimeout(() => {
      // Forgotten before it runs, so `fn` may set the same name again.
      if (this.meta.get(name) === info) this.forget(name, 'timeout');
      fn();
    }, ms);
    handle.unref();
    this.registry.addTimeout(name, handle);
    this.meta.set(name, info);
  }

  cancel(name: string): void {
    const info = this.meta.get(name);
    if (info) this.forget(name, info.kind);
  }

  list(): TimerInfo[] {
    // The registry is the truth: a timer it no longer holds (cleared at shutdown) is not listed.
    const held = new Set([...this.registry.getIntervals(), ...this.registry.getTimeouts()]);
    return [...this.meta.values()].filter((info) => held.has(info.name)).map((info) => ({ ...info })).sort((a, b) => a.nextAt - b.nextAt);
  }

  private forget(name: string, kind: TimerInfo['kind']): void {
    this.meta.delete(name);
    if (kind === 'interval' && this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    if (kind === 'timeout' && this.registry.doesExist('timeout', name)) this.registry.deleteTimeout(name);
  }
}

/** Timers of their own, for a class used outside the Nest application (unit tests, embeddings). */
export function standaloneTimers(): Timers {
  return new SchedulerTimers(new SchedulerRegistry());
}
