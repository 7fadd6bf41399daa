/**
 * How far V8 may let the old generation grow past what the last full collection kept: 1.2 times, where
 * V8's own factor adapts between 1.1 and 4. In a mass action at 10,000 scenarios it chose about 3, and the
 * garbage of the calls in flight, not the live set, made the process's peak memory: 232 MB against 192 MB
 * with 1.2, at no cost to convergence the benchmark could tell from its noise (bench/FINDINGS.md).
 */
import * as v8 from 'node:v8';

/** The old generation's growth bound, in percent over what the last full collection kept. */
export const HEAP_GROWING_PERCENT = 20;

/** Whether node was started with its own --heap-growing-percent (which then wins). */
export function isHeapGrowthGiven(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
}

/**
 * Sets HEAP_GROWING_PERCENT for this process, unless node was given its own. A process-wide setting: only
 * a process that serves (npm start, `serve`) calls it, not a test that embeds the app. Set after the
 * server bundle was compiled, so V8 still accepts the bundle's code cache (written without it).
 */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv): void {
  if (!isHeapGrowthGiven(execArgv)) v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
