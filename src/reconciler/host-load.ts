/**
 * Host figures for the resource gate (SPEC 4, gate 5). The real probe prefers Linux pressure-stall
 * information, which counts only time that work actually waited, over the load average, which counts every
 * runnable and waiting process and so calls a busy but healthy 2-core laptop overloaded.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CpuSignal, HostLoad, MemorySignal } from './gates';

/** Anything that can tell the host's load now. */
export interface HostLoadProbe {
  read(): HostLoad;
}

/** A CPU or memory figure and the signal it was read from. */
interface Reading<Signal> {
  percent: number;
  signal: Signal;
}

/**
 * Reads the host from `<procRoot>`. CPU: `pressure/cpu` `some avg10` (the share of the last 10 s in which
 * some task waited for a CPU), else the 1-minute load average per core. Memory: `pressure/memory`
 * `some avg10` (the share of the last 10 s in which some task waited for memory: reclaim, swap-in,
 * refaults), else the share of RAM in use that the kernel could not hand out (MemTotal - MemAvailable),
 * else the portable free-memory figure. A missing, unreadable or garbled file falls through to the next
 * signal; reading never throws.
 */
export class SystemHostLoadProbe implements HostLoadProbe {
  private cached: { at: number; value: HostLoad } | null = null;

  constructor(
    private readonly procRoot = '/proc',
    private readonly cores = os.availableParallelism(),
  ) {}

  /** Cached for a second: a pass may ask for it often and the figures move slowly. */
  read(): HostLoad {
    const now = Date.now();
    if (this.cached && now - this.cached.at < 1_000) return this.cached.value;
    const cpu = this.cpu();
    const memory = this.memory();
    const value: HostLoad = { cpuLoadPercent: cpu.percent, cpuSignal: cpu.signal, memoryPercent: memory.percent, memorySignal: memory.signal };
    this.cached = { at: now, value };
    return value;
  }

  private cpu(): Reading<CpuSignal> {
    const stalled = pressureSomeAvg10(this.file('pressure/cpu'));
    if (stalled !== null) return { percent: stalled, signal: 'psi-some-avg10' };
    const oneMinute = loadAverageOneMinute(this.file('loadavg')) ?? os.loadavg()[0];
    return { percent: (oneMinute / Math.max(1, this.cores)) * 100, signal: 'loadavg-per-core' };
  }

  private memory(): Reading<MemorySignal> {
    const stalled = pressureSomeAvg10(this.file('pressure/memory'));
    if (stalled !== null) return { percent: stalled, signal: 'psi-some-avg10' };
    const used = unavailableMemoryPercent(this.file('meminfo'));
    if (used !== null) return { percent: used, signal: 'meminfo-available' };
    return { percent: (1 - os.freemem() / os.totalmem()) * 100, signal: 'os-free-memory' };
  }

  /** The file's text, or null when it is missing or unreadable (PSI off: EOPNOTSUPP; not Linux: ENOENT). */
  private file(relative: string): string | null {
    try {
      return fs.readFileSync(path.join(this.procRoot, relative), 'utf8');
    } catch {
      return null;
    }
  }
}

/**
 * A probe that returns what it is told, for tests and for turning the gate off. A figure given without its
 * signal is taken as the fallback every host has (load per core, MemAvailable): what such figures meant
 * before signals had names.
 */
export class FixedHostLoadProbe implements HostLoadProbe {
  constructor(public value: HostLoad) {}
  read(): HostLoad {
    const { cpuSignal = 'loadavg-per-core', memorySignal = 'meminfo-available' } = this.value;
    return { ...this.value, cpuSignal, memorySignal };
  }
}

/** `some avg10` of a PSI file (`some avg10=1.23 avg60=... total=...`), or null when absent or not a percentage. */
function pressureSomeAvg10(text: string | null): number | null {
  const line = text?.split('\n').find((candidate) => candidate.startsWith('some '));
  const value = line ? /(?:^|\s)avg10=(\S+)(?:\s|$)/.exec(line)?.[1] : undefined;
  return value === undefined ? null : withinOrNull(Number(value), 100);
}

/** The first field of `/proc/loadavg`, or null when garbled. */
function loadAverageOneMinute(text: string | null): number | null {
  const first = text?.trim().split(/\s+/)[0];
  return first ? withinOrNull(Number(first), Infinity) : null;
}

/** (MemTotal - MemAvailable) / MemTotal from `/proc/meminfo`, or null when either is missing or garbled. */
function unavailableMemoryPercent(text: string | null): number | null {
  if (text === null) return null;
  const total = Number(/^MemTotal:\s+(\d+)\s/m.exec(text)?.[1]);
  const available = Number(/^MemAvailable:\s+(\d+)\s/m.exec(text)?.[1]);
  if (!(total > 0) || !(available >= 0) || available > total) return null;
  return ((total - available) / total) * 100;
}

function withinOrNull(value: number, max: number): number | null {
  return Number.isFinite(value) && value >= 0 && value <= max ? value : null;
}
