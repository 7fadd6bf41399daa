/**
 * How far V8 may let the old generation grow past what the last full collection kept. V8's own factor
 * adapts between 1.1 and 4; at 10,000 scenarios it chose about 3 during a mass action and under API load,
 * and the garbage, not the live set, made the process's peak memory: 227-232 MB after apply and stop-all,
 * 255-323 MB under API load (bench/FINDINGS.md). A tighter bound costs full collections, each in proportion
 * to the live set, so the bound follows the work:
 * - while a mass action's calls are queued, 1.2: their garbage is what piles up;
 * - otherwise 1.5: under API load, 1.2 cost a fifth more CPU per request, 1.5 about 6 %. (That was when
 *   API requests still promoted their garbage; since src/api/express-adapter.ts and
 *   src/young-generation.ts they promote none, and the bound is not reached under API load.)
 */
import * as v8 from 'node:v8';

/** The bound while a mass action runs, in percent over what the last full collection kept. */
export const MASS_ACTION_HEAP_GROWING_PERCENT = 20;
/** The bound otherwise. */
export const STEADY_HEAP_GROWING_PERCENT = 50;
/** Scenario calls queued or running from which the work counts as a mass action... */
export const MASS_ACTION_ENTER_CALLS = 500;
/** ...and below which it is over (apart, so a queue hovering at the edge does not flip the bound). */
export const MASS_ACTION_LEAVE_CALLS = 100;
/** How often the queue is looked at. */
const CHECK_INTERVAL_MS = 200;

/** Whether node was started with its own --heap-growing-percent (which then wins); `nodeArgs` as young-generation.ts's nodeArguments. */
export function isHeapGrowthGiven(nodeArgs: readonly string[]): boolean {
  return nodeArgs.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
}

/** The bound for a queue of `calls`, given the bound now (the band between enter and leave keeps it). */
export function heapGrowingPercent(calls: number, current: number): number {
  if (calls >= MASS_ACTION_ENTER_CALLS) return MASS_ACTION_HEAP_GROWING_PERCENT;
  if (calls < MASS_ACTION_LEAVE_CALLS) return STEADY_HEAP_GROWING_PERCENT;
  return current;
}

/**
 * Keeps V8's growth bound in step with the executor's queue. A process-wide setting: only a process that
 * serves (npm start, `serve`) runs one, not a test that embeds the app. It starts after the server bundle
 * was compiled, so V8 still accepts the bundle's code cache (written without the flag).
 */
export class HeapGrowthGovernor {
  private percent = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly calls: () => number,
    private readonly apply: (percent: number) => void = (percent) => v8.setFlagsFromString(`--heap-growing-percent=${percent}`),
  ) {}

  /** Sets the bound now and follows the queue; does nothing when node was given its own bound. */
  start(nodeArgs: readonly string[] = process.execArgv): void {
    if (isHeapGrowthGiven(nodeArgs) || this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The bound set last (0 before start). */
  get current(): number {
    return this.percent;
  }

  private check(): void {
    const next = heapGrowingPercent(this.calls(), this.percent);
    if (next === this.percent) return;
    this.percent = next;
    this.apply(next);
  }
}
