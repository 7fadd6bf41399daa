/**
 * A scenario's maintenance state with its lease and epoch fence, independent of any HTTP server: the node and
 * Express adapters hand it a call (method, headers, body text) and send back the reply it returns.
 *
 * Decisions:
 * - Changes run one at a time (a promise chain), so hooks never interleave and a lease cannot expire in the
 *   middle of an activation.
 * - A hook that throws refuses the call (500) and changes nothing; the orchestrator retries. Lease expiry is the
 *   exception: the state goes inactive whatever the hooks do, because the dead-man switch must not depend on them.
 * - Calls without `X-Maintenance-Epoch` are accepted (an orchestrator without leader election, or a person with
 *   curl); calls with one older than the newest seen are refused with 409 and change nothing.
 */
import { type Clock, systemClock } from './clock';
import { type MaintenanceState, type StateRequest, isMaintenanceState, parseEpoch, parseLeader, parseStateRequest, EPOCH_HEADER, LEADER_HEADER } from './protocol';

/** Why the state changed. */
export type ChangeCause = 'request' | 'lease-expired';

/** What hooks are told about a change. */
export interface StateChange {
  from: MaintenanceState;
  to: MaintenanceState;
  cause: ChangeCause;
  /** The lease the activation carries, or null (no lease, or a deactivation). */
  leaseExpiresAt: Date | null;
  /** Epoch and leader of the call that asked for it, when it carried them. */
  epoch: number | null;
  leader: string | null;
}

/** Hooks a scenario plugs its maintenance work into; each may be async. */
export interface MaintenanceHooks {
  /** Start the work. Throwing refuses the activation (500) and the state stays inactive. */
  onActivate?(change: StateChange): void | Promise<void>;
  /** Stop the work. Throwing refuses a requested deactivation (500); on lease expiry it is only reported. */
  onDeactivate?(change: StateChange): void | Promise<void>;
  /** The lease ran out with no renewal: the orchestrator is gone or cut off. Runs before onDeactivate. */
  onExpire?(expired: { leaseExpiresAt: Date }): void | Promise<void>;
  /** Runs for every valid, fenced POST before it is applied; throwing refuses it (500) and changes nothing. */
  beforeApply?(request: StateRequest): void | Promise<void>;
  /** Errors nobody can answer for (hooks during lease expiry); the default emits a process warning. */
  onError?(error: unknown, during: string): void;
}

/** How to build a switch. */
export interface MaintenanceSwitchOptions extends MaintenanceHooks {
  /** State at start; `inactive` (the default) is what the protocol expects of a scenario that just started. */
  initialState?: MaintenanceState;
  /** Time source for leases; the system clock unless testing. */
  clock?: Clock;
}

/** What GET reports, and what a successful POST echoes. */
export interface StateReport {
  maintenanceState: MaintenanceState;
  state: MaintenanceState;
  /** ISO-8601 UTC, present while an activation lease runs. */
  leaseExpiresAt?: string;
}

/** One call on the state route, as an adapter read it. Header names are lower-case (node's convention). */
export interface StateCall {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The POST body as text; null when it was too large. Ignored for GET. */
  body: string | null;
}

/** The reply an adapter sends: a status and a JSON object. */
export interface StateReply {
  status: number;
  body: Record<string, unknown>;
}

/** The state, lease and epoch fence of one scenario. */
export class MaintenanceSwitch {
  private current: MaintenanceState;
  private leaseEnd: number | null = null;
  private leaseTimer: unknown = null;
  private newestEpoch: number | null = null;
  private newestLeader: string | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly clock: Clock;

  /** Validates the options; opens nothing. */
  constructor(private readonly options: MaintenanceSwitchOptions = {}) {
    this.current = options.initialState ?? 'inactive';
    if (!isMaintenanceState(this.current)) throw new RangeError('initialState must be "active" or "inactive"');
    this.clock = options.clock ?? systemClock;
  }

  /** The current state. */
  get state(): MaintenanceState {
    return this.current;
  }

  /** When the running lease ends, or null when there is none. */
  get leaseExpiresAt(): Date | null {
    return this.leaseEnd === null ? null : new Date(this.leaseEnd);
  }

  /** The newest epoch seen and the leader that sent it (null until a call carries one). */
  get fence(): { epoch: number | null; leader: string | null } {
    return { epoch: this.newestEpoch, leader: this.newestLeader };
  }

  /** The state as GET reports it. */
  report(): StateReport {
    const report: StateReport = { maintenanceState: this.current, state: this.current };
    if (this.leaseEnd !== null) report.leaseExpiresAt = new Date(this.leaseEnd).toISOString();
    return report;
  }

  /** Answers one call on the state route: GET reports, POST changes; bad input and stale epochs change nothing. */
  async handle(call: StateCall): Promise<StateReply> {
    const method = call.method.toUpperCase();
    if (method !== 'GET' && method !== 'POST') return refuse(405, 'MethodNotAllowed', `${method} is not allowed; use GET or POST`);
    const epoch = parseEpoch(call.headers[EPOCH_HEADER]);
    if (!epoch.ok) return refuse(400, 'InvalidEpoch', epoch.message);
    let request: StateRequest | null = null;
    if (method === 'POST') {
      if (call.body === null) return refuse(413, 'BodyTooLarge', 'body too large');
      const parsed = parseStateRequest(call.body);
      if (!parsed.ok) return refuse(400, 'InvalidBody', parsed.message);
      request = parsed.value;
    }
    const stale = this.admit(epoch.value, parseLeader(call.headers[LEADER_HEADER]));
    if (stale !== null) return stale;
    if (request === null) {
      if (this.isLeaseOverdue()) await this.serialize(() => this.expireIfDue());
      return { status: 200, body: { ...this.report() } };
    }
    let previousState: MaintenanceState;
    try {
      previousState = await this.serialize(() => this.apply(request, epoch.value));
    } catch (error: unknown) {
      return refuse(500, 'ChangeFailed', error instanceof Error ? error.message : String(error));
    }
    return { status: 200, body: { success: true, ...this.report(), previousState } };
  }

  /**
   * Records a change the scenario made itself (its work finished or crashed): no hooks run, since the scenario
   * already knows, and any lease ends. The next GET reports it, so the orchestrator sees the drift.
   */
  set(state: MaintenanceState): void {
    if (!isMaintenanceState(state)) throw new RangeError('state must be "active" or "inactive"');
    this.current = state;
    this.setLease(null);
  }

  /** Cancels the lease timer (call when the scenario shuts down); the state is kept. */
  close(): void {
    this.clearLeaseTimer();
  }

  /** Records a newer epoch; returns the 409 reply for an older one, or null when the call may proceed. */
  private admit(epoch: number | null, leader: string | null): StateReply | null {
    if (epoch === null) return null;
    if (this.newestEpoch !== null && epoch < this.newestEpoch) {
      const message = `epoch ${epoch} is older than epoch ${this.newestEpoch} (leader ${this.newestLeader ?? 'unknown'}): a newer orchestrator leads`;
      return { status: 409, body: { success: false, error: 'StaleEpoch', message, epoch, newestEpoch: this.newestEpoch, leader: this.newestLeader } };
    }
    this.newestEpoch = epoch;
    if (leader !== null) this.newestLeader = leader;
    return null;
  }

  /** Applies a POST; returns the state it found (after any overdue lease ended). */
  private async apply(request: StateRequest, epoch: number | null): Promise<MaintenanceState> {
    await this.expireIfDue();
    const previous = this.current;
    await this.options.beforeApply?.(request);
    await this.change(request.state, request.leaseSeconds, 'request', epoch);
    return previous;
  }

  /** Runs the hook for a transition, then commits the state and the lease (a renewal runs no hook). */
  private async change(to: MaintenanceState, leaseSeconds: number, cause: ChangeCause, epoch: number | null): Promise<void> {
    const from = this.current;
    const leaseEnd = to === 'active' && leaseSeconds > 0 ? this.clock.now() + leaseSeconds * 1000 : null;
    if (from !== to) {
      const change: StateChange = { from, to, cause, leaseExpiresAt: leaseEnd === null ? null : new Date(leaseEnd), epoch, leader: epoch === null ? null : this.newestLeader };
      await (to === 'active' ? this.options.onActivate?.(change) : this.options.onDeactivate?.(change));
    }
    this.current = to;
    this.setLease(leaseEnd);
  }

  private setLease(end: number | null): void {
    this.clearLeaseTimer();
    this.leaseEnd = end;
    if (end !== null) this.armLeaseTimer(end);
  }

  private armLeaseTimer(end: number): void {
    this.leaseTimer = this.clock.setTimer(() => {
      this.leaseTimer = null;
      void this.serialize(() => this.expireIfDue());
    }, Math.max(0, end - this.clock.now()));
  }

  private clearLeaseTimer(): void {
    if (this.leaseTimer !== null) this.clock.clearTimer(this.leaseTimer);
    this.leaseTimer = null;
  }

  private isLeaseOverdue(): boolean {
    return this.current === 'active' && this.leaseEnd !== null && this.clock.now() >= this.leaseEnd;
  }

  /** Ends an overdue lease: inactive first, then the hooks, whose errors only go to onError. */
  private async expireIfDue(): Promise<void> {
    const end = this.leaseEnd;
    if (end === null || this.current !== 'active') return;
    if (!this.isLeaseOverdue()) {
      // A timer can fire a little early on another clock; wait for the rest rather than end a live lease.
      if (this.leaseTimer === null) this.armLeaseTimer(end);
      return;
    }
    this.current = 'inactive';
    this.setLease(null);
    const change: StateChange = { from: 'active', to: 'inactive', cause: 'lease-expired', leaseExpiresAt: null, epoch: null, leader: null };
    await this.guard('onExpire', () => this.options.onExpire?.({ leaseExpiresAt: new Date(end) }));
    await this.guard('onDeactivate', () => this.options.onDeactivate?.(change));
  }

  private async guard(during: string, run: () => void | Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error: unknown) {
      const report = this.options.onError ?? ((e: unknown, d: string) => process.emitWarning(`maintenance ${d} failed: ${e instanceof Error ? e.message : String(e)}`));
      report(error, during);
    }
  }

  /** Runs `task` after every change queued before it; a failed task does not block the next. */
  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

function refuse(status: number, error: string, message: string): StateReply {
  return { status, body: { success: false, error, message } };
}
