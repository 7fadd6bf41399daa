/**
 * `node dist/bench/support/scan-child.js DIR [--raw]`: one discovery scan in a fresh process (cold JIT,
 * warm page cache), timed around the product's own `scanScenariosDir`; with `--raw`, the physical limit
 * instead: list the folders, read every service.json and JSON.parse it, with the scanner's concurrency.
 * Prints `{"ms":..,"found":..}`.
 */
import { readdir, readFile } from 'node:fs';
import * as path from 'node:path';
import { scanScenariosDir } from '../../src/discovery/scanner';

/** The scanner's read concurrency (READ_CONCURRENCY in src/discovery/scanner.ts). */
const CONCURRENCY = 128;

async function rawScan(dir: string): Promise<number> {
  const names = await new Promise<string[]>((resolve, reject) => readdir(dir, (error, list) => (error ? reject(error) : resolve(list))));
  let next = 0;
  let found = 0;
  const worker = async () => {
    while (next < names.length) {
      const file = path.join(dir, names[next++], '.vrooli', 'service.json');
      const text = await new Promise<string | null>((resolve) => readFile(file, 'utf8', (error, data) => resolve(error ? null : data)));
      if (text !== null && JSON.parse(text)) found++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return found;
}

async function main(dir: string, raw: boolean): Promise<void> {
  const started = process.hrtime.bigint();
  const found = raw ? await rawScan(dir) : (await scanScenariosDir(dir)).found.length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ ms, found })}\n`);
}

main(process.argv[2] ?? '.', process.argv.includes('--raw')).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
