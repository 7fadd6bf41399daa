/** Host figures for the resource gate. The real probe reads the kernel's numbers; tests inject their own. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { HostLoad } from './gates';

/** Anything that can tell the host's load now. */
export interface HostLoadProbe {
  read(): HostLoad;
}

/** Reads the 1-minute load average (as a percentage of the cores) and used memory (MemAvailable-based on Linux). */
export class SystemHostLoadProbe implements HostLoadProbe {
  private cached: { at: number; value: HostLoad } | null = null;

  /** Cached for a second: a pass may ask for it often and the figures move slowly. */
  read(): HostLoad {
    const now = Date.now();
    if (this.cached && now - this.cached.at < 1_000) return this.cached.value;
    const value = { cpuLoadPercent: (os.loadavg()[0] / Math.max(1, os.cpus().length)) * 100, memoryPercent: usedMemoryPercent() };
    this.cached = { at: now, value };
    return value;
  }
}

/** A probe that returns what it is told, for tests and for turning the gate off. */
export class FixedHostLoadProbe implements HostLoadProbe {
  constructor(public value: HostLoad) {}
  read(): HostLoad {
    return this.value;
  }
}

function usedMemoryPercent(): number {
  try {
    const meminfo = fs.readFileSync('/proc/meminfo', 'utf8');
    const total = Number(/MemTotal:\s+(\d+)/.exec(meminfo)?.[1]);
    const available = Number(/MemAvailable:\s+(\d+)/.exec(meminfo)?.[1]);
    if (total > 0 && available >= 0) return ((total - available) / total) * 100;
  } catch {
    // not Linux: fall through to the portable figure
  }
  return (1 - os.freemem() / os.totalmem()) * 100;
}
