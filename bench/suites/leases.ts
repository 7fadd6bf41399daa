/**
 * Figure 10 (SPEC 12, issue #20): activation leases at the largest fleet size. Two orchestrator children
 * on the same fleet, one after the other in the same run: one with the lease of the run (45 s; 3 s under
 * --smoke so the smoke run stays short), then one with ACTIVATION_LEASE=0 (the reference).
 *
 * - Renewal calls per second and the executor's queue depth: from the all-active instant through one full
 *   round of renewals (every active scenario renewed once), /metrics sampled every 250 ms.
 * - Stop-all during renewals: with a 45 s lease a scenario is renewed only every 15-19 s, so a stop-all at
 *   a random instant would usually meet an idle executor. The stop-all is therefore sent when the next
 *   round is in full swing (a quarter of the fleet renewed again since the round began), so renewal calls
 *   are queued and in flight when it lands. Timed, as convergence is, from the request to the last
 *   scenario's own record of going inactive; the ratio is against the reference child's stop-all, sent as
 *   long after its fleet went all active (see runLeases).
 */
import { ratioRow, type SuiteContext } from '../support/context';
import type { BenchFleet } from '../support/fleet';
import { request } from '../support/http';
import { postIntent, startOrchestratorChild, waitSettled, workDir, type OrchestratorChild } from '../support/orchestrator';
import { sleep } from '../support/proc';
import { median } from '../support/stats';

/** Issue #20's target: stop-all during renewals within this ratio of stop-all without leases. */
export const LEASE_STOP_RATIO_MAX = 1.2;

const SAMPLE_MS = 250;

/** One /metrics sample. */
interface Sample {
  at: number;
  /** maintenance_lease_renewals_total, all results. */
  renewals: number;
  depth: number;
}

/** One timed stop-all and what the executor held when it was sent. */
interface StopAll {
  ms: number;
  /** Renewals in the last sampled second before stop-all, per second. */
  renewalRateAtStop: number | null;
  depthAtStop: number | null;
  /** Scenarios switched on again after their stop-all deactivation (a renewal that outran it); must be 0. */
  lateActivations: number;
  /** From the fleet's all-active instant to the stop-all request. */
  sinceActiveMs: number;
}

/**
 * Runs the leased child, then the reference; records figure 10. Each reference stop-all is sent as long
 * after its fleet went all active as the leased one was: the scenario client drops a connection idle for
 * 5 s, so a stop-all sent at once (as this suite first did) found every connection open, while the leased
 * one, sent 20-odd seconds later, had to open most of them again. Timed alike, the two differ by the
 * renewals only.
 */
export async function runLeases(ctx: SuiteContext, fleet: BenchFleet): Promise<void> {
  const n = fleet.scenarios.length;
  const leaseSeconds = ctx.options.leaseSeconds;
  const reps = ctx.options.reps;
  // How long to wait for a straggling renewal to land after stop-all: the call timeout (5 s); short under --smoke.
  const grace = ctx.options.mode === 'smoke' ? 500 : 5_500;
  ctx.log(`leases N=${n}: ${leaseSeconds} s lease, one renewal round, then stop-all during the next`);
  const leased = await withOrchestrator(ctx, fleet, 'leases-on', `${leaseSeconds}s`, async (orchestrator) => {
    let round: RenewalRound | null = null;
    const stops: StopAll[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const activeAt = await activateAll(fleet, orchestrator);
      const start = await sample(orchestrator);
      if (rep === 0) round = await renewalRound(orchestrator, n, activeAt, start, leaseSeconds);
      // The next round (or, after the first repetition, the first): a quarter of the fleet renewed again.
      const from = rep === 0 && round ? round.end.renewals : start.renewals;
      const swing = await waitRenewals(orchestrator, from + Math.ceil(n / 4), leaseSeconds);
      stops.push(await timedStopAll(fleet, orchestrator, swing, grace, activeAt));
      await postIntent(orchestrator.api, '/resume');
    }
    return { round: round as RenewalRound | null, stops, expired: (await fleet.leaseCounters()).expiredLeases };
  });
  ctx.log(`leases N=${n}: reference stop-all without leases, each as long after all active as its leased one (${reps} rep${reps > 1 ? 's' : ''})`);
  const reference = await withOrchestrator(ctx, fleet, 'leases-off', '0', async (orchestrator) => {
    const stops: StopAll[] = [];
    for (const { sinceActiveMs } of leased.stops) {
      const activeAt = await activateAll(fleet, orchestrator);
      await sleep(Math.max(0, activeAt + sinceActiveMs - Date.now()));
      stops.push(await timedStopAll(fleet, orchestrator, null, grace, activeAt));
      await postIntent(orchestrator.api, '/resume');
    }
    return stops;
  });
  record(ctx, n, leaseSeconds, reference, leased.round, leased.stops, leased.expired);
}

function record(ctx: SuiteContext, n: number, leaseSeconds: number, reference: StopAll[], round: RenewalRound | null, stops: StopAll[], expired: number): void {
  const lease = `${leaseSeconds} s lease`;
  if (round) {
    ctx.rows.push({
      id: 'leases.renewalRate', figure: `10 lease renewal calls per second, ${lease}`, n, unit: 'calls/s', ours: round.meanRate, baseline: null, baselineLabel: null, ratio: null,
      target: 'none', verdict: 'info',
      note:
        `mean from all active to every scenario renewed once (${round.renewed} renewals in ${(round.spanMs / 1000).toFixed(1)} s); busiest second ${round.peakRate}/s; ` +
        `${expired ? `${expired} leases ran out before their renewal landed (the executor fell behind)` : 'no lease ran out before its renewal'}`,
      details: { round, expiredLeases: expired },
    });
    ctx.rows.push({
      id: 'leases.queueDepth', figure: `10 executor queue depth during a renewal round (max), ${lease}`, n, unit: 'calls', ours: round.maxDepth, baseline: null, baselineLabel: null, ratio: null,
      target: 'none', verdict: 'info',
      note: `maintenance_workqueue_depth sampled every ${SAMPLE_MS} ms over the round: mean ${round.meanDepth} while renewals ran (queued plus in flight; MAX_IN_FLIGHT ${ctx.options.maxInFlight})`,
      details: { depths: round.depths },
    });
  }
  const ours = median(stops.map((stop) => stop.ms));
  const baseline = median(reference.map((stop) => stop.ms));
  const late = stops.reduce((sum, stop) => sum + stop.lateActivations, 0);
  const atStop = stops.map((stop) => `${stop.renewalRateAtStop ?? '?'}/s, depth ${stop.depthAtStop ?? '?'}`).join('; ');
  ctx.rows.push(
    ratioRow(
      {
        id: 'leases.stopAll', figure: `10 stop-all → all inactive during lease renewals, ${lease}`, n, unit: 'ms', ours, baseline,
        baselineLabel: `the same stop-all from an orchestrator with ACTIVATION_LEASE=0, same fleet, same run, sent as long after all active (median of ${reference.length})`,
        note:
          `sent once a quarter of the fleet had been renewed again in a round, to land among renewals (renewal rate, queue depth when sent: ${atStop}; ` +
          `${stops.map((stop) => `${round1(stop.sinceActiveMs / 1000)} s`).join(', ')} after all active, the reference stop-alls as long after theirs: ${reference.map((stop) => `${stop.ms} ms`).join(', ')}); ` +
          `with a ${leaseSeconds} s lease each scenario renews only every ${round1(leaseSeconds / 3)}-${round1((leaseSeconds * 5) / 12)} s, so a stop-all at a random instant would often find none; ` +
          `${late ? `${late} scenarios went active again after their stop-all deactivation (must be 0)` : 'no scenario went active again after its stop-all deactivation'}`,
        details: { leased: stops, reference },
      },
      { max: LEASE_STOP_RATIO_MAX, applies: n === ctx.options.targetN && late === 0, why: late ? 'a renewal outran stop-all' : undefined },
    ),
  );
}

/** Starts a child with ACTIVATION_LEASE=`lease`, runs `body`, stops the child whatever happens. */
async function withOrchestrator<T>(ctx: SuiteContext, fleet: BenchFleet, name: string, lease: string, body: (orchestrator: OrchestratorChild) => Promise<T>): Promise<T> {
  const orchestrator = await startOrchestratorChild({
    scenariosDir: fleet.dir, workDir: await workDir(ctx.workRoot, name), maxInFlight: ctx.options.maxInFlight, profileDir: ctx.options.profileDir, env: { ACTIVATION_LEASE: lease },
  });
  try {
    return await body(orchestrator);
  } finally {
    await orchestrator.stop();
  }
}

/** Applies `full` and waits until every scenario reports active and nothing progresses; returns when. */
async function activateAll(fleet: BenchFleet, orchestrator: OrchestratorChild): Promise<number> {
  const n = fleet.scenarios.length;
  await waitSettled(orchestrator.api, budget(n));
  await postIntent(orchestrator.api, '/presets/full/apply', { confirm: true });
  await fleet.waitActive((active) => active === n, budget(n), 'every scenario active');
  await waitSettled(orchestrator.api, budget(n));
  return Date.now();
}

/** Sends stop-all and times it by the scenarios' own clocks; `swing` is what the executor held just before. */
async function timedStopAll(fleet: BenchFleet, orchestrator: OrchestratorChild, swing: Swing | null, graceMs: number, activeAt: number): Promise<StopAll> {
  const n = fleet.scenarios.length;
  const t0 = Date.now();
  const answer = postIntent(orchestrator.api, '/stop-all', { reason: 'benchmark: leases' });
  await fleet.waitActive((active) => active === 0, budget(n), 'every scenario inactive');
  await answer;
  const last = await fleet.lastChange('inactive', t0);
  // A renewal still in flight when stop-all went out has had time to land by now (ACTION_TIMEOUT is 5 s).
  await waitSettled(orchestrator.api, budget(n));
  await sleep(graceMs);
  const late = await fleet.reactivated(t0);
  return { ms: (last.at ?? Date.now()) - t0, renewalRateAtStop: swing?.rate ?? null, depthAtStop: swing?.depth ?? null, lateActivations: late, sinceActiveMs: t0 - activeAt };
}

/** A round of renewals: every active scenario renewed once. */
interface RenewalRound {
  renewed: number;
  spanMs: number;
  meanRate: number;
  peakRate: number;
  maxDepth: number;
  meanDepth: number;
  depths: number[];
  end: Sample;
}

/** Samples /metrics until `n` renewals have been sent since `start` (one round), and summarises them. */
async function renewalRound(orchestrator: OrchestratorChild, n: number, activeAt: number, start: Sample, leaseSeconds: number): Promise<RenewalRound> {
  const samples: Sample[] = [start];
  const deadline = Date.now() + leaseSeconds * 1000 + 120_000;
  while (samples[samples.length - 1].renewals - start.renewals < n) {
    if (Date.now() > deadline) throw new Error(`only ${samples[samples.length - 1].renewals - start.renewals} of ${n} leases renewed within ${leaseSeconds} s + 120 s`);
    await sleep(SAMPLE_MS);
    samples.push(await sample(orchestrator));
  }
  const end = samples[samples.length - 1];
  // While renewals ran: from the sample before the first renewal to the last.
  const first = Math.max(0, samples.findIndex((s) => s.renewals > start.renewals) - 1);
  const busy = samples.slice(first);
  const depths = busy.map((s) => s.depth);
  let peakRate = 0;
  for (let i = 0; i < samples.length; i++) {
    const later = samples.find((s) => s.at >= samples[i].at + 1000);
    if (later) peakRate = Math.max(peakRate, Math.round(((later.renewals - samples[i].renewals) * 1000) / (later.at - samples[i].at)));
  }
  const spanMs = end.at - activeAt;
  return {
    renewed: end.renewals - start.renewals, spanMs, meanRate: Math.round(((end.renewals - start.renewals) * 1000) / spanMs), peakRate,
    maxDepth: Math.max(...depths), meanDepth: Math.round(depths.reduce((a, b) => a + b, 0) / depths.length), depths, end,
  };
}

/** What the executor held as stop-all was sent. */
interface Swing {
  rate: number;
  depth: number;
}

/** Waits until the renewal counter reaches `target`; returns the renewal rate over the last second and the depth. */
async function waitRenewals(orchestrator: OrchestratorChild, target: number, leaseSeconds: number): Promise<Swing> {
  const samples: Sample[] = [await sample(orchestrator)];
  const deadline = Date.now() + leaseSeconds * 1000 + 120_000;
  while (samples[samples.length - 1].renewals < target) {
    if (Date.now() > deadline) throw new Error(`the renewal counter did not reach ${target} within ${leaseSeconds} s + 120 s`);
    await sleep(SAMPLE_MS);
    samples.push(await sample(orchestrator));
  }
  const last = samples[samples.length - 1];
  const before = [...samples].reverse().find((s) => s.at <= last.at - 1000) ?? samples[0];
  return { rate: last.at > before.at ? Math.round(((last.renewals - before.renewals) * 1000) / (last.at - before.at)) : 0, depth: last.depth };
}

/** Reads the renewal counter and the queue depth from /metrics. */
async function sample(orchestrator: OrchestratorChild): Promise<Sample> {
  const reply = await request(`${orchestrator.url}/metrics`, { timeoutMs: 60_000 });
  if (reply.status !== 200) throw new Error(`GET /metrics: HTTP ${reply.status}`);
  let renewals = 0;
  let depth = 0;
  for (const line of reply.text.split('\n')) {
    if (line.startsWith('maintenance_lease_renewals_total{')) renewals += Number(line.slice(line.lastIndexOf(' ') + 1));
    else if (line.startsWith('maintenance_workqueue_depth ')) depth = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return { at: Date.now(), renewals, depth };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function budget(n: number): number {
  return 60_000 + n * 5;
}
