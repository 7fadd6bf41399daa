/**
 * The executor: performs the planner's actions against scenarios with a bounded number of calls in flight.
 * Deactivations always go before queued activations, and activations before lease renewals; an activation
 * can be abandoned (stop-all, or a deactivation for the same scenario supersedes it), so nothing slow ever
 * delays a stop. A queued renewal is dropped the same way; one already sent is let finish (see `renew`).
 */
import { Cancellation, type ScenarioAddress, type ScenarioClient, type CallResult } from './scenario-client';
import type { ActionKind } from './types';

/** What one finished action reports. */
export interface ActionOutcome {
  scenario: string;
  action: ActionKind;
  result: CallResult;
  durationMs: number;
}

interface Job {
  scenario: string;
  action: ActionKind;
  address: ScenarioAddress;
  /** Only planned activations can be cut off mid-flight, so only they carry one. */
  cancellation: Cancellation | null;
  /** A lease renewal (SPEC 12): an activation of a scenario already active, which the loop did not plan. */
  renewal: boolean;
  resolve: (outcome: ActionOutcome) => void;
  startedAt: number | null;
  /** Taken from its queue or abandoned: skipped where it still stands in the queue's array. */
  done?: boolean;
}

/**
 * A FIFO of jobs with O(1) removal: removed jobs are only marked and skipped later. At 10,000 queued calls,
 * splicing at the head for every dispatch (and once more per abandoned job) was quadratic.
 */
class JobQueue {
  private items: Job[] = [];
  private head = 0;
  size = 0;

  push(job: Job): void {
    this.items.push(job);
    this.size++;
  }

  /** Marks a queued job removed. */
  remove(job: Job): void {
    if (job.done) return;
    job.done = true;
    this.size--;
  }

  /** Takes the first job whose scenario is not busy. */
  take(isBusy: (scenario: string) => boolean): Job | null {
    while (this.head < this.items.length && this.items[this.head].done) this.head++;
    for (let i = this.head; i < this.items.length; i++) {
      const job = this.items[i];
      if (job.done || isBusy(job.scenario)) continue;
      this.remove(job);
      this.compact();
      return job;
    }
    return null;
  }

  /** Every job still queued, in order; the queue is left empty. */
  drain(): Job[] {
    const live = this.items.slice(this.head).filter((job) => !job.done);
    for (const job of live) job.done = true;
    this.items = [];
    this.head = 0;
    this.size = 0;
    return live;
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Runs actions and observations with a concurrency bound, priority to deactivation. Lease renewals share
 * the bound at the lowest priority: a burst of them (10,000 scenarios activated together renew together)
 * waits behind any stop or start, and a renewal is sent well before its lease is at risk.
 */
export class Executor {
  private readonly deactivations = new JobQueue();
  private readonly activations = new JobQueue();
  private readonly renewals = new JobQueue();
  private readonly running = new Map<string, Job>();
  private readonly queued = new Map<string, Job>();
  private observing = 0;

  constructor(
    private readonly client: ScenarioClient,
    private readonly maxInFlight: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Calls currently in flight plus those waiting. */
  get depth(): number {
    return this.running.size + this.deactivations.size + this.activations.size + this.renewals.size;
  }

  /** The action the loop planned that is queued or running for a scenario, if any (a renewal is not one). */
  pending(scenario: string): ActionKind | null {
    const job = this.running.get(scenario) ?? this.queued.get(scenario);
    return job && !job.renewal ? job.action : null;
  }

  /** Whether any call (a planned action or a renewal) is queued or running for a scenario. */
  isBusy(scenario: string): boolean {
    return this.running.has(scenario) || this.queued.has(scenario);
  }

  /**
   * Queues a lease renewal: the activation call again, at the lowest priority. Null when the scenario
   * already has a call queued or running (an activation carries the lease itself; a deactivation ends it).
   * Any action submitted later for the scenario supersedes a queued renewal (it resolves as aborted, never
   * sent). A renewal already sent is never cut off: the scenario may have read it and would then apply it
   * in any order with the call that follows on another connection; a renewal landing after a deactivation
   * would switch the scenario on again. The next call waits for its answer, one call per scenario as always.
   */
  renew(scenario: string, address: ScenarioAddress): Promise<ActionOutcome> | null {
    if (this.isBusy(scenario)) return null;
    return this.enqueue(scenario, 'activate', address, true);
  }

  /**
   * Queues an action. A deactivation supersedes a queued or running activation of the same scenario
   * (the activation resolves as aborted). Resolves when the call finished or was abandoned.
   */
  submit(scenario: string, action: ActionKind, address: ScenarioAddress): Promise<ActionOutcome> {
    if (action === 'deactivate') this.abandonActivation(scenario);
    else this.abandonRenewal(scenario);
    return this.enqueue(scenario, action, address, false);
  }

  private enqueue(scenario: string, action: ActionKind, address: ScenarioAddress, renewal: boolean): Promise<ActionOutcome> {
    return new Promise((resolve) => {
      const job: Job = { scenario, action, address, cancellation: action === 'activate' && !renewal ? new Cancellation() : null, renewal, resolve, startedAt: null };
      this.queued.set(scenario, job);
      this.queueOf(job).push(job);
      this.pump();
    });
  }

  private queueOf(job: Job): JobQueue {
    if (job.action === 'deactivate') return this.deactivations;
    return job.renewal ? this.renewals : this.activations;
  }

  /**
   * Abandons every queued and running activation: the first step of stop-all. Returns the scenarios whose
   * activation was never sent (they need nothing more) and those whose call was cut off mid-flight.
   */
  abandonAllActivations(): { neverSent: string[]; interrupted: string[] } {
    const drain = (queue: JobQueue) =>
      queue.drain().map((job) => {
        if (this.queued.get(job.scenario) === job) this.queued.delete(job.scenario);
        job.resolve(abandoned(job, 0));
        return job.scenario;
      });
    // Queued renewals go too (every lease is about to be ended by a deactivation), but are not reported: the
    // loop did not plan them, so it has nothing to undo. Renewals in flight finish (see `renew`).
    drain(this.renewals);
    const neverSent = drain(this.activations);
    const interrupted = [...this.running.values()].filter((job) => job.action === 'activate' && !job.renewal).map((job) => job.scenario);
    for (const id of interrupted) this.abandonActivation(id);
    return { neverSent, interrupted };
  }

  /** Reads a scenario's state, outside the action queue but within a separate small budget. */
  async observe(address: ScenarioAddress): Promise<CallResult> {
    this.observing++;
    try {
      return await this.client.getState(address);
    } finally {
      this.observing--;
    }
  }

  /** Abandons the scenario's queued activation or renewal, and cuts off its running activation (a renewal has no cancellation). */
  private abandonActivation(scenario: string, renewalOnly = false): void {
    const matches = (job: Job | undefined): job is Job => job !== undefined && job.action === 'activate' && (job.renewal || !renewalOnly);
    const queued = this.queued.get(scenario);
    if (matches(queued)) {
      this.queued.delete(scenario);
      this.queueOf(queued).remove(queued);
      queued.resolve(abandoned(queued, 0));
    }
    const running = this.running.get(scenario);
    if (matches(running)) running.cancellation?.cancel();
  }

  /** An action the loop planned supersedes a renewal of the same scenario. */
  private abandonRenewal(scenario: string): void {
    this.abandonActivation(scenario, true);
  }

  private pump(): void {
    while (this.running.size < this.maxInFlight) {
      const job = this.nextRunnable();
      if (!job) return;
      void this.run(job);
    }
  }

  /** The next job whose scenario has nothing running; per scenario, one call at a time. */
  private nextRunnable(): Job | null {
    const isBusy = (scenario: string) => this.running.has(scenario);
    return this.deactivations.take(isBusy) ?? this.activations.take(isBusy) ?? this.renewals.take(isBusy);
  }

  private async run(job: Job): Promise<void> {
    if (this.queued.get(job.scenario) === job) this.queued.delete(job.scenario);
    this.running.set(job.scenario, job);
    job.startedAt = this.clock();
    let result: CallResult;
    try {
      result = await this.client.setState(job.address, job.action === 'activate' ? 'active' : 'inactive', job.cancellation ?? undefined);
    } catch (error) {
      result = { ok: false, unreachable: false, aborted: false, error: (error as Error).message };
    }
    this.running.delete(job.scenario);
    job.resolve({ scenario: job.scenario, action: job.action, result, durationMs: this.clock() - job.startedAt });
    this.pump();
  }
}

function abandoned(job: Job, durationMs: number): ActionOutcome {
  // Never sent: the scenario cannot have acted on it, so it needs no deactivation.
  return { scenario: job.scenario, action: job.action, result: { ok: false, unreachable: false, aborted: true, neverSent: true, error: 'abandoned before it was sent' }, durationMs };
}
