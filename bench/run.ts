/**
 * `npm run bench [-- --quick | --smoke | flags]`: measures the product side by side with the physical
 * limit in the same run (issue #7) and writes bench/RESULTS.md and bench/results.json. Every program
 * measured runs in its own process: orchestrator, fleet shards, baseline client, load generator.
 * Benchmarks are never assertions: a missed target is reported, and the exit code is non-zero only when
 * a suite could not run.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseBenchArgs, repoRoot, usage, type BenchOptions, type SuiteName } from './support/args';
import { createContext, missingRow, type SuiteContext } from './support/context';
import { startBenchFleet } from './support/fleet';
import { closeHttp } from './support/http';
import { startOrchestratorChild, waitSettled, workDir, type OrchestratorChild } from './support/orchestrator';
import { describeMachine, writeResults } from './support/results';
import { round } from './support/stats';
import { runApi } from './suites/api';
import { runBacklog } from './suites/backlog';
import { runCli } from './suites/cli';
import { runExplain } from './suites/explain';
import { runLeases } from './suites/leases';
import { runConvergence } from './suites/convergence';
import { runMetrics } from './suites/metrics';
import { runNotify } from './suites/notify';
import { runSecurity } from './suites/security';
import { runScan, runStartup } from './suites/startup';
import { runWindowEdge } from './suites/window-edge';
import { runHa } from './suites/ha';
import { FIGURE_IDS } from './support/figures';

/** Runs one suite; on failure records the error and leaves n/a rows for its figures, then goes on. */
async function attempt(ctx: SuiteContext, suite: SuiteName, failures: string[], run: () => Promise<void>, n: number | null = null): Promise<void> {
  try {
    await run();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    ctx.log(`suite ${suite} failed: ${error instanceof Error ? error.stack : message}`);
    failures.push(`${suite}${n ? ` (N=${n})` : ''}: ${message}`);
    const short = message.length > 300 ? `${message.slice(0, 300)}… (full text in results.json)` : message;
    for (const figure of FIGURE_IDS[suite]) {
      if (figure.id === 'memory.peakRss' && n !== null && n !== Math.max(...ctx.options.sizes)) continue;
      if (ctx.rows.some((row) => row.id === figure.id && (n === null || row.n === n))) continue;
      ctx.rows.push(missingRow(figure.id, figure.figure, figure.unit, figure.target, `suite failed: ${short}`, n));
    }
  }
}

/** Convergence at every size; at the largest, the API, metrics, explain, window, notify and lease figures on the same fleet. */
async function fleetSuites(ctx: SuiteContext, failures: string[]): Promise<void> {
  const { options } = ctx;
  const has = (suite: SuiteName) => options.suites.has(suite);
  const largest = Math.max(...options.sizes);
  let scanned = !has('startup');
  for (const n of options.sizes) {
    const atLargest = n === largest;
    if (!has('convergence') && !(atLargest && (has('api') || has('metrics') || has('explain') || has('window') || has('notify') || has('leases')))) continue;
    ctx.log(`fleet of ${n} scenarios: starting`);
    const fleet = await startBenchFleet({ n, delayMs: options.delayMs, failRate: options.failRate, securityShare: options.windowShare, scenariosPerShard: options.scenariosPerShard });
    let orchestrator: OrchestratorChild | null = null;
    try {
      if (!scanned && n === options.scanFolders) {
        scanned = true;
        await attempt(ctx, 'startup', failures, () => runScan(ctx, fleet.dir));
      }
      const keep = atLargest && (has('api') || has('metrics') || has('explain') || has('notify'));
      if (has('convergence')) await attempt(ctx, 'convergence', failures, async () => void (orchestrator = await runConvergence(ctx, fleet, keep)), n);
      if (keep && !orchestrator) orchestrator = await settledOrchestrator(ctx, fleet.dir, n);
      const running = orchestrator as OrchestratorChild | null;
      if (atLargest && has('api') && running) await attempt(ctx, 'api', failures, () => runApi(ctx, running, fleet));
      if (atLargest && has('metrics') && running) await attempt(ctx, 'metrics', failures, () => runMetrics(ctx, running, n));
      if (atLargest && has('explain') && running) await attempt(ctx, 'explain', failures, () => runExplain(ctx, running, n), n);
      if (atLargest && has('notify') && running) await attempt(ctx, 'notify', failures, () => runNotify(ctx, running, fleet));
      await running?.stop();
      orchestrator = null;
      if (atLargest && has('window')) await attempt(ctx, 'window', failures, () => runWindowEdge(ctx, fleet));
      if (atLargest && has('leases')) await attempt(ctx, 'leases', failures, () => runLeases(ctx, fleet), n);
    } finally {
      await (orchestrator as OrchestratorChild | null)?.stop();
      await fleet.stop();
    }
  }
  if (!scanned) await attempt(ctx, 'startup', failures, () => runScan(ctx, null));
}

async function settledOrchestrator(ctx: SuiteContext, scenariosDir: string, n: number): Promise<OrchestratorChild> {
  const orchestrator = await startOrchestratorChild({ scenariosDir, workDir: await workDir(ctx.workRoot, `api-${n}`), maxInFlight: ctx.options.maxInFlight, profileDir: ctx.options.profileDir });
  await waitSettled(orchestrator.api, 120_000 + n * 30).catch(async (error: unknown) => {
    await orchestrator.stop();
    throw error;
  });
  orchestrator.lastMassActionAt = Date.now();
  return orchestrator;
}

/** A warning when the machine was busy before or after the run (other work competes for the 2 cores). */
function noiseNote(before: number[], after: number[]): string | null {
  const cores = os.cpus().length;
  const worst = Math.max(before[0], after[0]);
  if (worst <= 0.3 * cores) return null;
  return `the machine was busy (1-minute load ${before[0]} before, ${after[0]} after, on ${cores} cores): absolute figures are noisy; ratios less so, since each baseline ran in the same minutes`;
}

function runNotes(options: BenchOptions): string[] {
  const notes: string[] = [];
  if (options.mode !== 'full') notes.push(`${options.mode} mode: fewer repetitions and shorter loads than the full run; targets at N = ${options.targetN} are judged only when that size was run`);
  if (options.note) notes.push(options.note);
  notes.push(`fleet: demo scenarios of examples/ in ${options.scenariosPerShard}-scenario processes, response delay ${options.delayMs} ms, failure rate ${options.failRate}; orchestrator MAX_IN_FLIGHT ${options.maxInFlight} (baseline concurrency the same)`);
  return notes;
}

async function main(argv: string[]): Promise<number> {
  const parsed = parseBenchArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const options = parsed;
  const root = repoRoot();
  if (!existsSync(path.join(root, 'dist', 'server', 'main.js'))) throw new Error('dist/server/main.js is missing: run `npm run build` (npm run bench does)');
  const machine = describeMachine(root);
  const workRoot = await mkdtemp(path.join(os.tmpdir(), 'mo-bench-'));
  const ctx = createContext(options, workRoot);
  ctx.notes.push(...runNotes(options));
  if (options.profileDir) await mkdir(options.profileDir, { recursive: true });
  if (options.heapProfileDir) await mkdir(options.heapProfileDir, { recursive: true });
  if (options.memoryTraceDir) await mkdir(options.memoryTraceDir, { recursive: true });
  const failures: string[] = [];
  const started = Date.now();
  try {
    if (options.suites.has('startup')) await attempt(ctx, 'startup', failures, () => runStartup(ctx));
    if (options.suites.has('cli')) await attempt(ctx, 'cli', failures, () => runCli(ctx));
    await fleetSuites(ctx, failures);
    if (options.suites.has('backlog')) await attempt(ctx, 'backlog', failures, () => runBacklog(ctx));
    if (options.suites.has('ha')) await attempt(ctx, 'ha', failures, () => runHa(ctx));
    if (options.suites.has('security')) await attempt(ctx, 'security', failures, () => runSecurity(ctx));
  } finally {
    closeHttp();
    await rm(workRoot, { recursive: true, force: true });
  }
  machine.loadAfter = os.loadavg().map(round);
  const noise = noiseNote(machine.loadBefore, machine.loadAfter);
  if (noise) ctx.notes.unshift(noise);
  for (const failure of failures) ctx.notes.push(`suite failed: ${failure.length > 300 ? `${failure.slice(0, 300)}… (full text in results.json)` : failure}`);
  await mkdir(options.outDir, { recursive: true });
  const serializable = { ...options, suites: [...options.suites] };
  const files = await writeResults(options.outDir, { mode: options.mode, options: serializable, machine, durationS: Math.round((Date.now() - started) / 1000), figures: ctx.rows, notes: ctx.notes, failures });
  const missed = ctx.rows.filter((row) => row.verdict === 'fail').map((row) => `${row.id}${row.n ? ` (N=${row.n})` : ''}`);
  ctx.log(`wrote ${files.markdown} and ${files.json}; ${missed.length ? `targets missed: ${missed.join(', ')}` : 'no target missed'}`);
  if (options.profileDir) ctx.log(`CPU profiles in ${options.profileDir}: summarise with node dist/bench/support/cpuprofile.js FILE`);
  if (options.heapProfileDir) ctx.log(`allocation profiles in ${options.heapProfileDir}: summarise with node dist/bench/support/heapprofile.js FILE`);
  if (options.memoryTraceDir) ctx.log(`memory traces in ${options.memoryTraceDir}: summarise with node dist/bench/support/memory-trace.js FILE`);
  return failures.length ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
