/** The Timers port over a real SchedulerRegistry: names, replacement, cancellation and the listing. */
// The registry's own file: the package index also loads cron and luxon (see timers.module.ts).
import { SchedulerRegistry } from '@nestjs/schedule/dist/scheduler.registry';
import { SchedulerTimers } from './scheduler-timers';

describe('SchedulerTimers', () => {
  let registry: SchedulerRegistry;
  let timers: SchedulerTimers;
  beforeEach(() => {
    jest.useFakeTimers({ now: Date.parse('2026-03-01T12:00:00Z') });
    registry = new SchedulerRegistry();
    timers = new SchedulerTimers(registry);
  });
  afterEach(() => {
    for (const timer of timers.list()) timers.cancel(timer.name);
    jest.useRealTimers();
  });

  it('registers intervals and timeouts in the SchedulerRegistry under their names', () => {
    timers.every('discovery.rescan', 60_000, () => undefined);
    timers.once('reconciler.wake', 5_000, () => undefined);
    expect(registry.getIntervals()).toEqual(['discovery.rescan']);
    expect(registry.getTimeouts()).toEqual(['reconciler.wake']);
  });

  it('lists every pending timer soonest first, with when it fires next', () => {
    const now = Date.now();
    timers.every('discovery.rescan', 60_000, () => undefined);
    timers.once('reconciler.wake', 5_000, () => undefined);
    expect(timers.list()).toEqual([
      { name: 'reconciler.wake', kind: 'timeout', everyMs: null, nextAt: now + 5_000 },
      { name: 'discovery.rescan', kind: 'interval', everyMs: 60_000, nextAt: now + 60_000 },
    ]);
  });

  it('runs an interval every period and moves its next firing on', () => {
    let runs = 0;
    const start = Date.now();
    timers.every('history.sample', 10_000, () => runs++);
    jest.advanceTimersByTime(25_000);
    expect(runs).toBe(2);
    expect(timers.list()[0].nextAt).toBe(start + 30_000);
  });

  it('runs a timeout once, then forgets it, and lets the callback set the same name again', () => {
    const fired: number[] = [];
    const arm = () => timers.once('reconciler.pass', 100, () => {
      fired.push(Date.now());
      if (fired.length < 2) arm();
    });
    arm();
    jest.advanceTimersByTime(1_000);
    expect(fired).toHaveLength(2);
    expect(registry.getTimeouts()).toEqual([]);
    expect(timers.list()).toEqual([]);
  });

  it('replaces a timer set again under the same name, so only the last one fires', () => {
    const fired: string[] = [];
    timers.once('reconciler.wake', 1_000, () => fired.push('first'));
    timers.once('reconciler.wake', 2_000, () => fired.push('second'));
    jest.advanceTimersByTime(5_000);
    expect(fired).toEqual(['second']);
  });

  it('cancels by name, and cancelling an unknown name does nothing', () => {
    let runs = 0;
    timers.every('calendar.refresh', 1_000, () => runs++);
    timers.cancel('calendar.refresh');
    timers.cancel('never.set');
    jest.advanceTimersByTime(5_000);
    expect(runs).toBe(0);
    expect(registry.getIntervals()).toEqual([]);
  });

  it('does not list a timer the registry no longer holds (cleared by the framework at shutdown)', () => {
    timers.every('activity.prune', 600_000, () => undefined);
    registry.deleteInterval('activity.prune');
    expect(timers.list()).toEqual([]);
  });
});
