/** What every suite gets: the options, a scratch directory, and one place to record rows and notes. */
import type { BenchOptions } from './args';
import type { FigureRow, Verdict } from './results';
import { ratio } from './stats';

/** The shared state of one run. */
export interface SuiteContext {
  options: BenchOptions;
  /** Scratch directory of this run (removed at the end). */
  workRoot: string;
  rows: FigureRow[];
  notes: string[];
  /** Progress on stderr, so stdout stays clean for whoever pipes the run. */
  log(message: string): void;
}

/** Builds a context that logs with the elapsed time. */
export function createContext(options: BenchOptions, workRoot: string): SuiteContext {
  const started = Date.now();
  return {
    options,
    workRoot,
    rows: [],
    notes: [],
    log: (message) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`),
  };
}

/** A row whose target is a ratio to the baseline (ours / baseline unless given); judged only when `applies` (e.g. at N = 10,000). */
export function ratioRow(
  base: Omit<FigureRow, 'ratio' | 'verdict' | 'target'> & { ratio?: number | null },
  limit: { max?: number; min?: number; applies: boolean; why?: string },
): FigureRow {
  const value = base.ratio ?? ratio(base.ours, base.baseline);
  const target = limit.max !== undefined ? `ratio ≤ ${limit.max}` : `ratio ≥ ${limit.min}`;
  let verdict: Verdict = 'n/a';
  if (limit.applies && value !== null) verdict = (limit.max !== undefined ? value <= limit.max : value >= (limit.min as number)) ? 'pass' : 'fail';
  const note = !limit.applies && limit.why ? [base.note, limit.why].filter(Boolean).join('; ') : base.note;
  return { ...base, ratio: value, target: scoped(target, limit), verdict, note };
}

/** A row whose target is an absolute bound (`ours < limit`). */
export function boundRow(base: Omit<FigureRow, 'ratio' | 'verdict' | 'target'> & { ratio?: number | null }, limit: { below: number; applies: boolean; why?: string }): FigureRow {
  const target = `< ${limit.below} ${base.unit}`;
  let verdict: Verdict = 'n/a';
  if (limit.applies && base.ours !== null && Number.isFinite(base.ours)) verdict = base.ours < limit.below ? 'pass' : 'fail';
  const note = !limit.applies && limit.why ? [base.note, limit.why].filter(Boolean).join('; ') : base.note;
  return { ...base, ratio: base.ratio ?? ratio(base.ours, base.baseline), target: scoped(target, limit), verdict, note };
}

/** The target as shown: in parentheses when not judged, with "at N = 10,000" unless another reason is given. */
function scoped(target: string, limit: { applies: boolean; why?: string }): string {
  if (limit.applies) return target;
  return limit.why ? `(${target})` : `(${target} at N = 10,000)`;
}

/** A row for a figure that could not be taken, with the reason. */
export function missingRow(id: string, figure: string, unit: string, target: string, why: string, n: number | null = null): FigureRow {
  return { id, figure, n, unit, ours: null, baseline: null, baselineLabel: null, ratio: null, target, verdict: 'n/a', note: why };
}
