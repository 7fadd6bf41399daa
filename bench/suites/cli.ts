/**
 * Figure 5: `maintenance-orchestrator status --json` end to end (spawn to exit, against a running
 * orchestrator with the 138 real fixtures), against a minimal oclif CLI printing constant JSON and
 * against `node -e 0`; the three are interleaved so drift hits them alike.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/args';
import { ratioRow, type SuiteContext } from '../support/context';
import { startOrchestratorChild, workDir } from '../support/orchestrator';
import { median, summarize } from '../support/stats';

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
}

function timeCommand(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout }));
  });
}

/** Runs the three commands `cliRuns` times each (after one unmeasured run each). */
export async function runCli(ctx: SuiteContext): Promise<void> {
  const root = repoRoot();
  const scenariosDir = existsSync(ctx.options.fixturesDir) ? ctx.options.fixturesDir : path.join(root, 'examples', 'fleet');
  const orchestrator = await startOrchestratorChild({ scenariosDir, workDir: await workDir(ctx.workRoot, 'cli'), maxInFlight: ctx.options.maxInFlight, profileDir: null });
  const commands = {
    product: [path.join(root, 'bin', 'run.js'), 'status', '--json', '--url', orchestrator.url],
    oclif: [path.join(root, 'bench', 'baselines', 'oclif-min', 'bin', 'run.js'), 'status', '--json'],
    node: ['-e', '0'],
  };
  const times: Record<keyof typeof commands, number[]> = { product: [], oclif: [], node: [] };
  try {
    for (let run = 0; run <= ctx.options.cliRuns; run++) {
      for (const [name, args] of Object.entries(commands) as [keyof typeof commands, string[]][]) {
        const result = await timeCommand(args);
        if (result.code !== 0) throw new Error(`${name} CLI exited ${result.code}: ${result.stdout.slice(0, 300)}`);
        if (name !== 'node') JSON.parse(result.stdout);
        if (run > 0) times[name].push(result.ms);
      }
    }
  } finally {
    await orchestrator.stop();
  }
  ctx.log(`cli: product ${median(times.product).toFixed(0)} ms, minimal oclif ${median(times.oclif).toFixed(0)} ms, node -e 0 ${median(times.node).toFixed(0)} ms`);
  ctx.rows.push(
    ratioRow(
      {
        id: 'cli.status', figure: '5 CLI status --json, wall time', n: null, unit: 'ms', ours: median(times.product), baseline: median(times.oclif),
        baselineLabel: `minimal oclif command, median of ${times.oclif.length}`,
        note: `node -e 0: ${Math.round(median(times.node))} ms (product ${(median(times.product) / median(times.node)).toFixed(2)}× of it)`,
        details: { product: summarize(times.product), oclif: summarize(times.oclif), node: summarize(times.node) },
      },
      { max: 1.5, applies: true },
    ),
  );
  ctx.rows.push({
    id: 'cli.nodeFloor', figure: '5 node -e 0, wall time', n: null, unit: 'ms', ours: median(times.node), baseline: null, baselineLabel: null, ratio: null,
    target: 'none (floor)', verdict: 'info', note: null, details: { node: summarize(times.node) },
  });
}
