/**
 * Figure 3: from the instant a schedule window opens to the first activation call a scenario receives.
 * The orchestrator runs in this process with a fake clock (`Date.now() + offset`, the only way to open
 * a window without waiting for a real minute boundary); before each sample the offset jumps so that the
 * next minute boundary (an every-minute window of 1 s) is a few hundred ms ahead, and a pass re-arms the
 * edge timer, as any change would. The fleet stays in its own processes and stamps each change it applies.
 * Baseline: a plain `setTimeout` to the same kind of instant, then one POST from this process.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { loadConfig } from '../../src/config/config';
import { startServer, type RunningServer } from '../../src/server';
import { boundRow, type SuiteContext } from '../support/context';
import type { BenchFleet } from '../support/fleet';
import { requestOk } from '../support/http';
import { benchEnv, waitSettled, workDir, writeBenchPolicy } from '../support/orchestrator';
import { sleep } from '../support/proc';
import { summarize } from '../support/stats';

const MINUTE = 60_000;
/** An opening with no activation after this long counts as a miss (the window itself lasts 1 s). */
const OPEN_WAIT_MS = 5000;

/** Measures `windowSamples` openings, and as many plain timer + POST baselines. */
export async function runWindowEdge(ctx: SuiteContext, fleet: BenchFleet): Promise<void> {
  const n = fleet.scenarios.length;
  const selected = fleet.securityIds.length;
  const baseline = await baselineSamples(ctx, fleet);
  const fake = { offset: 0 };
  const dir = await workDir(ctx.workRoot, 'window');
  const env = benchEnv({ scenariosDir: fleet.dir, dataDir: path.join(dir, 'data'), policyFile: await writeBenchPolicy(dir), maxInFlight: ctx.options.maxInFlight });
  const server = await startServer(loadConfig(env), { clock: () => Date.now() + fake.offset });
  const api = `${server.url}/api/v1`;
  const latencies: number[] = [];
  let missed = 0;
  try {
    await waitSettled(api, 120_000 + n * 30);
    // Park the fake clock mid-minute so the window is not open when it is created.
    fake.offset = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE / 2 - Date.now();
    await requestOk(`${api}/schedules`, { body: { name: 'bench-edge', preset: 'security', cron: '* * * * *', duration: '1s', timeZone: 'UTC', kind: 'allow' } });
    ctx.log(`window edge N=${n}: ${ctx.options.windowSamples} openings, ${selected} scenarios selected`);
    for (let sample = 0; sample < ctx.options.windowSamples; sample++) {
      const latency = await oneOpening(server, fleet, fake, selected);
      if (latency === null) missed++;
      else latencies.push(latency);
    }
  } finally {
    await server.close();
  }
  const ours = summarize(latencies);
  const base = summarize(baseline);
  ctx.log(`  window edge p50 ${ours.p50} ms, p99 ${ours.p99} ms; plain timer + POST p99 ${base.p99} ms`);
  const note = [
    `p50 ${ours.p50} ms, max ${ours.max} ms over ${ours.n} openings (p99 = max below 100 samples); ${selected} of ${n} scenarios in the window's preset; ms resolution`,
    missed ? `${missed} openings activated nothing within ${OPEN_WAIT_MS / 1000} s (a miss)` : null,
  ];
  const row = boundRow(
    {
      id: 'windowEdge', figure: '3 window opens → first activation received, p99', n, unit: 'ms', ours: ours.p99, baseline: base.p99,
      baselineLabel: `setTimeout + one POST, p99 of ${base.n}`, note: note.filter(Boolean).join('; '), details: { samples: latencies, missed, baseline },
    },
    { below: 100, applies: true },
  );
  ctx.rows.push(missed > 0 ? { ...row, verdict: 'fail' } : row);
}

/**
 * One opening: jump the fake clock to `lead` ms before the next minute boundary, request a pass (which
 * re-arms the edge timer, as any change would), wait for the selected scenarios to turn active and then
 * inactive again when the 1 s window closes. Returns the latency in ms, or null when the window produced
 * no activation at all within OPEN_WAIT_MS (a miss, reported as such).
 */
async function oneOpening(server: RunningServer, fleet: BenchFleet, fake: { offset: number }, selected: number): Promise<number | null> {
  const since = Date.now();
  const lead = 250 + Math.floor(Math.random() * 100);
  const boundary = Math.ceil((Date.now() + fake.offset + lead + 50) / MINUTE) * MINUTE;
  fake.offset = boundary - lead - Date.now();
  const openingInstant = boundary - fake.offset;
  server.orchestrator.reconciler.request();
  await fleet.waitActive((active) => active >= selected, OPEN_WAIT_MS, 'the window to open').catch(() => undefined);
  const first = await fleet.firstChange('active', since);
  await fleet.waitActive((active) => active === 0, 30_000, 'the window to close');
  await sleep(50);
  return first.at === null ? null : first.at - openingInstant;
}

/** Plain timers firing a POST at a scenario, timed the same way (the scenario's arrival stamp). */
async function baselineSamples(ctx: SuiteContext, fleet: BenchFleet): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true });
  const target = fleet.scenarios.find((scenario) => fleet.securityIds.includes(scenario.id)) ?? fleet.scenarios[0];
  const url = `${target.url}${target.stateEndpoint}`;
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ maintenanceState: 'inactive', state: 'inactive' });
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  await post();
  const samples: number[] = [];
  for (let i = 0; i < ctx.options.windowSamples; i++) {
    const since = Date.now();
    const instant = since + 50 + Math.floor(Math.random() * 100);
    await new Promise<void>((resolve, reject) => setTimeout(() => post().then(resolve, reject), instant - Date.now()));
    const first = await fleet.firstChange('inactive', since);
    samples.push((first.at ?? Number.NaN) - instant);
  }
  agent.destroy();
  return samples;
}
