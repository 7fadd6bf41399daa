/**
 * `node dist/bench/support/cpuprofile.js FILE.cpuprofile [--top 30] [--inclusive] [--from S] [--to S]`: the hot spots of a
 * `node --cpu-prof` profile as `self% total% function file:line`, with compiled dist/ positions mapped back
 * to the TypeScript sources through their source maps (node:module's SourceMap, no dependency).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One aggregated function: self and inclusive time in ms. */
export interface HotSpot {
  name: string;
  location: string;
  selfMs: number;
  totalMs: number;
}

const maps = new Map<string, SourceMap | null>();

function sourceMapFor(file: string): SourceMap | null {
  if (!maps.has(file)) {
    const mapFile = `${file}.map`;
    maps.set(file, existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null);
  }
  return maps.get(file) ?? null;
}

/**
 * `src/reconciler/planner.ts:93` for compiled project code, `node_modules/x/y.js:12` or `(native)` otherwise.
 * Positions in the server bundle (dist/server/main.js) map to dist/src/*.js first, then to the TypeScript.
 */
export function locate(frame: CallFrame, root: string): string {
  if (!frame.url) return '(native)';
  let file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  let line = frame.lineNumber;
  let column = frame.columnNumber;
  for (let hop = 0; hop < 2 && file.endsWith('.js') && !file.includes('node_modules'); hop++) {
    const found = sourceMapFor(file)?.findEntry(line, column);
    const entry = found && 'originalSource' in found ? (found as SourceMapping) : null;
    if (!entry?.originalSource) break;
    file = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : path.resolve(path.dirname(file), entry.originalSource);
    line = entry.originalLine;
    column = entry.originalColumn;
  }
  return `${path.isAbsolute(file) ? path.relative(root, file) : file}:${line + 1}`;
}

/** Self and inclusive time per function (recursion counted once per sample), optionally within [fromS, toS) of the profile. */
export function hotSpots(profile: Profile, root: string, window: { fromS?: number; toS?: number } = {}): { spots: HotSpot[]; totalMs: number } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const spots = new Map<string, HotSpot>();
  const keyOf = (node: ProfileNode) => {
    const location = locate(node.callFrame, root);
    const name = node.callFrame.functionName || '(anonymous)';
    const key = `${name} ${location}`;
    if (!spots.has(key)) spots.set(key, { name, location, selfMs: 0, totalMs: 0 });
    return key;
  };
  let totalMs = 0;
  let atUs = 0;
  const fromUs = (window.fromS ?? 0) * 1e6;
  const toUs = (window.toS ?? Infinity) * 1e6;
  profile.samples.forEach((id, index) => {
    atUs += profile.timeDeltas[index] ?? 0;
    if (atUs < fromUs || atUs >= toUs) return;
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    totalMs += ms;
    const leaf = byId.get(id);
    if (!leaf) return;
    (spots.get(keyOf(leaf)) as HotSpot).selfMs += ms;
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      const key = keyOf(node);
      if (seen.has(key)) continue;
      seen.add(key);
      (spots.get(key) as HotSpot).totalMs += ms;
    }
  });
  return { spots: [...spots.values()], totalMs };
}

function main(argv: string[]): void {
  const file = argv.find((arg) => !arg.startsWith('--'));
  if (!file) throw new Error('usage: node dist/bench/support/cpuprofile.js FILE.cpuprofile [--top N] [--inclusive] [--root DIR] [--from S] [--to S]');
  const seconds = (flag: string) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : undefined);
  const top = Number(argv[argv.indexOf('--top') + 1]) || 30;
  const rootIndex = argv.indexOf('--root');
  const root = rootIndex >= 0 ? path.resolve(argv[rootIndex + 1]) : path.resolve(__dirname, '..', '..', '..');
  const { spots, totalMs } = hotSpots(JSON.parse(readFileSync(file, 'utf8')) as Profile, root, { fromS: seconds('--from'), toS: seconds('--to') });
  const inclusive = argv.includes('--inclusive');
  const sorted = spots.filter((spot) => !['(idle)', '(root)', '(program)'].includes(spot.name) || !inclusive).sort((a, b) => (inclusive ? b.totalMs - a.totalMs : b.selfMs - a.selfMs));
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1).padStart(5)}%`;
  process.stdout.write(`${path.basename(file)}: ${(totalMs / 1000).toFixed(2)} s sampled\n  self   total  function  location\n`);
  for (const spot of sorted.slice(0, top)) process.stdout.write(`${pct(spot.selfMs)} ${pct(spot.totalMs)}  ${spot.name}  ${spot.location}\n`);
}

if (require.main === module) main(process.argv.slice(2));
