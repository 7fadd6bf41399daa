/**
 * The benchmark harness works: `--smoke` runs every suite at a tiny size (a fleet of 30, loads of 0.4 s)
 * and writes RESULTS.md and results.json with every figure. No timing is asserted here: benchmarks are
 * never pass/fail in `npm test`; `npm run bench` measures them.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURE_IDS } from '../bench/support/figures';
import type { RunRecord } from '../bench/support/results';

const RUN = join(__dirname, '..', 'dist', 'bench', 'run.js');

function runBench(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RUN, ...args], { timeout: 110_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr });
    });
  });
}

describe('bench --smoke', () => {
  let out: string;
  let result: { code: number | null; stderr: string };

  beforeAll(async () => {
    if (!existsSync(RUN)) throw new Error(`${RUN} is missing: run \`npm run build\` first (npm test does)`);
    out = await mkdtemp(join(tmpdir(), 'mo-bench-smoke-'));
    result = await runBench(['--smoke', '--out', out]);
  }, 120_000);
  afterAll(() => rm(out, { recursive: true, force: true }));

  it('runs every suite without a failure', () => {
    expect(result.stderr).not.toMatch(/suite \w+ failed/);
    expect(result.code).toBe(0);
  });

  it('writes results.json with every figure, each measured or explained', async () => {
    const record = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunRecord;
    expect(record.mode).toBe('smoke');
    expect(record.machine).toMatchObject({ cores: expect.any(Number), node: process.version, date: expect.any(String) });
    const ids = Object.values(FIGURE_IDS).flat().map((figure) => figure.id);
    expect(record.figures.map((row) => row.id)).toEqual(expect.arrayContaining(ids));
    // Each is measured, or not available with the reason (e.g. /metrics not built yet, fixtures missing).
    const unexplained = record.figures.filter((row) => row.ours === null && !(row.verdict === 'n/a' && row.note));
    expect(unexplained).toEqual([]);
    const baselined = ['convergence.apply', 'convergence.stopAll', 'stopAllUnderLoad', 'api.status.throughput', 'cli.status', 'windowEdge'];
    for (const id of baselined) expect(record.figures.find((row) => row.id === id)?.baseline).toEqual(expect.any(Number));
  });

  it('writes RESULTS.md with the table, the machine and the date', async () => {
    const markdown = await readFile(join(out, 'RESULTS.md'), 'utf8');
    expect(markdown).toContain('| # | Figure | N | Ours | Baseline (same run) | Ratio | Target | Result |');
    expect(markdown).toMatch(/- Machine: .+ cores/);
    expect(markdown).toMatch(/- Date: \d{4}-\d{2}-\d{2}T/);
    const record = JSON.parse(await readFile(join(out, 'results.json'), 'utf8')) as RunRecord;
    expect(markdown.split('\n').filter((line) => /^\| \d+ /.test(line))).toHaveLength(record.figures.length);
  });
});
