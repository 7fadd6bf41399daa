/** Per-scenario retry delay: exponential, capped, with jitter so a fleet that failed together does not retry together. */

const BASE_MS = 1_000;
const CAP_MS = 60_000;

/** Delay before attempt `failures + 1`; `random` is injectable for tests. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const exponential = Math.min(CAP_MS, BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
