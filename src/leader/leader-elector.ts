/**
 * Leader election over the store's lease (SPEC 9), after client-go's leaderelection: a follower tries to
 * acquire every `retryMs`; the leader renews every `retryMs` and keeps its own deadline on the local
 * monotonic clock, started *before* the renew that succeeded was sent. Past `renewDeadlineMs` with no
 * successful renew, `fence()` answers null at once and the leader steps down: since `renewDeadlineMs <
 * leaseMs` and expiry is judged on the database's clock, it has stopped before anyone else can acquire.
 * A paused process (SIGSTOP, a long GC) wakes past its deadline, and the first thing any call does is ask
 * `fence()`, so it sends nothing.
 */
import { performance } from 'node:perf_hooks';
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import { standaloneTimers } from '../schedules/scheduler-timers';
import type { LeaseRepository } from '../store/store.port';

/** controller-runtime's name for the election, also the lease row's name and the metric's label. */
export const ELECTION_NAME = 'maintenance-orchestrator';

/** What every scenario call carries: `X-Maintenance-Epoch` and `X-Maintenance-Leader`. */
export interface Fence {
  epoch: number;
  leader: string;
}

/** The replica that leads, as /status and /readyz show it. */
export interface LeaderInfo {
  id: string;
  epoch: number;
  /** ISO-8601, the database's time of the acquisition. */
  since: string | null;
}

/** This replica's part. */
export type Role = 'leader' | 'follower';

/** What leads and what follows need done: `prepare` before the first call (awaited), `lead` and `follow` at once. */
export interface LeadershipHooks {
  /** Before leading: read what the previous leader left (the desired state). A throw gives the lead up. */
  prepare?(fence: Fence): Promise<void>;
  /** Start acting (the loop). */
  lead?(fence: Fence): void;
  /** Stop acting now (synchronous: no call may start after it returns). */
  follow?(reason: string): void;
}

/** Timings and identity; see LeaderElectionConfig. */
export interface ElectorOptions {
  id: string;
  leaseMs: number;
  renewDeadlineMs: number;
  retryMs: number;
  /** SQLite: one orchestrator per file, always the leader (no renewals, no deadline). */
  single: boolean;
  /** The local monotonic clock (ms); performance.now by default. */
  monotonic?: () => number;
  /** Where the retry and deadline timers are named (the application's SchedulerRegistry); its own by default. */
  timers?: Timers;
}

/** The timers' names, as GET /api/v1/timers lists them. */
export const LEADER_TICK_TIMER = 'leader.tick';
export const LEADER_DEADLINE_TIMER = 'leader.deadline';

/** Listens to changes of role, for metrics. */
export type LeadershipListener = (state: { role: Role; epoch: number; leader: LeaderInfo | null }) => void;

/** One replica's view of the election, and its own part in it. */
export class LeaderElector {
  private currentRole: Role = 'follower';
  private epoch = 0;
  private since: string | null = null;
  /** Monotonic instant the last successful renew (or the acquisition) was sent. */
  private renewSentAt = 0;
  /** The leader as last read from the lease (followers), or this replica. */
  private known: LeaderInfo | null = null;
  private readonly hooks: LeadershipHooks[] = [];
  private readonly listeners: LeadershipListener[] = [];
  private running = false;
  private readonly monotonic: () => number;
  private readonly timers: Timers;

  constructor(
    private readonly lease: LeaseRepository,
    private readonly activity: ActivitySink,
    private readonly options: ElectorOptions,
  ) {
    this.monotonic = options.monotonic ?? (() => performance.now());
    this.timers = options.timers ?? standaloneTimers();
  }

  /** This replica's id (the lease holder name). */
  get id(): string {
    return this.options.id;
  }

  /** `leader` only while within the renew deadline (asks the clock, so a woken process is a follower at once). */
  get role(): Role {
    return this.fence() ? 'leader' : 'follower';
  }

  /** The leader as far as this replica knows: itself, or the lease's holder at the last look. */
  get leader(): LeaderInfo | null {
    return this.fence() ? { id: this.options.id, epoch: this.epoch, since: this.since } : this.known;
  }

  /** Registers what to do on taking and losing the lead (in registration order). */
  onLeadership(hooks: LeadershipHooks): void {
    this.hooks.push(hooks);
  }

  /** Registers a listener of role changes (called once at once with the current state). */
  onChange(listener: LeadershipListener): void {
    this.listeners.push(listener);
    listener({ role: this.currentRole, epoch: this.epoch, leader: this.known });
  }

  /**
   * The epoch and leader a call may carry, or null when this replica must not call scenarios: it does not
   * lead, or its renew deadline has passed (then it steps down here, before the caller sends anything).
   */
  fence(): Fence | null {
    if (this.currentRole !== 'leader') return null;
    if (!this.options.single && this.monotonic() - this.renewSentAt >= this.options.renewDeadlineMs) {
      this.stepDown(`no renewal within the renew deadline (${this.options.renewDeadlineMs} ms)`);
      return null;
    }
    return { epoch: this.epoch, leader: this.options.id };
  }

  /** Makes the first attempt (so a single node leads when this resolves), then keeps trying or renewing. */
  async start(): Promise<void> {
    this.running = true;
    await this.tick();
  }

  /** Clean shutdown: stops acting, then releases the lease so the next replica acquires at once. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimers();
    if (this.currentRole !== 'leader') return;
    const epoch = this.epoch;
    this.stepDown('shutting down');
    await this.lease.release(ELECTION_NAME, this.options.id, epoch).catch(() => undefined);
  }

  private async tick(): Promise<void> {
    try {
      if (this.currentRole === 'leader') await this.renew();
      else await this.tryAcquire();
    } catch {
      // The database is away: a leader's deadline timer deposes it; a follower tries again.
    }
    if (this.running && !(this.options.single && this.currentRole === 'leader')) {
      this.timers.once(LEADER_TICK_TIMER, this.options.retryMs, () => void this.tick());
    }
  }

  private async tryAcquire(): Promise<void> {
    const sentAt = this.monotonic();
    const won = await this.lease.acquire(ELECTION_NAME, this.options.id, this.options.leaseMs);
    if (!this.running) {
      if (won) await this.lease.release(ELECTION_NAME, this.options.id, won.epoch);
      return;
    }
    if (won) return this.takeLead(won.epoch, won.acquiredAt, sentAt);
    const row = await this.lease.read(ELECTION_NAME);
    this.noteLeader(row?.holder ? { id: row.holder, epoch: row.epoch, since: row.acquiredAt } : null);
  }

  private async takeLead(epoch: number, acquiredAt: string, sentAt: number): Promise<void> {
    const previous = this.known;
    this.currentRole = 'leader';
    this.epoch = epoch;
    this.since = acquiredAt;
    this.renewSentAt = sentAt;
    this.known = { id: this.options.id, epoch, since: acquiredAt };
    this.armDeadline();
    const fence = { epoch, leader: this.options.id };
    const after = previous && previous.id !== this.options.id ? ` (after ${previous.id}, epoch ${previous.epoch})` : '';
    this.activity.record({ category: 'leader', actor: 'system', message: `${this.options.id} leads at epoch ${epoch}${after}`, data: { action: 'elected', leader: this.options.id, epoch, since: acquiredAt } });
    this.announce();
    try {
      for (const hook of this.hooks) await hook.prepare?.(fence);
    } catch (error) {
      if (this.fence()?.epoch === epoch) this.stepDown(`could not prepare to lead: ${(error as Error).message}`);
      return;
    }
    // The deadline may have passed, or the lead been lost, while preparing.
    if (this.fence()?.epoch !== epoch) return;
    for (const hook of this.hooks) hook.lead?.(fence);
  }

  private async renew(): Promise<void> {
    const epoch = this.epoch;
    const sentAt = this.monotonic();
    const held = await this.lease.renew(ELECTION_NAME, this.options.id, epoch);
    if (this.currentRole !== 'leader' || this.epoch !== epoch) return;
    if (!held) return this.stepDown('the lease was taken by another replica');
    this.renewSentAt = sentAt;
    this.armDeadline();
    this.fence();
  }

  /** A timer at the deadline, so a leader whose renewals hang steps down then even if nothing calls `fence()`. */
  private armDeadline(): void {
    if (this.options.single) return;
    const remaining = this.renewSentAt + this.options.renewDeadlineMs - this.monotonic();
    this.timers.once(LEADER_DEADLINE_TIMER, Math.max(0, Math.ceil(remaining)), () => this.fence());
  }

  private stepDown(reason: string): void {
    if (this.currentRole !== 'leader') return;
    this.currentRole = 'follower';
    this.timers.cancel(LEADER_DEADLINE_TIMER);
    this.known = null;
    for (const hook of this.hooks) hook.follow?.(reason);
    this.activity.record({ category: 'leader', level: 'warn', actor: 'system', message: `${this.options.id} stopped leading (epoch ${this.epoch}): ${reason}`, data: { action: 'stepped-down', leader: this.options.id, epoch: this.epoch, reason } });
    this.announce();
  }

  private noteLeader(leader: LeaderInfo | null): void {
    const changed = leader?.id !== this.known?.id || leader?.epoch !== this.known?.epoch;
    this.known = leader;
    if (changed) this.announce();
  }

  private announce(): void {
    for (const listener of this.listeners) listener({ role: this.currentRole, epoch: this.currentRole === 'leader' ? this.epoch : this.known?.epoch ?? this.epoch, leader: this.known });
  }

  private clearTimers(): void {
    this.timers.cancel(LEADER_TICK_TIMER);
    this.timers.cancel(LEADER_DEADLINE_TIMER);
  }
}
