/**
 * Figure 8: `GET /metrics` at the fleet size of the run: time per scrape (one at a time, as Prometheus
 * scrapes) and size. When the route is not there yet the figure is recorded as not available.
 */
import { boundRow, missingRow, type SuiteContext } from '../support/context';
import { request } from '../support/http';
import type { OrchestratorChild } from '../support/orchestrator';
import { summarize } from '../support/stats';

/** Scrapes `metricsScrapes` times after one warm-up. */
export async function runMetrics(ctx: SuiteContext, orchestrator: OrchestratorChild, n: number): Promise<void> {
  const first = await request(`${orchestrator.url}/metrics`, { timeoutMs: 60_000 });
  if (first.status === 404) {
    ctx.rows.push(missingRow('metrics.scrape', '8 GET /metrics scrape time', 'ms', '< 250 ms', 'not available: GET /metrics answers 404 in this build (being built); the code is ready', n));
    return;
  }
  if (first.status !== 200) throw new Error(`GET /metrics: HTTP ${first.status} ${first.text.slice(0, 200)}`);
  const times: number[] = [];
  let bytes = first.bytes;
  for (let i = 0; i < ctx.options.metricsScrapes; i++) {
    const reply = await request(`${orchestrator.url}/metrics`, { timeoutMs: 60_000 });
    times.push(reply.ms);
    bytes = reply.bytes;
  }
  const summary = summarize(times);
  ctx.log(`metrics N=${n}: p50 ${summary.p50.toFixed(1)} ms, max ${summary.max.toFixed(1)} ms, ${bytes} bytes`);
  ctx.rows.push(
    boundRow(
      { id: 'metrics.scrape', figure: '8 GET /metrics scrape time (max)', n, unit: 'ms', ours: summary.max, baseline: null, baselineLabel: null, note: `size ${(bytes / 1024).toFixed(0)} KiB; p50 ${summary.p50.toFixed(1)} ms`, details: { summary, bytes } },
      { below: 250, applies: n === ctx.options.targetN, },
    ),
  );
  ctx.rows.push({ id: 'metrics.size', figure: '8 GET /metrics size', n, unit: 'KiB', ours: bytes / 1024, baseline: null, baselineLabel: null, ratio: null, target: 'none', verdict: 'info', note: null });
}
