/**
 * Figure 6: process start to ready with the 138 real fixtures, against a bare NestJS app's boot (both
 * spawned the same way, interleaved, from spawn to their "listening" line), and a discovery scan of
 * scenario folders in a fresh process.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { boundRow, missingRow, ratioRow, type SuiteContext } from '../support/context';
import { paperScenarios, writeScenariosDir } from '../support/fleet';
import { startOrchestratorChild, workDir } from '../support/orchestrator';
import { spawnNode, stopChild } from '../support/proc';
import { median, ratio, summarize } from '../support/stats';
import { execFile } from 'node:child_process';

/** Boots the bare NestJS baseline (stock, or on the product's HTTP server) and returns its URL and boot time. */
export async function startBareNest(server: 'stock' | 'prototyped' = 'stock'): Promise<{ url: string; readyMs: number; stop: () => Promise<void> }> {
  const started = process.hrtime.bigint();
  const child = spawnNode(path.join(__dirname, '..', 'baselines', 'bare-nest.js'), [], server === 'prototyped' ? { BARE_NEST_SERVER: 'prototyped' } : {});
  const match = await child.waitFor(/bare-nest: (http:\/\/\S+)/, 60_000);
  return { url: match[1], readyMs: Number(process.hrtime.bigint() - started) / 1e6, stop: () => stopChild(child) };
}

/** Start-up with the real fixtures against the bare app. */
export async function runStartup(ctx: SuiteContext): Promise<void> {
  const fixtures = ctx.options.fixturesDir;
  if (!existsSync(fixtures)) {
    ctx.rows.push(missingRow('startup.ready', '6 start → ready, 138 real fixtures', 'ms', 'ratio ≤ 1.5', `fixtures not found at ${fixtures} (pass --fixtures)`));
    return;
  }
  const dir = await workDir(ctx.workRoot, 'startup');
  // The measured starts are restarts, as an operator's are: they find the store file an earlier start created
  // (the unmeasured first round creates it and warms the page cache). A first start into an empty DATA_DIR
  // also creates the SQLite file and runs its migrations (a few fsyncs): timed beside it, for the record.
  const dataDir = await mkdtemp(path.join(dir, 'data-'));
  const product: number[] = [];
  const firstStarts: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run <= ctx.options.startupRuns; run++) {
    const nest = await startBareNest();
    await nest.stop();
    const orchestrator = await startOrchestratorChild({ scenariosDir: fixtures, workDir: dir, dataDir, maxInFlight: ctx.options.maxInFlight, profileDir: null });
    await orchestrator.stop();
    const first = await startOrchestratorChild({ scenariosDir: fixtures, workDir: dir, maxInFlight: ctx.options.maxInFlight, profileDir: null });
    await first.stop();
    if (run === 0) continue;
    bare.push(nest.readyMs);
    product.push(orchestrator.readyMs);
    firstStarts.push(first.readyMs);
  }
  ctx.log(`start-up: product ${summarize(product).p50.toFixed(0)} ms (first start ${summarize(firstStarts).p50.toFixed(0)} ms), bare NestJS ${summarize(bare).p50.toFixed(0)} ms`);
  ctx.rows.push(
    ratioRow(
      {
        id: 'startup.ready', figure: '6 start → ready, 138 real fixtures', n: null, unit: 'ms', ours: median(product), baseline: median(bare),
        baselineLabel: `bare NestJS app, median of ${bare.length}`, note: 'restart: DATA_DIR holds the store file', details: { product: summarize(product), bare: summarize(bare) },
      },
      { max: 1.5, applies: true },
    ),
    {
      id: 'startup.firstStart', figure: '6 first start → ready (empty DATA_DIR: store created)', n: null, unit: 'ms', ours: median(firstStarts), baseline: median(bare),
      baselineLabel: `bare NestJS app, median of ${bare.length}`, ratio: ratio(median(firstStarts), median(bare)), target: 'none', verdict: 'info', note: null,
      details: { product: summarize(firstStarts), bare: summarize(bare) },
    },
  );
}

/**
 * The discovery scan of `scanFolders` folders, in a fresh process per scan, against reading the same files
 * raw. Scans `dir` when given (the running fleet's folders, to save writing 10,000 more), else generates them.
 */
export async function runScan(ctx: SuiteContext, dir: string | null): Promise<void> {
  const n = ctx.options.scanFolders;
  const generated = dir === null ? await mkdtemp(path.join(ctx.workRoot, 'scan-')) : null;
  try {
    if (generated) await writeScenariosDir(generated, paperScenarios(n, 12_000));
    const folder = dir ?? (generated as string);
    const samples: { ms: number; found: number }[] = [];
    const raw: number[] = [];
    for (let run = 0; run < ctx.options.scanRuns; run++) {
      samples.push(await scanOnce(folder, false));
      raw.push((await scanOnce(folder, true)).ms);
    }
    const found = samples[0]?.found ?? 0;
    const times = samples.map((sample) => sample.ms);
    ctx.log(`scan of ${n} folders: ${median(times).toFixed(0)} ms (found ${found}); raw reads ${median(raw).toFixed(0)} ms`);
    ctx.rows.push(
      boundRow(
        {
          id: 'discovery.scan', figure: `6 scan of ${n} generated folders`, n, unit: 'ms', ours: median(times), baseline: median(raw), baselineLabel: 'readdir + readFile + JSON.parse, same concurrency',
          note: found === n ? 'fresh process per scan, warm page cache' : `found ${found} of ${n}`, details: { samples: times, raw },
        },
        { below: 1000, applies: n >= ctx.options.targetN },
      ),
    );
  } finally {
    if (generated) await rm(generated, { recursive: true, force: true });
  }
}

function scanOnce(dir: string, raw: boolean): Promise<{ ms: number; found: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, '..', 'support', 'scan-child.js'), dir, ...(raw ? ['--raw'] : [])], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`scan failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as { ms: number; found: number });
    });
  });
}
