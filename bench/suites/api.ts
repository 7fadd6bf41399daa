/**
 * Figure 4: the API under load (50 keep-alive connections, closed loop) against a bare NestJS route
 * returning a constant, each in its own process, loaded by a third process; the bare route is loaded
 * before and after the product routes and their mean is the baseline, so drift on a shared machine
 * hits both sides. Then the paged list, one request at a time, as a dashboard asks for it.
 */
import { boundRow, ratioRow, type SuiteContext } from '../support/context';
import type { BenchFleet } from '../support/fleet';
import { request, requestOk } from '../support/http';
import { hasAutocannon, runLoad, type LoadResult } from '../support/load';
import type { OrchestratorChild } from '../support/orchestrator';
import { sleep } from '../support/proc';
import { summarize } from '../support/stats';
import { startBareNest } from './startup';

/** Loads the bare route, the two product routes, the bare route again; then pages the list. */
export async function runApi(ctx: SuiteContext, orchestrator: OrchestratorChild, fleet: BenchFleet): Promise<void> {
  const n = fleet.scenarios.length;
  const { options } = ctx;
  const loader = options.loader === 'autocannon' && !hasAutocannon() ? 'builtin' : options.loader;
  if (loader !== options.loader) ctx.notes.push('autocannon is not installed: the builtin load generator was used');
  ctx.notes.push(`API loads: ${loader}, ${options.connections} connections, ${options.durationMs / 1000} s per route after ${options.warmupMs / 1000} s of warm-up, from a separate process`);
  const load = (origin: string, paths: string[]) => runLoad({ origin, paths, connections: options.connections, durationMs: options.durationMs, warmupMs: options.warmupMs, loader });
  if (options.stallWatch) await watchStall(ctx, orchestrator, n);
  const bare = await startBareNest();
  const ids = fleet.scenarios.map((scenario) => scenario.id);
  let runs: { bare1: LoadResult; status: LoadResult; scenario: LoadResult; bare2: LoadResult };
  try {
    ctx.log(`api N=${n}: ${options.durationMs / 1000} s per route, ${options.connections} connections, ${loader} loader`);
    const bare1 = await load(bare.url, ['/constant']);
    const status = await load(orchestrator.url, ['/api/v1/status']);
    const scenario = await load(orchestrator.url, shuffled(ids).map((id) => `/api/v1/scenarios/${id}`));
    const bare2 = await load(bare.url, ['/constant']);
    runs = { bare1, status, scenario, bare2 };
  } finally {
    await bare.stop();
  }
  const rps = (runs.bare1.rps + runs.bare2.rps) / 2;
  const p99 = (runs.bare1.latency.p99 + runs.bare2.latency.p99) / 2;
  ctx.log(`  bare ${rps.toFixed(0)} req/s p99 ${p99.toFixed(1)} ms; status ${runs.status.rps.toFixed(0)} req/s p99 ${runs.status.latency.p99.toFixed(1)} ms; scenario ${runs.scenario.rps.toFixed(0)} req/s p99 ${runs.scenario.latency.p99.toFixed(1)} ms`);
  const atTarget = n === options.targetN;
  const bareLabel = `bare NestJS route, mean of 2 runs`;
  for (const [key, route] of [['status', 'GET /api/v1/status'], ['scenario', 'GET /api/v1/scenarios/{id}']] as const) {
    const run = runs[key];
    const errors = run.non2xx + run.errors ? `${run.non2xx} non-2xx, ${run.errors} errors` : null;
    const details = { product: run, bare: [runs.bare1, runs.bare2] };
    ctx.rows.push(ratioRow({ id: `api.${key}.throughput`, figure: `4 ${route} throughput`, n, unit: 'req/s', ours: run.rps, baseline: rps, baselineLabel: bareLabel, note: errors, details }, { min: 0.9, applies: atTarget, }));
    ctx.rows.push(ratioRow({ id: `api.${key}.p99`, figure: `4 ${route} p99 latency`, n, unit: 'ms', ours: run.latency.p99, baseline: p99, baselineLabel: bareLabel, note: null }, { max: 2, applies: atTarget, }));
  }
  await pageFigure(ctx, orchestrator, n, p99);
}

/** How long after a mass action the orchestrator's idle keep-alive sockets time out (HttpScenarioClient's agent). */
const IDLE_SOCKET_TIMEOUT_MS = 30_000;

/**
 * Waits until the idle sockets of the last mass action have timed out (so the loads below measure the API,
 * not that), pinging GET /health meanwhile: the worst answer is the stall a user sees in that period.
 */
async function watchStall(ctx: SuiteContext, orchestrator: OrchestratorChild, n: number): Promise<void> {
  const until = orchestrator.lastMassActionAt + IDLE_SOCKET_TIMEOUT_MS + 6000;
  ctx.log(`  waiting ${Math.max(0, Math.round((until - Date.now()) / 1000))} s for the idle-socket timeouts of the last mass action, pinging /health`);
  const samples: { at: number; ms: number }[] = [];
  while (Date.now() < until) {
    samples.push({ at: Date.now() - orchestrator.lastMassActionAt, ms: (await request(`${orchestrator.url}/health`)).ms });
    await sleep(20);
  }
  const worst = samples.reduce((max, sample) => (sample.ms > max.ms ? sample : max), { at: 0, ms: 0 });
  const summary = summarize(samples.map((sample) => sample.ms));
  ctx.log(`  worst /health ${worst.ms.toFixed(0)} ms at ${(worst.at / 1000).toFixed(1)} s after the mass action (p50 ${summary.p50.toFixed(1)} ms)`);
  ctx.rows.push({
    id: 'api.stallAfterMassAction', figure: '4 GET /health worst latency, 0–36 s after a mass action', n, unit: 'ms', ours: worst.ms, baseline: summary.p50,
    baselineLabel: 'median of the same pings', ratio: null, target: 'none (diagnostic)', verdict: 'info',
    note: `worst at ${(worst.at / 1000).toFixed(1)} s after the last apply/stop-all settled; ${samples.filter((s) => s.ms > 100).length} of ${samples.length} pings over 100 ms`,
    details: { summary, worst, pings: samples.length },
  });
}

/** Pages and filters of GET /api/v1/scenarios, one at a time (a dashboard's pattern), after one warm-up each. */
async function pageFigure(ctx: SuiteContext, orchestrator: OrchestratorChild, n: number, bareP99: number): Promise<void> {
  const queries = ['limit=50', `limit=50&offset=${Math.floor(n / 2)}`, 'state=inactive&limit=50', 'tag=security&limit=50', 'q=bench-00&limit=50'];
  const times: number[] = [];
  const checks: string[] = [];
  for (const query of queries) {
    const warm = await requestOk(`${orchestrator.api}/scenarios?${query}`);
    const body = warm.body as { scenarios: unknown[]; total: number };
    if (!Array.isArray(body.scenarios) || body.scenarios.length > 50 || typeof body.total !== 'number') checks.push(`${query}: not paged (${body.scenarios?.length} items)`);
    for (let i = 0; i < ctx.options.pageSamples; i++) times.push((await requestOk(`${orchestrator.api}/scenarios?${query}`)).ms);
  }
  const whole = await request(`${orchestrator.api}/scenarios`, { timeoutMs: 60_000 });
  const summary = summarize(times);
  ctx.log(`  page of 50: p50 ${summary.p50.toFixed(1)} ms, p99 ${summary.p99.toFixed(1)} ms; whole list ${whole.ms.toFixed(0)} ms, ${whole.bytes} bytes`);
  ctx.rows.push(
    boundRow(
      {
        id: 'api.scenarios.page', figure: '4 GET /api/v1/scenarios page of 50 (filters), p99', n, unit: 'ms', ours: summary.p99, baseline: bareP99, baselineLabel: 'bare route p99 under load',
        note: [checks.join('; ') || null, `p50 ${summary.p50.toFixed(1)} ms; unpaged list: ${Math.round(whole.ms)} ms, ${Math.round(whole.bytes / 1024)} KiB`].filter(Boolean).join('; '),
        details: { queries, summary, whole: { ms: whole.ms, bytes: whole.bytes, status: whole.status } },
      },
      { below: 50, applies: n === ctx.options.targetN && checks.length === 0, why: checks.length ? 'paging check failed' : undefined },
    ),
  );
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
