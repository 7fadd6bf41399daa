/**
 * Figure 2: stop-all under load. A fleet whose scenarios each take `backlogDelayMs` to answer; `full` is
 * applied, and half a response time after the first activations land (one wave active, the next in
 * flight, the rest queued) stop-all is sent. Timed from stop-all to the later of: the last scenario's own
 * change to inactive, and the API's answer (which waits for the deactivations to settle). Baseline: the
 * plain client deactivating the same fleet, all active, with no backlog. Also recorded: the product's own
 * stop-all with no backlog, and any activation that landed after stop-all (there must be none).
 */
import * as path from 'node:path';
import { ratioRow, type SuiteContext } from '../support/context';
import { startBenchFleet, type BenchFleet } from '../support/fleet';
import { postIntent, startOrchestratorChild, waitSettled, workDir, type OrchestratorChild } from '../support/orchestrator';
import { forkNode, IpcPeer, sleep, stopChild } from '../support/proc';

/** Starts the slow fleet, measures the baseline, then the product with and without a backlog. */
export async function runBacklog(ctx: SuiteContext): Promise<void> {
  const { options } = ctx;
  const n = options.backlogN;
  ctx.log(`stop-all under load: ${n} scenarios answering in ${options.backlogDelayMs} ms`);
  const fleet = await startBenchFleet({ n, delayMs: options.backlogDelayMs, failRate: 0, securityShare: 0.01, scenariosPerShard: options.scenariosPerShard });
  try {
    const baseline = await baselineDeactivation(ctx, fleet);
    const orchestrator = await startOrchestratorChild({ scenariosDir: fleet.dir, workDir: await workDir(ctx.workRoot, 'backlog'), maxInFlight: options.maxInFlight, profileDir: options.profileDir });
    try {
      await waitSettled(orchestrator.api, 120_000 + n * options.backlogDelayMs);
      const loaded = await stopUnderLoad(fleet, orchestrator, options.backlogDelayMs);
      await postIntent(orchestrator.api, '/resume');
      const calm = await stopWithoutBacklog(fleet, orchestrator);
      ctx.log(`  baseline ${baseline} ms; product under load ${loaded.ms} ms (${loaded.activeAtStop} active at stop-all); product without backlog ${calm.ms} ms`);
      const late = loaded.lateActivations ? `${loaded.lateActivations} activations landed after stop-all (must be 0)` : 'no activation landed after stop-all';
      ctx.rows.push(
        ratioRow(
          {
            id: 'stopAllUnderLoad', figure: `2 stop-all → all inactive, ${n} activations queued`, n, unit: 'ms', ours: loaded.ms, baseline,
            baselineLabel: 'plain client deactivating the same fleet, no backlog',
            note: `${loaded.activeAtStop} active when stop-all was sent; API answered in ${loaded.answeredMs} ms; ${late}; the product's own stop-all without backlog: ${calm.ms} ms`,
            details: { loaded, calm, baseline },
          },
          { max: 2, applies: loaded.lateActivations === 0, why: late },
        ),
      );
    } finally {
      await orchestrator.stop();
    }
  } finally {
    await fleet.stop();
  }
}

/** The plain client activates the whole fleet (untimed), then deactivates it: that second pass is the baseline. */
export async function baselineDeactivation(ctx: SuiteContext, fleet: BenchFleet): Promise<number> {
  const child = forkNode(path.join(__dirname, '..', 'baselines', 'state-client.js'));
  const peer = new IpcPeer(child);
  const targets = fleet.scenarios.map((scenario) => ({ url: `${scenario.url}${scenario.stateEndpoint}` }));
  try {
    await peer.request({ type: 'run', targets, state: 'active', concurrency: ctx.options.maxInFlight, transport: 'http1' });
    const t0 = Date.now();
    await peer.request({ type: 'run', targets, state: 'inactive', concurrency: ctx.options.maxInFlight, transport: 'http1' });
    const last = await fleet.lastChange('inactive', t0);
    return (last.at ?? Date.now()) - t0;
  } finally {
    await peer.request({ type: 'close' }).catch(() => undefined);
    await stopChild(child);
  }
}

/** Applies full, sends stop-all once the first activations land, and times it. */
async function stopUnderLoad(fleet: BenchFleet, orchestrator: OrchestratorChild, delayMs: number) {
  const budget = 120_000 + fleet.scenarios.length * delayMs;
  const applying = postIntent(orchestrator.api, '/presets/full/apply', { confirm: true });
  await fleet.waitActive((active) => active > 0, budget, 'the first activations');
  // Half a response time later the first wave has landed, the second is mid-flight and the rest is queued.
  await sleep(delayMs / 2);
  const activeAtStop = await fleet.activeCount();
  const t0 = Date.now();
  const stopping = postIntent(orchestrator.api, '/stop-all', { reason: 'benchmark: stop under load' });
  await fleet.waitActive((active) => active === 0, budget, 'every scenario inactive');
  const reply = await stopping;
  const answeredAt = Date.now();
  await applying;
  const last = await fleet.lastChange('inactive', t0);
  // Anything still in flight when stop-all was sent has had time to land by now.
  await sleep(delayMs + 500);
  const late = await fleet.lastChange('active', t0);
  const body = reply.body as { success?: boolean; stillActive?: string[] } | null;
  return {
    ms: Math.max(last.at ?? t0, answeredAt) - t0,
    scenariosInactiveMs: (last.at ?? t0) - t0,
    answeredMs: Math.round(reply.ms),
    status: reply.status,
    success: body?.success ?? null,
    stillActive: body?.stillActive?.length ?? null,
    activeAtStop,
    deactivationsSeen: last.changes,
    lateActivations: late.changes,
  };
}

/** The product's own stop-all once everything is active (no queue): a reference for the loaded case. */
export async function stopWithoutBacklog(fleet: BenchFleet, orchestrator: OrchestratorChild): Promise<{ ms: number; answeredMs: number }> {
  const n = fleet.scenarios.length;
  const budget = 120_000 + n * 1000;
  await postIntent(orchestrator.api, '/presets/full/apply', { confirm: true });
  await fleet.waitActive((active) => active === n, budget, 'every scenario active');
  await waitSettled(orchestrator.api, budget);
  const t0 = Date.now();
  const reply = await postIntent(orchestrator.api, '/stop-all', { reason: 'benchmark: stop without backlog' });
  const answeredAt = Date.now();
  await fleet.waitActive((active) => active === 0, budget, 'every scenario inactive');
  const last = await fleet.lastChange('inactive', t0);
  return { ms: Math.max(last.at ?? t0, answeredAt) - t0, answeredMs: Math.round(reply.ms) };
}
