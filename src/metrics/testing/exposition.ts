/**
 * Test helpers for the Prometheus side: a small parser of the text exposition (enough to read values back
 * and list metric names) and a runner for `promtool`, which must be installed: a missing promtool fails
 * with a message saying how to get it, since CI installs it and a skipped check would hide a broken format.
 */
import { spawn } from 'node:child_process';

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses sample lines; comments (HELP, TYPE) are skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`not an exposition sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = raw.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1], labels, value: parseValue(match[3]) });
  }
  return samples;
}

/** Metric family names with their types, from the `# TYPE` lines. */
export function metricTypes(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1], match[2]);
  return types;
}

/** Every series name a query may use: families, plus `_bucket`/`_sum`/`_count` of histograms and summaries. */
export function queryableNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [name, type] of metricTypes(text)) {
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}

/** The samples of one metric whose labels include `labels`. */
export function samplesOf(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
}

/** The single value of one series, or undefined when it is absent; throws when `labels` match several. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samplesOf(samples, name, labels);
  if (found.length > 1) throw new Error(`${name}${JSON.stringify(labels)} matches ${found.length} series`);
  return found[0]?.value;
}

/** What promtool printed and how it exited. */
export interface PromtoolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `promtool <args>` with `stdin`; rejects with install instructions when promtool is missing. */
export function promtool(args: string[], stdin = ''): Promise<PromtoolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') reject(new Error('promtool is not installed: it is required for this test (Debian/Ubuntu: apt-get install -y prometheus; CI installs it)'));
      else reject(error);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // promtool may exit before reading everything (usage errors); that is reported by its exit code.
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
  });
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}
