/**
 * Figure 1 (convergence) and figure 7 (memory). Per repetition, interleaved: the plain client sends the
 * fleet its three passes (all inactive, as the orchestrator does at start; all active; all inactive),
 * then an orchestrator child starts, settles, applies `full` (confirmed) and stops all. Both sides are
 * timed from the instant the request leaves the bench to the last scenario's own record of its change.
 */
import * as path from 'node:path';
import { ratioRow, type SuiteContext } from '../support/context';
import type { BenchFleet } from '../support/fleet';
import { startOrchestratorChild, postIntent, waitSettled, workDir, type OrchestratorChild } from '../support/orchestrator';
import { request } from '../support/http';
import { forkNode, IpcPeer, residentMemory, stopChild } from '../support/proc';
import { median } from '../support/stats';
import type { BaselineTransport } from '../baselines/state-client';

/** Issue #15's memory target: the orchestrator's peak RSS at most this many times the plain client's, in the same run. */
export const MEMORY_RATIO_MAX = 1.5;

/** One timed pass: from the request to the last scenario's change. */
export interface Timed {
  ms: number;
  detail: Record<string, unknown>;
}

/** Convergence times of one side (baseline or product) in one repetition. */
export interface Cycle {
  apply: Timed;
  stop: Timed;
  /** Peak RSS of the process that sent the calls, in MB, when /proc has it. */
  peakMb: number | null;
}

/** Runs the repetitions at one fleet size; returns the last orchestrator alive when `keepLast`, for the next suites. */
export async function runConvergence(ctx: SuiteContext, fleet: BenchFleet, keepLast: boolean): Promise<OrchestratorChild | null> {
  const n = fleet.scenarios.length;
  const baseline: Cycle[] = [];
  const nodeHttp: Cycle[] = [];
  const product: Cycle[] = [];
  let kept: OrchestratorChild | null = null;
  const ready: number[] = [];
  for (let rep = 1; rep <= ctx.options.reps; rep++) {
    ctx.log(`convergence N=${n} rep ${rep}/${ctx.options.reps}: baseline client`);
    baseline.push(await baselineCycle(ctx, fleet, 'http1'));
    ctx.log(`convergence N=${n} rep ${rep}/${ctx.options.reps}: node:http client, for the record`);
    nodeHttp.push(await baselineCycle(ctx, fleet, 'node-http'));
    ctx.log(`convergence N=${n} rep ${rep}/${ctx.options.reps}: orchestrator`);
    const orchestrator = await startOrchestratorChild({ scenariosDir: fleet.dir, workDir: await workDir(ctx.workRoot, `conv-${n}`), maxInFlight: ctx.options.maxInFlight, profileDir: ctx.options.profileDir, heapProfileDir: ctx.options.heapProfileDir, memoryTraceDir: ctx.options.memoryTraceDir });
    ready.push(orchestrator.readyMs);
    try {
      product.push(await productCycle(ctx, fleet, orchestrator));
    } catch (error) {
      await orchestrator.stop();
      throw error;
    }
    if (keepLast && rep === ctx.options.reps) kept = orchestrator;
    else await orchestrator.stop();
    ctx.log(`  baseline apply ${baseline.at(-1)?.apply.ms} ms, stop ${baseline.at(-1)?.stop.ms} ms; product apply ${product.at(-1)?.apply.ms} ms, stop ${product.at(-1)?.stop.ms} ms`);
  }
  record(ctx, n, baseline, nodeHttp, product, ready);
  return kept;
}

function record(ctx: SuiteContext, n: number, baseline: Cycle[], nodeHttp: Cycle[], product: Cycle[], ready: number[]): void {
  const atTarget = n === ctx.options.targetN;
  const reps = `median of ${product.length}`;
  for (const [id, label, max] of [['convergence.apply', '1 apply full → all active', 3], ['convergence.stopAll', '1 stop-all → all inactive', 2]] as const) {
    const pick = (cycles: Cycle[]) => cycles.map((cycle) => (id === 'convergence.apply' ? cycle.apply : cycle.stop));
    const ours = median(pick(product).map((t) => t.ms));
    ctx.rows.push(
      ratioRow(
        {
          id, figure: label, n, unit: 'ms', ours,
          baseline: median(pick(baseline).map((t) => t.ms)),
          baselineLabel: `plain client on the orchestrator's HTTP transport, ${ctx.options.maxInFlight} in flight, ${reps}`,
          note: `first scenario changed after ${median(pick(product).map((t) => t.detail.firstMs as number))} ms (baseline ${median(pick(baseline).map((t) => t.detail.firstMs as number))} ms)`,
          details: { product: pick(product), baseline: pick(baseline) },
        },
        { max, applies: atTarget },
      ),
    );
    // For the record: the same calls from node:http, the client a plain Node program would use.
    const nodeMs = median(pick(nodeHttp).map((t) => t.ms));
    ctx.rows.push({
      id: `${id}.nodeHttp`, figure: `${label} (against node:http)`, n, unit: 'ms', ours, baseline: nodeMs,
      baselineLabel: `plain node:http client, one keep-alive agent, ${ctx.options.maxInFlight} in flight, ${reps}`,
      ratio: ours !== null && nodeMs ? Math.round((ours / nodeMs) * 1000) / 1000 : null, target: 'none', verdict: 'info', note: null, details: { nodeHttp: pick(nodeHttp) },
    });
  }
  ctx.rows.push({
    id: 'startup.readyAtN', figure: '6 start → ready with the fleet', n, unit: 'ms', ours: median(ready), baseline: null, baselineLabel: null, ratio: null,
    target: 'none', verdict: 'info', note: null, details: { samples: ready },
  });
  if (n === Math.max(...ctx.options.sizes)) {
    // Each repetition is a fresh process: the worst peak is the figure.
    const worst = (cycles: Cycle[]) => {
      const peaks = cycles.map((cycle) => cycle.peakMb).filter((mb): mb is number => mb !== null);
      return peaks.length ? Math.max(...peaks) : null;
    };
    const peak = worst(product);
    const plainPeak = worst(baseline);
    ctx.rows.push(
      ratioRow(
        {
          id: 'memory.peakRss', figure: '7 peak RSS after apply + stop-all', n, unit: 'MB', ours: peak, baseline: plainPeak, baselineLabel: "peak RSS of the plain client, same calls, same run (worst of its processes)",
          note: peak === null ? 'not available: no /proc on this platform' : `worst of ${product.length} orchestrator process${product.length > 1 ? 'es' : ''}; the node:http client peaked at ${worst(nodeHttp)} MB`,
          details: { product: product.map((c) => c.peakMb), baseline: baseline.map((c) => c.peakMb), nodeHttp: nodeHttp.map((c) => c.peakMb) },
        },
        { max: MEMORY_RATIO_MAX, applies: atTarget && peak !== null && plainPeak !== null },
      ),
    );
  }
}

/** The plain client's three passes over the fleet; the first (all inactive) only warms connections, as the orchestrator's start-up pass does. */
async function baselineCycle(ctx: SuiteContext, fleet: BenchFleet, transport: BaselineTransport): Promise<Cycle> {
  const child = forkNode(path.join(__dirname, '..', 'baselines', 'state-client.js'));
  const peer = new IpcPeer(child);
  const targets = fleet.scenarios.map((scenario) => ({ url: `${scenario.url}${scenario.stateEndpoint}` }));
  const send = (state: 'active' | 'inactive') => peer.request<Record<string, unknown>>({ type: 'run', targets, state, concurrency: ctx.options.maxInFlight, transport });
  try {
    await send('inactive');
    const apply = await timed(fleet, 'active', () => send('active'));
    const stop = await timed(fleet, 'inactive', () => send('inactive'));
    return { apply, stop, peakMb: residentMemory(child.process.pid as number)?.peakMb ?? null };
  } finally {
    await peer.request({ type: 'close' }).catch(() => undefined);
    await stopChild(child);
  }
}

/** The orchestrator's cycle: settle, apply full, settle, stop-all, then resume so the next suite can act. */
export async function productCycle(ctx: SuiteContext, fleet: BenchFleet, orchestrator: OrchestratorChild): Promise<Cycle> {
  const n = fleet.scenarios.length;
  await waitSettled(orchestrator.api, waitBudget(n));
  const apply = await timed(fleet, 'active', () => postIntent(orchestrator.api, '/presets/full/apply', { confirm: true }), orchestrator);
  await waitSettled(orchestrator.api, waitBudget(n));
  const stop = await timed(fleet, 'inactive', () => postIntent(orchestrator.api, '/stop-all', { reason: 'benchmark' }), orchestrator);
  await waitSettled(orchestrator.api, waitBudget(n));
  orchestrator.lastMassActionAt = Date.now();
  await postIntent(orchestrator.api, '/resume');
  return { apply, stop, peakMb: orchestrator.memory()?.peakMb ?? null };
}

/**
 * Sends `start()` and waits until every scenario reports `state`; the time is taken from the scenarios'
 * own record of their last change, so polling intervals do not count. The request's own answer (the
 * API answers after a bounded wait) is reported alongside.
 */
async function timed(fleet: BenchFleet, state: 'active' | 'inactive', start: () => Promise<unknown>, orchestrator?: OrchestratorChild): Promise<Timed> {
  const n = fleet.scenarios.length;
  const t0 = Date.now();
  const answer = start().then(
    (reply) => ({ reply, ms: Date.now() - t0 }),
    (error: unknown) => ({ reply: String(error), ms: Date.now() - t0 }),
  );
  await fleet.waitActive((active) => (state === 'active' ? active === n : active === 0), waitBudget(n), `every scenario ${state}`).catch(async (error: Error) => {
    const stuck = await fleet.stragglers(state);
    throw new Error(`${error.message}; not ${state} on their own endpoint: ${JSON.stringify(stuck)}${orchestrator ? await stragglers(orchestrator, state, stuck) : ''}`);
  });
  const last = await fleet.lastChange(state, t0);
  const first = await fleet.firstChange(state, t0);
  const { reply, ms } = await answer;
  const status = (reply as { status?: number }).status ?? null;
  return { ms: (last.at ?? Date.now()) - t0, detail: { firstMs: first.at === null ? null : first.at - t0, changes: last.changes, answeredMs: ms, status } };
}

/** A convergence normally takes seconds; this is long enough for a slow machine and short enough to report a stuck one. */
function waitBudget(n: number): number {
  return 60_000 + n * 5;
}

/** What the orchestrator says about the scenarios that did not reach `state`, for the error message. */
async function stragglers(orchestrator: OrchestratorChild, state: 'active' | 'inactive', stuck: Record<string, unknown>[]): Promise<string> {
  try {
    const reply = await request(`${orchestrator.api}/scenarios?state=${state === 'active' ? 'inactive' : 'active'}&limit=5`);
    const body = reply.body as { total: number; scenarios: { id: string; observedState: string; desiredState: string; reason: string | null; message: string | null }[] };
    const lines = body.scenarios.map((s) => `${s.id}: observed ${s.observedState}, desired ${s.desiredState}, ${s.reason ?? 'no reason'}${s.message ? ` (${s.message})` : ''}`);
    const views = await Promise.all(stuck.map(async ({ id }) => JSON.stringify((await request(`${orchestrator.api}/scenarios/${id}`)).body)));
    const logs = await Promise.all(stuck.map(async ({ id }) => JSON.stringify((await request(`${orchestrator.api}/activity?scenario=${id}&limit=20`)).body)));
    return `; the orchestrator lists ${body.total} not ${state}: ${lines.join('; ')}; its view of the stuck ones: ${views.join(' ')}; their activity: ${logs.join(' ')}`;
  } catch (error) {
    return `; the orchestrator did not answer: ${(error as Error).message}`;
  }
}
