/**
 * The executor: performs the planner's actions against scenarios with a bounded number of calls in flight.
 * Deactivations always go before queued activations; an activation can be abandoned (stop-all, or a
 * deactivation for the same scenario supersedes it), so nothing slow ever delays a stop.
 */
import type { ScenarioAddress, ScenarioClient, CallResult } from './scenario-client';
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
  /** Only activations can be abandoned, so only they carry one. */
  controller: AbortController | null;
  resolve: (outcome: ActionOutcome) => void;
  startedAt: number | null;
}

/** Runs actions and observations with a concurrency bound, priority to deactivation. */
export class Executor {
  private readonly deactivations: Job[] = [];
  private readonly activations: Job[] = [];
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
    return this.running.size + this.deactivations.length + this.activations.length;
  }

  /** The action queued or running for a scenario, if any. */
  pending(scenario: string): ActionKind | null {
    return (this.running.get(scenario) ?? this.queued.get(scenario))?.action ?? null;
  }

  /**
   * Queues an action. A deactivation supersedes a queued or running activation of the same scenario
   * (the activation resolves as aborted). Resolves when the call finished or was abandoned.
   */
  submit(scenario: string, action: ActionKind, address: ScenarioAddress): Promise<ActionOutcome> {
    if (action === 'deactivate') this.abandonActivation(scenario);
    return new Promise((resolve) => {
      const job: Job = { scenario, action, address, controller: action === 'activate' ? new AbortController() : null, resolve, startedAt: null };
      this.queued.set(scenario, job);
      (action === 'deactivate' ? this.deactivations : this.activations).push(job);
      this.pump();
    });
  }

  /** Abandons every queued and running activation: the first step of stop-all. Returns how many. */
  abandonAllActivations(): number {
    const ids = new Set([...this.activations.map((job) => job.scenario), ...[...this.running.values()].filter((job) => job.action === 'activate').map((job) => job.scenario)]);
    for (const id of ids) this.abandonActivation(id);
    return ids.size;
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

  private abandonActivation(scenario: string): void {
    const queued = this.queued.get(scenario);
    if (queued && queued.action === 'activate') {
      this.queued.delete(scenario);
      const index = this.activations.indexOf(queued);
      if (index >= 0) this.activations.splice(index, 1);
      queued.resolve(abandoned(queued, 0));
    }
    const running = this.running.get(scenario);
    if (running && running.action === 'activate') running.controller?.abort();
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
    for (const queue of [this.deactivations, this.activations]) {
      const index = queue.findIndex((job) => !this.running.has(job.scenario));
      if (index >= 0) return queue.splice(index, 1)[0];
    }
    return null;
  }

  private async run(job: Job): Promise<void> {
    if (this.queued.get(job.scenario) === job) this.queued.delete(job.scenario);
    this.running.set(job.scenario, job);
    job.startedAt = this.clock();
    let result: CallResult;
    try {
      result = await this.client.setState(job.address, job.action === 'activate' ? 'active' : 'inactive', job.controller?.signal);
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
