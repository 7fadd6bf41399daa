/**
 * Preloaded into convergence's orchestrator children by `npm run bench -- --memory-trace DIR` (node
 * --require). Every 20 ms it records RSS, the JS heap by space and what lives outside it, and on SIGTERM
 * writes DIR/memory.PID.json; `node dist/bench/support/memory-trace.js FILE` prints the sample at peak RSS
 * and the course over time. Peak RSS alone does not say whether the heap, garbage waiting for a
 * mark-compact, or native memory (sockets, SQLite, malloc) made it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';

/** One sample, all sizes in MB. */
interface Sample {
  t: number;
  rss: number;
  heapUsed: number;
  heapCommitted: number;
  external: number;
  arrayBuffers: number;
  /** Committed size of each V8 space (new_space, old_space, large_object_space, code_space, ...). */
  spaces: Record<string, number>;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function sample(started: number): Sample {
  const usage = process.memoryUsage();
  const spaces: Record<string, number> = {};
  for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name.replace(/_space$/, '')] = mb(space.space_size);
  return { t: Date.now() - started, rss: mb(usage.rss), heapUsed: mb(usage.heapUsed), heapCommitted: mb(usage.heapTotal), external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers), spaces };
}

function record(dir: string): void {
  const started = Date.now();
  const samples: Sample[] = [];
  const timer = setInterval(() => samples.push(sample(started)), 20);
  timer.unref();
  // Before the orchestrator's own SIGTERM handler, which exits once it has stopped.
  process.prependListener('SIGTERM', () => {
    clearInterval(timer);
    writeFileSync(path.join(dir, `memory.${process.pid}.json`), JSON.stringify(samples));
    // The mappings at the end (where a mass action leaves the peak): which of RSS is the JS heap, malloc, code.
    if (existsSync('/proc/self/smaps')) writeFileSync(path.join(dir, `smaps.${process.pid}.txt`), readFileSync('/proc/self/smaps'));
  });
}

function summarise(file: string): void {
  const samples = JSON.parse(readFileSync(file, 'utf8')) as Sample[];
  if (!samples.length) throw new Error(`${file} holds no samples`);
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const line = (s: Sample) => {
    const heapSpaces = Object.values(s.spaces).reduce((a, b) => a + b, 0);
    const spaces = Object.entries(s.spaces).filter(([, size]) => size >= 1).map(([name, size]) => `${name} ${size}`).join(', ');
    return `t=${(s.t / 1000).toFixed(2)}s rss ${s.rss} | heap used ${s.heapUsed} of ${s.heapCommitted} committed (${spaces}) | outside the heap ${Math.round((s.rss - heapSpaces) * 10) / 10} (external ${s.external}, array buffers ${s.arrayBuffers})`;
  };
  console.log(`peak: ${line(peak)}`);
  const smaps = path.join(path.dirname(file), path.basename(file).replace(/^memory\.(\d+)\.json$/, 'smaps.$1.txt'));
  if (existsSync(smaps)) console.log(`resident at the end, by mapping: ${residentByMapping(readFileSync(smaps, 'utf8'))}`);
  const step = Math.max(1, Math.floor(samples.length / 40));
  for (let i = 0; i < samples.length; i += step) console.log(line(samples[i]));
}

/**
 * Resident MB by kind of mapping: [heap] is glibc's main arena; anonymous mappings hold V8's heap pages,
 * malloc's other arenas and thread stacks; files are the node binary and shared libraries.
 */
function residentByMapping(smaps: string): string {
  const totals = new Map<string, number>();
  let kind = 'anonymous';
  for (const line of smaps.split('\n')) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const name = mapping[1].trim();
      kind = name === '' ? 'anonymous' : name.startsWith('[') ? name : name.includes('.so') ? 'shared libraries' : path.basename(name);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) totals.set(kind, (totals.get(kind) ?? 0) + Number(rss[1]) / 1024);
  }
  return [...totals].sort((a, b) => b[1] - a[1]).filter(([, mb]) => mb >= 0.5).map(([name, mb]) => `${name} ${mb.toFixed(1)}`).join(', ');
}

const dir = process.env.BENCH_MEMORY_TRACE_DIR;
if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/support/memory-trace.js memory.PID.json');
    process.exit(2);
  }
  summarise(file);
} else if (dir) {
  record(dir);
}
