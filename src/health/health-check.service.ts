/**
 * Runs the policy's health checks on their intervals and keeps each one's last result for the HealthCheck
 * gate, `explain` and the metrics. It takes its clock and timer as a small port, so it runs the same under
 * Nest (wrapped in a provider with lifecycle hooks) or without it (tests, scripts).
 */
import type { HealthReading } from '../reconciler/gates';
import { readCheck, type Findings } from './check-readers';
import type { HealthCheckSpec } from './health-check-spec';

/** The last result of one check. */
export interface HealthCheckResult extends HealthReading {
  /** What `failing` means depends on the kind: firing alerts, or returned series with their values. */
  failing: string[];
  /** Epoch ms of the read this result comes from; null while the first read is pending. */
  readAt: number | null;
  /** Why the check could not be read (timeout, status and body summary, host not allowed), if it could not. */
  error?: string;
}

/** Clock and timer, so tests and Nest can supply their own. */
export interface TimerPort {
  now(): number;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** The real clock and Node's timers; the handle is unref'd so a check never keeps a process alive. */
export const SYSTEM_TIMER: TimerPort = {
  now: () => Date.now(),
  setInterval: (callback, ms) => setInterval(callback, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

/** Hooks for metrics; the health module never imports a metrics library. */
export interface HealthObserver {
  healthCheckRead(result: HealthCheckResult, up: boolean): void;
  healthCheckRemoved(check: string): void;
}

/** Options of the service. */
export interface HealthCheckOptions {
  /** Extra hosts off the machine that checks may call (ALLOWED_NOTIFY_HOSTS); loopback always may. */
  allowedHosts: readonly string[];
  timer?: TimerPort;
  observer?: HealthObserver;
  /** How often due checks are looked for; each check still runs on its own interval. */
  tickMs?: number;
  /** Upper bound of one read; a check's interval bounds it too. */
  timeoutMs?: number;
}

interface Slot {
  spec: HealthCheckSpec;
  result: HealthCheckResult;
  dueAt: number;
  reading: Promise<void> | null;
}

/** Runs the checks and answers the gate's question: which of them hold new activations back now. */
export class HealthCheckService {
  private readonly slots = new Map<string, Slot>();
  private readonly timer: TimerPort;
  private specs: readonly HealthCheckSpec[] = [];
  private handle: unknown = null;

  constructor(
    private readonly checks: () => readonly HealthCheckSpec[],
    private readonly options: HealthCheckOptions,
  ) {
    this.timer = options.timer ?? SYSTEM_TIMER;
  }

  /** Reads every check now, then keeps each on its interval. */
  start(): void {
    if (this.handle !== null) return;
    this.tick();
    this.handle = this.timer.setInterval(() => this.tick(), this.options.tickMs ?? 1_000);
  }

  /** Stops the timer; reads in flight finish but schedule nothing. */
  stop(): void {
    if (this.handle !== null) this.timer.clearInterval(this.handle);
    this.handle = null;
  }

  /** The last result of every configured check, in policy order. */
  results(): HealthCheckResult[] {
    this.sync();
    return [...this.slots.values()].map((slot) => slot.result);
  }

  /** What the planner's HealthCheck gate reads (a pure value): every check's last result. */
  verdict(): readonly HealthReading[] {
    return this.results();
  }

  /** Reads every check now (or the one named), whatever its interval; resolves when done. */
  async readNow(name?: string): Promise<HealthCheckResult[]> {
    this.sync();
    const slots = [...this.slots.values()].filter((slot) => name === undefined || slot.spec.name === name);
    await Promise.all(slots.map((slot) => this.read(slot)));
    return slots.map((slot) => slot.result);
  }

  /** Resolves once no read is in flight (for a graceful stop, and for tests that drive the timer by hand). */
  async settled(): Promise<void> {
    await Promise.all([...this.slots.values()].map((slot) => slot.reading));
  }

  /** Starts the reads that are due; follows policy changes (new, changed and removed checks). */
  private tick(): void {
    this.sync();
    const now = this.timer.now();
    for (const slot of this.slots.values()) if (slot.dueAt <= now && !slot.reading) void this.read(slot);
  }

  private sync(): void {
    const specs = this.checks();
    if (specs === this.specs) return;
    this.specs = specs;
    const wanted = new Map(specs.map((spec) => [spec.name, spec]));
    for (const [name, slot] of this.slots) {
      if (JSON.stringify(wanted.get(name)) === JSON.stringify(slot.spec)) continue;
      this.slots.delete(name);
      this.options.observer?.healthCheckRemoved(name);
    }
    const kept = new Map(this.slots);
    this.slots.clear();
    for (const spec of specs) this.slots.set(spec.name, kept.get(spec.name) ?? { spec, result: pending(spec), dueAt: 0, reading: null });
  }

  private read(slot: Slot): Promise<void> {
    if (slot.reading) return slot.reading;
    const { spec } = slot;
    const started = this.timer.now();
    slot.dueAt = started + spec.intervalMs;
    const timeoutMs = Math.min(this.options.timeoutMs ?? 10_000, spec.intervalMs);
    slot.reading = readCheck(spec, this.options.allowedHosts, timeoutMs)
      .then(
        (findings) => this.settle(slot, found(spec, findings, this.timer.now()), true),
        (error: Error) => this.settle(slot, unreadable(spec, error.message, this.timer.now()), false),
      )
      .finally(() => {
        slot.reading = null;
      });
    return slot.reading;
  }

  private settle(slot: Slot, result: HealthCheckResult, up: boolean): void {
    // A check removed or changed while it was being read keeps no result.
    if (this.slots.get(slot.spec.name) !== slot) return;
    slot.result = result;
    this.options.observer?.healthCheckRead(result, up);
  }
}

/** `alertmanager check "pages"`: how every message names its check. */
function named(spec: HealthCheckSpec): string {
  return `${spec.type} check "${spec.name}"`;
}

function pending(spec: HealthCheckSpec): HealthCheckResult {
  const ok = spec.onError === 'allow';
  return { check: spec.name, ok, failing: [], readAt: null, message: `${named(spec)} has not been read yet${ok ? '' : '; onError block holds new activations until it is'}` };
}

function found(spec: HealthCheckSpec, findings: Findings, readAt: number): HealthCheckResult {
  const failing = findings.items;
  if (failing.length === 0) return { check: spec.name, ok: true, failing, readAt, message: `${named(spec)} passes` };
  const shown = failing.length > 5 ? `${failing.slice(0, 5).join(', ')} and ${failing.length - 5} more` : failing.join(', ');
  const message =
    spec.type === 'alertmanager'
      ? `${named(spec)}: ${failing.length} alert${failing.length > 1 ? 's' : ''} active (not silenced or inhibited): ${shown}`
      : `${named(spec)}: query ${spec.query} returned ${failing.length} series: ${shown}`;
  return { check: spec.name, ok: false, failing, readAt, message };
}

function unreadable(spec: HealthCheckSpec, error: string, readAt: number): HealthCheckResult {
  const ok = spec.onError === 'allow';
  const follows = ok ? 'onError allow lets activations through' : 'onError block holds new activations';
  return { check: spec.name, ok, failing: [], readAt, error, message: `${named(spec)} cannot be read: ${error}; ${follows}` };
}
