/**
 * The PORT_RESOLVER command (SPEC 2): a `vrooli scenario port {name} API_PORT`-like program run for scenarios
 * that declare only a port range. Each call is bounded (2 s, then its whole process group is killed), its
 * answers are cached per scenario (60 s; failures 5 s, so a fixed resolver is picked up soon), and at most a
 * few run at once, so a rescan of a large fleet never floods the host with processes.
 */
import { spawn } from 'node:child_process';
import { toBaseUrl, toPort } from './service-file';

/** How long one resolver command may run before it and its children are killed and it counts as failed. */
export const RESOLVER_TIMEOUT_MS = 2_000;
/** How long a resolved endpoint is reused before the command runs again for that scenario. */
export const RESOLVER_SUCCESS_CACHE_MS = 60_000;
/** How long a failure is reused: long enough that rescans in a burst do not respawn it, short enough that a fix shows soon. */
export const RESOLVER_FAILURE_CACHE_MS = 5_000;
/** Resolver processes at once across all callers of one cache. */
export const RESOLVER_MAX_PROCESSES = 4;
/** A port or a URL is a few bytes; more than this is not an answer. */
const MAX_STDOUT_BYTES = 64 * 1024;
/** Only the start of stderr is kept: the message shows at most MESSAGE_CHARS of it. */
const MAX_STDERR_BYTES = 8 * 1024;
/** Longest stderr excerpt quoted in a NoEndpoint message. */
const MESSAGE_CHARS = 200;
/** Longest stdout excerpt quoted when the output is neither a port nor a URL. */
const OUTPUT_CHARS = 80;

/** Outcome of running the resolver once. */
export type ResolverOutcome = { ok: true; url: string } | { ok: false; reason: string };

/** Runs a resolver template for one id; injectable so tests and the scanner can count or fake calls. */
export type PortResolverRunner = (template: string, id: string) => Promise<ResolverOutcome>;

/**
 * Runs the template as argv (no shell) with `{name}` replaced by the id; stdout must be a port or a URL.
 * The command runs in its own process group, which is killed when the call ends, so a child it left
 * behind (or one holding its output open) never outlives the call.
 */
export function runPortResolver(template: string, id: string, timeoutMs = RESOLVER_TIMEOUT_MS): Promise<ResolverOutcome> {
  const argv = splitCommandTemplate(template);
  if (argv === null) return Promise.resolve({ ok: false, reason: 'is not a valid command (empty or an unterminated quote)' });
  const [file, ...args] = argv.map((part) => part.replaceAll('{name}', id));
  return new Promise((resolve) => {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let done = false;
    const finish = (outcome: ResolverOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      killGroup(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ ok: false, reason: `timed out after ${timeoutMs / 1000}s (killed with its child processes)` }), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) return finish({ ok: false, reason: `printed more than ${MAX_STDOUT_BYTES / 1024} KiB, not a port or a URL` });
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < MAX_STDERR_BYTES) stderr.push(chunk.subarray(0, MAX_STDERR_BYTES - stderrBytes));
      stderrBytes += chunk.length;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, reason: error.code === 'ENOENT' ? `failed: command "${file}" not found` : `failed: ${error.message}` });
    });
    // 'close' waits for the output pipes too, so a child still holding them keeps the call open until the bound.
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
      const err = Buffer.concat(stderr).toString('utf8');
      if (signal) return finish({ ok: false, reason: withStderr(`was killed by ${signal}`, err) });
      if (code !== 0) return finish({ ok: false, reason: withStderr(`exited with code ${code}`, err) });
      const out = Buffer.concat(stdout).toString('utf8');
      const url = parseResolverOutput(out);
      finish(url ? { ok: true, url } : { ok: false, reason: `printed ${quoteOutput(out)}, not a port or a URL` });
    });
  });
}

/** How a PortResolverCache runs and remembers. */
export interface PortResolverCacheOptions {
  /** The runner behind the cache; the real process by default. */
  run?: PortResolverRunner;
  /** Clock in epoch ms (tests advance it instead of waiting). */
  now?: () => number;
  successMs?: number;
  failureMs?: number;
  maxProcesses?: number;
}

interface CachedOutcome {
  outcome: ResolverOutcome;
  expiresAt: number;
}

/** Caches resolver answers per template and scenario id, shares a call already running, and bounds concurrency. */
export class PortResolverCache {
  private readonly entries = new Map<string, CachedOutcome>();
  private readonly inflight = new Map<string, Promise<ResolverOutcome>>();
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private nextPruneAt = 0;
  private readonly runner: PortResolverRunner;
  private readonly now: () => number;
  private readonly successMs: number;
  private readonly failureMs: number;
  private readonly maxProcesses: number;

  constructor(options: PortResolverCacheOptions = {}) {
    this.runner = options.run ?? runPortResolver;
    this.now = options.now ?? Date.now;
    this.successMs = options.successMs ?? RESOLVER_SUCCESS_CACHE_MS;
    this.failureMs = options.failureMs ?? RESOLVER_FAILURE_CACHE_MS;
    this.maxProcesses = options.maxProcesses ?? RESOLVER_MAX_PROCESSES;
  }

  /** A PortResolverRunner answering from the cache when it can (bound, so it can be handed to the scanner). */
  readonly run: PortResolverRunner = (template, id) => {
    const key = `${template}\u0000${id}`;
    const now = this.now();
    this.prune(now);
    const cached = this.entries.get(key);
    if (cached && now < cached.expiresAt) return Promise.resolve(cached.outcome);
    const running = this.inflight.get(key);
    if (running) return running;
    const call = this.limited(() => this.runner(template, id)).then((outcome) => {
      const ttl = outcome.ok ? this.successMs : this.failureMs;
      this.entries.set(key, { outcome, expiresAt: this.now() + ttl });
      return outcome;
    });
    const settled = call.finally(() => this.inflight.delete(key));
    this.inflight.set(key, settled);
    return settled;
  };

  /** Runs `task` once fewer than `maxProcesses` are running; the queue is first come, first served. */
  private async limited<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxProcesses) await new Promise<void>((wake) => this.waiting.push(wake));
    else this.running++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Drops expired answers at most once per success period, so vanished scenarios do not pile up. */
  private prune(now: number): void {
    if (now < this.nextPruneAt) return;
    this.nextPruneAt = now + this.successMs;
    for (const [key, entry] of this.entries) if (now >= entry.expiresAt) this.entries.delete(key);
  }
}

/** A trimmed resolver output as a base URL: a bare port means loopback. Null when it is neither. */
export function parseResolverOutput(stdout: string): string | null {
  const text = stdout.trim();
  if (/^\d+$/.test(text)) {
    const port = toPort(text);
    return port === null ? null : `http://127.0.0.1:${port}`;
  }
  return toBaseUrl(text);
}

/** Splits a command template into argv like a POSIX shell would for quoting only; null when unbalanced or empty. */
export function splitCommandTemplate(template: string): string[] | null {
  const argv: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (quote === "'") {
      if (char === "'") quote = null;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && (template[i + 1] === '"' || template[i + 1] === '\\')) current += template[++i];
      else current += char;
    } else if (/\s/.test(char)) {
      if (current !== null) argv.push(current);
      current = null;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else {
      current = (current ?? '') + (char === '\\' && i + 1 < template.length ? template[++i] : char);
    }
  }
  if (quote !== null) return null;
  if (current !== null) argv.push(current);
  return argv.length > 0 ? argv : null;
}

/** Kills the command's whole process group; it may already be gone, which is the normal case. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: every process in the group has exited already.
  }
}

/** `status: stderr`, with stderr trimmed, on one line and bounded; just the status when stderr is empty. */
function withStderr(status: string, stderr: string): string {
  const text = stderr.trim().replace(/\s+/g, ' ');
  if (text === '') return status;
  return `${status}: ${text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS - 3)}...` : text}`;
}

function quoteOutput(stdout: string): string {
  const text = stdout.trim();
  if (text === '') return 'nothing';
  return JSON.stringify(text.length > OUTPUT_CHARS ? `${text.slice(0, OUTPUT_CHARS - 3)}...` : text);
}
