/**
 * Child processes for the benchmark: every measured program runs in its own process, so its CPU and
 * memory figures are its own. Helpers to spawn, wait for a start-up line, talk over IPC, read peak RSS
 * from /proc, and stop cleanly (SIGTERM, then SIGKILL after a grace period).
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A spawned child with its captured output. */
export interface Child {
  process: ChildProcess;
  /** stdout and stderr so far (capped), for error messages. */
  output(): string;
  /** Resolves with the first match of `pattern` in stdout, or rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
}

const OUTPUT_CAP = 64 * 1024;

/** Children still running; killed if the bench exits first (a crash must not leave an orchestrator driving ports). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns `node [execArgv] script args` with `env` on top of PATH only (no inherited configuration). */
export function spawnNode(script: string, args: string[], env: Record<string, string>, execArgv: string[] = []): Child {
  const child = spawn(process.execPath, [...execArgv, script, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return wrap(child);
}

/** Forks a node script with an IPC channel (the fleet shards, the baseline client, the load worker). */
export function forkNode(script: string, args: string[] = [], env: Record<string, string> = {}): Child {
  const child = fork(script, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  return wrap(child);
}

function wrap(child: ChildProcess): Child {
  live.add(child);
  child.once('exit', () => live.delete(child));
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_CAP);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return {
    process: child,
    output: () => output,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        let seen = '';
        const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
        const onData = (chunk: Buffer) => {
          seen += chunk.toString();
          const match = pattern.exec(seen);
          if (match) done(null, match);
        };
        const onExit = (code: number | null, signal: string | null) => done(new Error(`exited (${code ?? signal}) before ${pattern}:\n${output}`));
        const done = (error: Error | null, match?: RegExpExecArray) => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve(match as RegExpExecArray);
        };
        child.stdout?.on('data', onData);
        child.once('exit', onExit);
      });
    },
  };
}

/** Stops a child: `signal` first, SIGKILL after `graceMs`; resolves once it exited. */
export function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  const proc = child.process;
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill(signal);
  });
}

/** Peak (VmHWM) and current (VmRSS) resident set of a process in MB, from /proc; null off Linux. */
export function residentMemory(pid: number): { peakMb: number; currentMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { peakMb: kb('VmHWM') / 1024, currentMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/** Request/reply over a child's IPC channel: each message carries an id, each reply the same id. */
export class IpcPeer {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor(private readonly child: Child) {
    child.process.on('message', (message: { id?: number; error?: string }) => {
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id as number);
      if (message.error) waiter.reject(new Error(message.error));
      else waiter.resolve(message);
    });
    child.process.once('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`child exited (${code ?? signal}):\n${child.output()}`));
      this.pending.clear();
    });
  }

  /** Sends `message` and resolves with the child's reply. */
  request<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.process.send({ ...message, id });
    });
  }
}

/** The child side of IpcPeer: answers each request with `handler`'s result, or its error message. */
export function serveIpc(handler: (message: Record<string, unknown> & { type: string }) => Promise<Record<string, unknown>>): void {
  process.on('message', (message: Record<string, unknown> & { type: string; id: number }) => {
    handler(message).then(
      (reply) => process.send?.({ ...reply, id: message.id }),
      (error: unknown) => process.send?.({ id: message.id, error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
