/** Small statistics over samples: percentiles by nearest rank, so a p99 of fewer than 100 samples is the max. */

/** Percentiles and friends of one sample set, in the samples' unit. */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile `p` (0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

/** The median (p50 by nearest rank). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Summarises samples; every field is NaN when there are none. */
export function summarize(values: readonly number[]): Summary {
  const mean = values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
  return {
    n: values.length,
    min: values.length ? Math.min(...values) : Number.NaN,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean,
  };
}

/** `ours / baseline`, or null when either is missing or the baseline is not positive. */
export function ratio(ours: number | null, baseline: number | null): number | null {
  if (ours === null || baseline === null || !Number.isFinite(ours) || !Number.isFinite(baseline) || baseline <= 0) return null;
  return ours / baseline;
}

/** Rounds for tables: 3 significant digits below 100, whole numbers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}
