/** The clock and timers the lease runs on; injectable so tests can move time by hand. */

/** Time and one-shot timers. Handles are opaque to the caller. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `callback` after `ms`; the timer must not keep a process alive on its own. */
  setTimer(callback: () => void, ms: number): unknown;
  /** Cancels a timer from `setTimer`; a handle already fired or cleared is ignored. */
  clearTimer(handle: unknown): void;
}

/** The real clock: Date.now and unref'd node timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const timer = setTimeout(callback, ms);
    // A lease or heartbeat timer alone must not keep a scenario's process running after it closed its server.
    timer.unref();
    return timer;
  },
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
