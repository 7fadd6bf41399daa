/**
 * The reconcile loop: level-triggered. Every pass re-reads declared and observed state, plans, and hands
 * actions to the executor; results, timers, rescans and user changes all just request another pass.
 */
import { EventEmitter } from 'node:events';
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import type { Policy } from '../presets/schema';
import { standaloneTimers } from '../schedules/scheduler-timers';
import { backoffDelay } from './backoff';
import { SettleWaiters } from './settle-waiters';
import { gateChanges, outcomeEntry, planEntry } from './reconcile-log';
import type { Executor, ActionOutcome } from './executor';
import type { ChangeProgress, HealthReading, HostLoad, OpenDenyWindow } from './gates';
import { effectiveState, plan, type PlannableScenario } from './planner';
import { unknownRecord, type DesiredEntry, type Gate, type ObservedRecord, type PlannedAction, type ScenarioVerdict } from './types';

/** A scenario as the loop needs it: plannable and addressable. */
export interface ReconcilableScenario extends PlannableScenario {
  stateEndpoint: string;
}

/** Everything declared, gathered fresh for each pass. */
export interface ReconcileInputs {
  /** Sorted by id; the same array while discovery has nothing new, so the loop can skip re-indexing it. */
  scenarios: readonly ReconcilableScenario[];
  gone: ReadonlySet<string>;
  desired: Map<string, DesiredEntry>;
  policy: Policy;
  emergencyStop: { reason: string; actor: string } | null;
  denyWindows: OpenDenyWindow[];
  host: HostLoad | null;
  /** The last reading of each health check (SPEC 11); absent when none is configured. */
  health?: readonly HealthReading[] | null;
  /** The change in progress and its failed activations (the FailureBudget gate, SPEC 10); absent when none. */
  failureBudget?: ChangeProgress | null;
  /** The next instant the declared state changes by itself (a TTL, a window edge), so a timer fires then. */
  nextChangeAt: number | null;
}

/** Supplies the inputs of a pass; may expire TTLs as it goes (it owns the declared state). */
export interface InputsProvider {
  prepare(now: number): ReconcileInputs;
  /** Called once a Gone scenario has been driven inactive and can leave the list. */
  forget(id: string): void;
}

/** Hooks for metrics; the loop never imports a metrics library. */
export interface ReconcilerObserver {
  passCompleted(result: 'success' | 'error', durationSeconds: number, queueDepth: number): void;
  actionCompleted(outcome: ActionOutcome, retrying: boolean): void;
  /** A scenario became blocked by a gate, or by another gate than before. */
  gateBlocked(gate: Gate): void;
}

/** Summary of the last pass, for status and health. */
export interface PassSummary {
  at: number;
  durationMs: number;
  actions: number;
  error: string | null;
}

/** Options of the loop. */
export interface ReconcilerOptions {
  resyncIntervalMs: number;
  /** Concurrent observations during a resync. */
  observeConcurrency?: number;
  clock?: () => number;
  random?: () => number;
  /** Where the loop's named timers live (the application's SchedulerRegistry); its own when omitted. */
  timers?: Timers;
  /** Leadership (src/leader): a pass on a follower plans (for the API's answers) but dispatches nothing. */
  mayAct?: () => boolean;
}

/** Names of the loop's timers, as GET /api/v1/timers lists them. */
export const RECONCILER_TIMERS = { pass: 'reconciler.pass', wake: 'reconciler.wake', resync: 'reconciler.resync' } as const;

/** Delay that gathers a burst of action results into one pass. */
const RESULT_BATCH_MS = 5;
/**
 * How long the pass after results that all reached their target may wait. Nothing waits on it (views and
 * waiters read a result that reached its target as settled); it only refreshes the verdicts. During a
 * mass action each such pass plans every scenario again, so fewer of them leave the CPU to the calls.
 */
const SETTLED_RESULT_PASS_MS = 1000;

/** The loop. Emits `pass` after each pass and `outcome` after each action. */
export class Reconciler extends EventEmitter {
  readonly observed = new Map<string, ObservedRecord>();
  verdicts = new Map<string, ScenarioVerdict>();
  lastPass: PassSummary | null = null;
  private scenarios = new Map<string, ReconcilableScenario>();
  private scenarioSource: readonly ReconcilableScenario[] | null = null;
  /** When the requested pass runs; Infinity while none is requested. */
  private passDueAt = Infinity;
  /** Some scenario waits for a slot (Conflict, ConcurrencyLimit): a finished deactivation may let it in. */
  private slotWaiting = false;
  private readonly waiters = new SettleWaiters((id) => this.isSettled(id));
  /** The resync running now, if any (resyncs never overlap). */
  private resyncing: Promise<void> | null = null;
  private readonly clock: () => number;
  private readonly timers: Timers;
  private stopped = true;

  constructor(
    private readonly provider: InputsProvider,
    private readonly executor: Executor,
    private readonly activity: ActivitySink,
    private readonly options: ReconcilerOptions,
    private readonly observer: ReconcilerObserver | null = null,
  ) {
    super();
    this.setMaxListeners(0);
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? standaloneTimers();
  }

  /** Starts the loop: a first pass (which drives every scenario inactive) and the periodic resync. */
  start(): void {
    this.stopped = false;
    this.runPass();
    this.timers.every(RECONCILER_TIMERS.resync, this.options.resyncIntervalMs, () => void this.resync());
  }

  /** Whether the loop runs (started and not stopped); lease renewals follow it. */
  get isRunning(): boolean {
    return !this.stopped;
  }

  /** Stops timers; calls in flight finish on their own. */
  stop(): void {
    this.stopped = true;
    for (const name of Object.values(RECONCILER_TIMERS)) this.timers.cancel(name);
    this.passDueAt = Infinity;
    this.waiters.releaseAll();
  }

  /** Asks for a pass: at once when urgent (a user change), else batched with other results. */
  request(urgent = true): void {
    // Results are batched; the wait grows with the cost of a pass so that, at 10,000 scenarios, planning takes
    // at most a third of the CPU while results stream in and the calls themselves get the rest.
    this.schedulePass(urgent ? 0 : Math.max(RESULT_BATCH_MS, 2 * (this.lastPass?.durationMs ?? 0)));
  }

  /** Runs a pass after `delayMs`, unless one is already due sooner. Real time: timers do not follow a test clock. */
  private schedulePass(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (due >= this.passDueAt) return;
    this.passDueAt = due;
    this.timers.once(RECONCILER_TIMERS.pass, delayMs, () => {
      this.passDueAt = Infinity;
      this.runPass();
    });
  }

  /** Runs one pass now, synchronously: plan and dispatch. Returns the actions dispatched. */
  runPass(): PlannedAction[] {
    const started = this.clock();
    let actions: PlannedAction[] = [];
    let error: string | null = null;
    try {
      const inputs = this.provider.prepare(started);
      this.syncScenarios(inputs.scenarios);
      const result = plan({ now: started, ...inputs, observed: this.observed, previous: this.verdicts });
      this.noteGateChanges(result.verdicts);
      this.verdicts = result.verdicts;
      this.slotWaiting = waitsForSlot(result.verdicts);
      actions = result.actions;
      // A follower's pass only plans: the API answers with that plan while the leader acts on the change.
      if (!this.options.mayAct || this.options.mayAct()) {
        for (const action of actions) this.dispatch(action);
        if (actions.length > 0) this.activity.record(planEntry(actions), { batch: true });
      }
      this.forgetConvergedGone(inputs.gone);
      this.scheduleWake(inputs.nextChangeAt);
    } catch (caught) {
      error = (caught as Error).message;
      this.activity.record({ category: 'reconcile', level: 'error', message: `reconcile pass failed: ${error}`, actor: 'system' });
    } finally {
      const durationMs = this.clock() - started;
      this.lastPass = { at: started, durationMs, actions: actions.length, error };
      this.observer?.passCompleted(error ? 'error' : 'success', durationMs / 1000, this.executor.depth);
      this.emit('pass', this.lastPass);
      this.waiters.check();
    }
    return actions;
  }

  /** Abandons every queued or running activation (stop-all), then plans at once; returns that pass's actions. */
  abandonActivations(): PlannedAction[] {
    const { neverSent } = this.executor.abandonAllActivations();
    // Their outcomes arrive after this pass; they never left, so nothing is in flight and nothing to undo.
    for (const id of neverSent) {
      const record = this.observed.get(id);
      if (record?.inFlight === 'activate') record.inFlight = null;
    }
    return this.runPass();
  }

  /** Forgets what was observed (a replica that leads again must not trust what it saw before it followed). */
  forgetObservations(): void {
    this.observed.clear();
    this.verdicts = new Map();
    this.scenarioSource = null;
  }

  /**
   * Reads every addressable scenario's state (bounded concurrency), then plans. One resync at a time: with
   * slow scenarios a resync outlasts its interval, and the next one started beside it multiplied the
   * observations in flight past the bound (issue 16); asked for while one runs, the answer is that one.
   */
  resync(): Promise<void> {
    this.resyncing ??= this.readAll().finally(() => (this.resyncing = null));
    return this.resyncing;
  }

  private async readAll(): Promise<void> {
    const targets = [...this.scenarios.values()].filter((scenario) => scenario.endpoint && !this.observed.get(scenario.id)?.inFlight);
    const limit = this.options.observeConcurrency ?? 64;
    let next = 0;
    const worker = async () => {
      while (next < targets.length && !this.stopped) {
        const scenario = targets[next++];
        const result = await this.executor.observe({ id: scenario.id, endpoint: scenario.endpoint as string, stateEndpoint: scenario.stateEndpoint });
        this.applyObservation(scenario.id, result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
    this.request(false);
  }

  /** Resolves once none of `ids` is progressing any more, or after `timeoutMs`. */
  waitForSettled(ids: string[], timeoutMs: number): Promise<void> {
    return this.waiters.wait(ids, timeoutMs);
  }

  /** The scenarios of the last pass. */
  scenarioList(): ReconcilableScenario[] {
    return [...this.scenarios.values()];
  }

  private isSettled(id: string): boolean {
    const record = this.observed.get(id);
    if (!record) return true;
    const verdict = this.verdicts.get(id);
    return record.inFlight === null && (verdict?.reason !== 'Progressing' || effectiveState(record) === verdict.target);
  }

  private syncScenarios(list: readonly ReconcilableScenario[]): void {
    if (list === this.scenarioSource) return;
    const next = new Map<string, ReconcilableScenario>();
    for (const scenario of list) {
      next.set(scenario.id, scenario);
      if (!this.observed.has(scenario.id)) this.observed.set(scenario.id, unknownRecord());
    }
    for (const id of this.observed.keys()) if (!next.has(id)) this.observed.delete(id);
    this.scenarios = next;
    this.scenarioSource = list;
  }

  private dispatch(action: PlannedAction): void {
    const scenario = this.scenarios.get(action.scenario);
    const record = this.observed.get(action.scenario);
    if (!scenario?.endpoint || !record) return;
    record.inFlight = action.action;
    const address = { id: scenario.id, endpoint: scenario.endpoint, stateEndpoint: scenario.stateEndpoint };
    void this.executor.submit(scenario.id, action.action, address).then((outcome) => this.applyOutcome(outcome, action.because));
  }

  private applyOutcome(outcome: ActionOutcome, because: string): void {
    const record = this.observed.get(outcome.scenario);
    if (!record) return;
    record.inFlight = this.executor.pending(outcome.scenario);
    const now = this.clock();
    const { result } = outcome;
    if (result.ok) {
      const target = outcome.action === 'activate' ? 'active' : 'inactive';
      record.state = result.reported === 'unknown' ? target : result.reported;
      record.lastAck = target;
      if (target === 'active') record.lastActivatedAt = now;
      record.failures = 0;
      record.retryAt = null;
      record.lastError = null;
      record.leaseExpiresAt = result.leaseExpiresAt ?? null;
    } else if (result.aborted && outcome.action === 'activate' && !result.neverSent) {
      // The scenario may have acted on a call we walked away from: treat it as unknown so it is driven inactive.
      record.state = 'unknown';
      record.lastAck = null;
    } else if (!result.aborted) {
      record.failures += 1;
      record.retryAt = now + backoffDelay(record.failures, this.options.random);
      record.lastError = result.error;
      if (result.unreachable) record.state = 'unreachable';
    }
    this.observer?.actionCompleted(outcome, !result.ok && !result.aborted);
    this.activity.record(outcomeEntry(outcome, because), { batch: true });
    this.emit('outcome', outcome);
    this.waiters.check(outcome.scenario);
    // A call that reached its target changes nothing the next pass would decide, unless it freed a slot
    // someone waits for; its pass (which refreshes the verdicts) can wait, and a bulk change then costs a
    // handful of passes over the fleet instead of one per batch of results.
    const reached = result.ok && this.verdicts.get(outcome.scenario)?.target === (outcome.action === 'activate' ? 'active' : 'inactive');
    if (reached && !(outcome.action === 'deactivate' && this.slotWaiting)) this.schedulePass(SETTLED_RESULT_PASS_MS);
    else this.request(false);
  }

  private applyObservation(id: string, result: Awaited<ReturnType<Executor['observe']>>): void {
    const record = this.observed.get(id);
    if (!record || record.inFlight) return; // an action result is fresher than this read
    const before = record.state;
    if (result.ok) {
      record.state = result.reported;
      if (result.reported === 'active' || result.reported === 'inactive') record.lastAck = result.reported;
      record.leaseExpiresAt = result.leaseExpiresAt ?? null;
    } else {
      record.state = result.unreachable ? 'unreachable' : 'unknown';
      record.lastError = result.error;
    }
    if (before !== record.state && before !== 'unknown') {
      this.activity.record({ category: 'reconcile', scenario: id, actor: 'system', message: `observed ${record.state} (was ${before})` });
    }
  }

  /** Records a gate decision once, when a scenario's blocking gate changes; not on every pass. */
  private noteGateChanges(next: Map<string, ScenarioVerdict>): void {
    for (const change of gateChanges(this.verdicts, next)) {
      this.activity.record(change.entry, { batch: true });
      this.observer?.gateBlocked(change.gate);
    }
  }

  private forgetConvergedGone(gone: ReadonlySet<string>): void {
    for (const id of gone) {
      const scenario = this.scenarios.get(id);
      const record = this.observed.get(id);
      if (!scenario?.endpoint || !record || (effectiveState(record) !== 'active' && record.inFlight === null)) this.provider.forget(id);
    }
  }

  /** One timer for the next instant something changes by itself: a TTL, a window edge, a retry. (A cooldown ends at the next resync.) */
  private scheduleWake(nextChangeAt: number | null): void {
    let next = nextChangeAt ?? Infinity;
    for (const record of this.observed.values()) if (record.retryAt !== null && record.retryAt < next) next = record.retryAt;
    this.timers.cancel(RECONCILER_TIMERS.wake);
    if (next === Infinity || this.stopped) return;
    // +1 ms: timers run on a truncated monotonic clock and may fire a millisecond before the wall-clock edge,
    // which would find the window still closed and cost a second pass.
    const delay = Math.max(0, Math.min(next - this.clock() + 1, 2 ** 31 - 1));
    this.timers.once(RECONCILER_TIMERS.wake, delay, () => this.runPass());
  }
}

/** True when some scenario is held by Conflict or ConcurrencyLimit (without copying 10,000 verdicts into an array). */
function waitsForSlot(verdicts: ReadonlyMap<string, ScenarioVerdict>): boolean {
  for (const verdict of verdicts.values()) if (verdict.reason === 'Conflict' || verdict.reason === 'ConcurrencyLimit') return true;
  return false;
}
