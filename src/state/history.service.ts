/** Samples host load and fleet counts every few seconds for the dashboard's graphs (the last hour, in memory). */
import type { CpuSignal, MemorySignal } from '../reconciler/gates';
import type { HostLoadProbe } from '../reconciler/host-load';
import type { ControlService } from './control.service';

/** One sample. */
export interface HistorySample {
  /** ISO time. */
  at: string;
  cpuLoadPercent: number;
  memoryPercent: number;
  /** Which reading the two figures are (see HostLoad). */
  cpuSignal?: CpuSignal;
  memorySignal?: MemorySignal;
  active: number;
  desiredActive: number;
  blocked: number;
}

/** A ring of samples; an hour at the default interval. */
export class HistoryService {
  private readonly samples: HistorySample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly control: ControlService,
    private readonly host: HostLoadProbe,
    private readonly intervalMs = 10_000,
    private readonly capacity = 360,
    private readonly clock: () => number = Date.now,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Samples, oldest first. */
  list(): HistorySample[] {
    return [...this.samples];
  }

  /** Takes one sample now. */
  sample(): void {
    const load = this.host.read();
    const status = this.control.status();
    const desiredActive = this.control.desiredActiveCount();
    this.samples.push({
      at: new Date(this.clock()).toISOString(),
      cpuLoadPercent: Math.round(load.cpuLoadPercent * 10) / 10,
      memoryPercent: Math.round(load.memoryPercent * 10) / 10,
      cpuSignal: load.cpuSignal,
      memorySignal: load.memorySignal,
      active: status.activeScenarios,
      desiredActive,
      blocked: status.blockedScenarios,
    });
    if (this.samples.length > this.capacity) this.samples.shift();
  }
}
