/**
 * Figure 4: the API under load (50 keep-alive connections, closed loop) against a bare NestJS route
 * returning a constant, each in its own process, loaded by a third process. The load runs in rounds of
 * bare route, the bare route on the product's HTTP server (an info row), /status, /scenarios/{id}; each
 * ratio is taken within its round and the figure is the median of the rounds, so the drift of a shared
 * machine hits both sides. Then the paged list, one request at a time, as a dashboard asks for it.
 */
import { boundRow, ratioRow, type SuiteContext } from '../support/context';
import type { BenchFleet } from '../support/fleet';
import { request, requestOk } from '../support/http';
import { hasAutocannon, runLoad, type LoadResult, type LoadSpec } from '../support/load';
import type { OrchestratorChild } from '../support/orchestrator';
import { sleep } from '../support/proc';
import { median, summarize } from '../support/stats';
import { startBareNest } from './startup';

/** Loads the bare route and the two product routes in rounds; then pages the list. */
export async function runApi(ctx: SuiteContext, orchestrator: OrchestratorChild, fleet: BenchFleet): Promise<void> {
  const n = fleet.scenarios.length;
  const { options } = ctx;
  const loader = options.loader === 'autocannon' && !hasAutocannon() ? 'builtin' : options.loader;
  if (loader !== options.loader) ctx.notes.push('autocannon is not installed: the builtin load generator was used');
  ctx.notes.push(`API loads: ${loader}, ${options.connections} connections, ${options.durationMs / 1000} s per route in ${options.apiRounds} rounds (bare, bare on the product's HTTP server, /status, /scenarios/{id}; ratios taken within each round, median reported) after ${options.warmupMs / 1000} s of warm-up, from a separate process`);
  if (options.stallWatch) await watchStall(ctx, orchestrator, n);
  const ids = shuffled(fleet.scenarios.map((scenario) => scenario.id)).map((id) => `/api/v1/scenarios/${id}`);
  const rounds = await loadRounds(ctx, orchestrator, ids, loader);
  memoryRow(ctx, orchestrator, n);
  const bareP99 = median(rounds.map((round) => round.bare.latency.p99));
  routeRows(ctx, rounds, n, 'status', 'GET /api/v1/status', bareP99);
  routeRows(ctx, rounds, n, 'scenario', 'GET /api/v1/scenarios/{id}', bareP99);
  await pageFigure(ctx, orchestrator, n, bareP99);
}

/** The rounds of loads: the bare route (stock, then on the product's server), /status, /scenarios/{id}. */
async function loadRounds(ctx: SuiteContext, orchestrator: OrchestratorChild, ids: string[], loader: LoadSpec['loader']): Promise<Round[]> {
  const { options } = ctx;
  const rounds: Round[] = [];
  const roundMs = Math.max(100, Math.round(options.durationMs / options.apiRounds));
  const servers: { stop(): Promise<void> }[] = [];
  try {
    const bare = await startBareNest();
    servers.push(bare);
    // The same bare route on the product's HTTP server (src/api/express-adapter.ts), for an info row: how far
    // the product is from the framework once both get that server.
    const prototyped = await startBareNest('prototyped');
    servers.push(prototyped);
    ctx.log(`api N=${ids.length}: ${options.apiRounds} rounds of ${roundMs / 1000} s per route, ${options.connections} connections, ${loader} loader`);
    for (let index = 0; index < options.apiRounds; index++) {
      // Warm-up before the first round only: later rounds meet warm code and warm sockets.
      const warmupMs = index === 0 ? options.warmupMs : 0;
      const run = (origin: string, paths: string[]) => runLoad({ origin, paths, connections: options.connections, durationMs: roundMs, warmupMs, loader });
      const round = {
        bare: await run(bare.url, ['/constant']),
        prototyped: await run(prototyped.url, ['/constant']),
        status: await run(orchestrator.url, ['/api/v1/status']),
        scenario: await run(orchestrator.url, ids),
      };
      rounds.push(round);
      ctx.log(`  round ${index + 1}: bare ${round.bare.rps.toFixed(0)} req/s p99 ${round.bare.latency.p99.toFixed(1)} ms; on the product's server ${round.prototyped.rps.toFixed(0)} req/s; status ${round.status.rps.toFixed(0)} req/s p99 ${round.status.latency.p99.toFixed(1)} ms; scenario ${round.scenario.rps.toFixed(0)} req/s p99 ${round.scenario.latency.p99.toFixed(1)} ms`);
    }
  } finally {
    await Promise.allSettled(servers.map((server) => server.stop()));
  }
  return rounds;
}

/**
 * What the process holds after the API loads, beside the convergence peak (API requests promoted their
 * garbage before session 4: bench/FINDINGS.md).
 */
function memoryRow(ctx: SuiteContext, orchestrator: OrchestratorChild, n: number): void {
  const memory = orchestrator.memory();
  if (!memory) return;
  ctx.rows.push({
    id: 'memory.rssAfterApi', figure: '7 RSS after the API loads (current, and peak of the process so far)', n, unit: 'MB', ours: memory.currentMb, baseline: null,
    baselineLabel: null, ratio: null, target: 'none', verdict: 'info', note: `peak of the process (convergence and API): ${Math.round(memory.peakMb)} MB`, details: memory,
  });
}

/** One product route's rows: throughput and p99 against the stock bare route, throughput against the same server. */
function routeRows(ctx: SuiteContext, rounds: Round[], n: number, key: 'status' | 'scenario', route: string, bareP99: number): void {
  const atTarget = n === ctx.options.targetN;
  const bareLabel = `bare NestJS route, median of ${rounds.length} rounds`;
  const runs = rounds.map((round) => round[key]);
  const ours = median(runs.map((run) => run.rps));
  const non2xx = sum(runs.map((run) => run.non2xx));
  const errors = sum(runs.map((run) => run.errors));
  const failures = non2xx + errors ? `${non2xx} non-2xx, ${errors} errors` : null;
  const details = { rounds: rounds.map((round) => ({ bare: round.bare, product: round[key] })) };
  const throughput = rounds.map((round) => round[key].rps / round.bare.rps);
  const latency = rounds.map((round) => round[key].latency.p99 / round.bare.latency.p99);
  const againstPrototyped = rounds.map((round) => round[key].rps / round.prototyped.rps);
  ctx.rows.push(
    ratioRow(
      { id: `api.${key}.throughput`, figure: `4 ${route} throughput`, n, unit: 'req/s', ours, baseline: median(rounds.map((round) => round.bare.rps)), ratio: median(throughput), baselineLabel: bareLabel, note: [failures, spread(throughput)].filter(Boolean).join('; '), details },
      { min: 0.9, applies: atTarget },
    ),
  );
  ctx.rows.push({
    id: `api.${key}.throughputOnSameServer`, figure: `4 ${route} throughput against the bare route on the product's HTTP server`, n, unit: 'req/s',
    ours, baseline: median(rounds.map((round) => round.prototyped.rps)), baselineLabel: `bare NestJS route on PrototypedExpressAdapter, median of ${rounds.length} rounds`,
    ratio: median(againstPrototyped), target: 'none', verdict: 'info', note: spread(againstPrototyped),
  });
  ctx.rows.push(
    ratioRow(
      { id: `api.${key}.p99`, figure: `4 ${route} p99 latency`, n, unit: 'ms', ours: median(runs.map((run) => run.latency.p99)), baseline: bareP99, ratio: median(latency), baselineLabel: bareLabel, note: spread(latency) },
      { max: 2, applies: atTarget },
    ),
  );
}

/** How long after a mass action the orchestrator's idle keep-alive connections close (Http1Pool's idleTimeoutMs). */
const IDLE_SOCKET_TIMEOUT_MS = 5000;

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
    id: 'api.stallAfterMassAction', figure: '4 GET /health worst latency, 0–11 s after a mass action', n, unit: 'ms', ours: worst.ms, baseline: summary.p50,
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

/** One round: the bare route (stock, then on the product's server), then the two product routes, each loaded for the same time. */
interface Round {
  bare: LoadResult;
  prototyped: LoadResult;
  status: LoadResult;
  scenario: LoadResult;
}

/** The ratio of each round, the figure being their median. */
function spread(ratios: number[]): string | null {
  if (ratios.length < 2) return null;
  return `ratio per round ${ratios.map((value) => value.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}, spread ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
