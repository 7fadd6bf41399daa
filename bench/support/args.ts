/**
 * Command line of `npm run bench -- [flags]`: three presets (full, --quick, --smoke) and flags that
 * override single knobs. Every knob lands in one typed object; suites never read argv or env.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

/** Suites, in the order they run. */
export const SUITES = ['startup', 'cli', 'convergence', 'api', 'metrics', 'explain', 'window', 'leases', 'backlog', 'notify', 'ha', 'security'] as const;
/** One suite name. */
export type SuiteName = (typeof SUITES)[number];

/** Every knob of one run. */
export interface BenchOptions {
  mode: 'full' | 'quick' | 'smoke';
  /** Fleet sizes for convergence; the largest also hosts the API, memory, metrics and window figures. */
  sizes: number[];
  /** Fleet size at which the targets apply (10,000); smaller runs report but do not judge. */
  targetN: number;
  /** Repetitions of each convergence measurement (baseline and product interleaved). */
  reps: number;
  /** The orchestrator's MAX_IN_FLIGHT, and the baseline client's concurrency. */
  maxInFlight: number;
  /** Response delay and failure rate of the fleet in the convergence figures. */
  delayMs: number;
  failRate: number;
  /** Fleet processes are sized to at most this many scenarios each (descriptors, see README). */
  scenariosPerShard: number;
  /** API load: connections, measured duration and unmeasured warm-up per route. */
  connections: number;
  durationMs: number;
  warmupMs: number;
  /**
   * The measured duration of each route is split into this many rounds of bare route, /status and
   * /scenarios/{id}, back to back; each ratio is taken within a round, so the host's drift (the bare
   * route alone moved between 3k and 11k req/s across runs on the shared machine) cancels out.
   */
  apiRounds: number;
  loader: 'builtin' | 'autocannon';
  pageSamples: number;
  /**
   * Before the API loads, wait out the idle-connection timeouts of the last mass action (5 s after it),
   * pinging /health to measure that stall. Quick runs skip it.
   */
  stallWatch: boolean;
  metricsScrapes: number;
  /** Explain requests measured one at a time, and repeats of plan --at and the timeline (issue 18). */
  explainSamples: number;
  explainRepeats: number;
  cliRuns: number;
  startupRuns: number;
  scanRuns: number;
  scanFolders: number;
  windowSamples: number;
  /** Share of the fleet tagged `security`, which the window's preset selects. */
  windowShare: number;
  backlogN: number;
  backlogDelayMs: number;
  /** ACTIVATION_LEASE of the leases suite, in seconds (issue #20: 45). */
  leaseSeconds: number;
  /** HA (SPEC 9): kill -9 failovers timed, and follower writes timed to the leader's first call. */
  haTrials: number;
  haSamples: number;
  /**
   * Security suite (issue 16): its fleet size, the /events clients held open, the fuzz's requests per route.
   * The fleet stays at 500, under the size that takes fixed ports (support/fleet.ts): its figures are ratios
   * within the suite, and a fleet on OS-chosen ports cannot collide with another bench running beside it.
   */
  securityN: number;
  eventClients: number;
  fuzzPerRoute: number;
  suites: Set<SuiteName>;
  /** Where RESULTS.md and results.json go. */
  outDir: string;
  fixturesDir: string;
  /** When set, orchestrator children run with --cpu-prof and write profiles here. */
  profileDir: string | null;
  /** When set, convergence's orchestrator children sample their allocations into here (support/heap-sampler.ts). */
  heapProfileDir: string | null;
  /** When set, convergence's orchestrator children record their memory over time into here (support/memory-trace.ts). */
  memoryTraceDir: string | null;
  note: string | null;
}

/** The package root: dist/bench/support -> three levels up; bench/support (ts-node, jest) -> two. */
export function repoRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'bench'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

const PRESETS: Record<BenchOptions['mode'], Omit<BenchOptions, 'mode' | 'suites' | 'outDir' | 'fixturesDir' | 'profileDir' | 'heapProfileDir' | 'memoryTraceDir' | 'note' | 'loader'>> = {
  full: {
    sizes: [100, 1000, 10_000], targetN: 10_000, reps: 3, maxInFlight: 256, delayMs: 0, failRate: 0, scenariosPerShard: 4000,
    connections: 50, durationMs: 10_000, warmupMs: 2000, apiRounds: 5, pageSamples: 40, stallWatch: true, metricsScrapes: 20, explainSamples: 500, explainRepeats: 10, cliRuns: 20, startupRuns: 10,
    scanRuns: 5, scanFolders: 10_000, windowSamples: 100, windowShare: 0.01, backlogN: 1000, backlogDelayMs: 500, leaseSeconds: 45, haTrials: 20, haSamples: 100,
    securityN: 500, eventClients: 1000, fuzzPerRoute: 100,
  },
  quick: {
    sizes: [1000, 10_000], targetN: 10_000, reps: 1, maxInFlight: 256, delayMs: 0, failRate: 0, scenariosPerShard: 4000,
    connections: 50, durationMs: 2000, warmupMs: 500, apiRounds: 2, pageSamples: 10, stallWatch: false, metricsScrapes: 5, explainSamples: 100, explainRepeats: 5, cliRuns: 5, startupRuns: 3,
    scanRuns: 2, scanFolders: 10_000, windowSamples: 6, windowShare: 0.01, backlogN: 1000, backlogDelayMs: 500, leaseSeconds: 45, haTrials: 20, haSamples: 30,
    securityN: 500, eventClients: 1000, fuzzPerRoute: 30,
  },
  smoke: {
    sizes: [30], targetN: 10_000, reps: 1, maxInFlight: 256, delayMs: 0, failRate: 0, scenariosPerShard: 4000,
    connections: 8, durationMs: 400, warmupMs: 100, apiRounds: 1, pageSamples: 3, stallWatch: false, metricsScrapes: 2, explainSamples: 10, explainRepeats: 2, cliRuns: 2, startupRuns: 1,
    scanRuns: 1, scanFolders: 200, windowSamples: 2, windowShare: 0.1, backlogN: 30, backlogDelayMs: 200, leaseSeconds: 3, haTrials: 1, haSamples: 2,
    securityN: 30, eventClients: 20, fuzzPerRoute: 2,
  },
};

const USAGE = `Usage: npm run bench -- [--quick | --smoke] [flags]
  --quick              a run under two minutes (N = 1000, 10000; 2 s loads; 1 repetition)
  --smoke              a tiny run that only checks every figure is produced (used by npm test)
  --n 100,1000,10000   fleet sizes for convergence; the largest hosts the API/memory/metrics/window figures
  --only a,b           suites: ${SUITES.join(', ')}
  --reps N             convergence repetitions          --max-in-flight N   MAX_IN_FLIGHT (and baseline concurrency)
  --delay-ms N         fleet response delay             --fail-rate F       fleet failure rate (0..1)
  --duration S         API load seconds per route       --connections N     API load connections
  --lease S            ACTIVATION_LEASE of the leases suite, seconds (default 45; 3 under --smoke)
  --loader autocannon|builtin  (default autocannon; builtin under --smoke)  --window-samples N  openings
  --out DIR            where RESULTS.md and results.json go (default bench/)
  --fixtures DIR       the 138 real scenarios (default test/fixtures/vrooli/vrooli-scenarios-head)
  --profile DIR        run orchestrator children with --cpu-prof into DIR
  --heap-profile DIR   sample the allocations of convergence's orchestrators into DIR (heapprofile.js reads them)
  --memory-trace DIR  record RSS and heap spaces of convergence's orchestrators over time into DIR (memory-trace.js reads them)
  --note TEXT          a line recorded with the results (e.g. "quiet machine")`;

/** Parses argv; returns 'help' for --help and throws with the usage on a bad flag. */
export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean' }, smoke: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      n: { type: 'string' }, only: { type: 'string' }, reps: { type: 'string' }, 'max-in-flight': { type: 'string' },
      'delay-ms': { type: 'string' }, 'fail-rate': { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' },
      loader: { type: 'string' }, 'window-samples': { type: 'string' }, out: { type: 'string' }, fixtures: { type: 'string' },
      lease: { type: 'string' }, profile: { type: 'string' }, 'heap-profile': { type: 'string' }, 'memory-trace': { type: 'string' }, note: { type: 'string' },
    },
  });
  if (values.help) return 'help';
  const mode = values.smoke ? 'smoke' : values.quick ? 'quick' : 'full';
  const root = repoRoot();
  const options: BenchOptions = {
    mode,
    ...PRESETS[mode],
    // autocannon (a devDependency) for real runs; the builtin generator for the smoke test, which starts in
    // a fraction of the time. Both sides of a ratio always use the same one.
    loader: mode === 'smoke' ? 'builtin' : 'autocannon',
    suites: new Set(SUITES),
    outDir: path.resolve(values.out ?? path.join(root, 'bench')),
    fixturesDir: path.resolve(values.fixtures ?? defaultFixtures(root)),
    profileDir: values.profile ? path.resolve(values.profile) : null,
    heapProfileDir: values['heap-profile'] ? path.resolve(values['heap-profile']) : null,
    memoryTraceDir: values['memory-trace'] ? path.resolve(values['memory-trace']) : null,
    note: values.note ?? null,
  };
  if (values.n) options.sizes = list(values.n).map((item) => int('--n', item, 1, 20_000)).sort((a, b) => a - b);
  if (values.only) options.suites = new Set(list(values.only).map(suite));
  if (values.reps) options.reps = int('--reps', values.reps, 1, 50);
  if (values['max-in-flight']) options.maxInFlight = int('--max-in-flight', values['max-in-flight'], 1, 100_000);
  if (values['delay-ms']) options.delayMs = int('--delay-ms', values['delay-ms'], 0, 60_000);
  if (values['fail-rate']) options.failRate = num('--fail-rate', values['fail-rate'], 0, 0.9);
  if (values.duration) options.durationMs = Math.round(num('--duration', values.duration, 0.1, 600) * 1000);
  if (values.connections) options.connections = int('--connections', values.connections, 1, 1000);
  if (values['window-samples']) options.windowSamples = int('--window-samples', values['window-samples'], 1, 10_000);
  if (values.loader) options.loader = loaderName(values.loader);
  if (values.lease) options.leaseSeconds = int('--lease', values.lease, 1, 604_800);
  return options;
}

/** The usage text. */
export function usage(): string {
  return USAGE;
}

/** The real Vrooli corpus the repository carries (test/fixtures/vrooli/README.md says where it comes from). */
function defaultFixtures(root: string): string {
  return path.join(root, 'test', 'fixtures', 'vrooli', 'vrooli-scenarios-head');
}

function list(raw: string): string[] {
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

function suite(name: string): SuiteName {
  if (!(SUITES as readonly string[]).includes(name)) throw new Error(`--only: unknown suite "${name}" (one of ${SUITES.join(', ')})\n${USAGE}`);
  return name as SuiteName;
}

function loaderName(name: string): BenchOptions['loader'] {
  if (name !== 'builtin' && name !== 'autocannon') throw new Error(`--loader must be builtin or autocannon, got "${name}"`);
  return name;
}

function num(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${flag} must be a number from ${min} to ${max}, got "${raw}"\n${USAGE}`);
  return value;
}

function int(flag: string, raw: string, min: number, max: number): number {
  const value = num(flag, raw, min, max);
  if (!Number.isInteger(value)) throw new Error(`${flag} must be a whole number, got "${raw}"`);
  return value;
}
