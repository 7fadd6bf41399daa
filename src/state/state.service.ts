/**
 * Every intent that changes the declared state: overrides, applied presets, stop-all and resume. The state
 * itself, and the inputs a pass reads from it, live in DeclaredState; the loop reads that, and this
 * service drives the loop, so neither needs the other at construction.
 */
import type { ActivitySink } from '../activity/activity';
import { DomainError } from '../common/domain-error';
import { formatDuration } from '../config/duration';
import type { ScenarioSpec } from '../discovery/scenario';
import type { PresetCatalog } from '../presets/preset-catalog';
import type { MaintenanceStateSpec } from '../presets/schema';
import { unknownNameMessage } from '../presets/unknown-name';
import type { DesiredStateModel } from '../reconciler/desired';
import { NO_NOTIFICATIONS, type NotificationSink } from '../notify/notification';
import { isBudgetExhausted } from '../reconciler/gates';
import { plan } from '../reconciler/planner';
import type { DesiredEntry } from '../reconciler/types';
import type { Reconciler } from '../reconciler/reconciler';
import { summarizeChange, touchedScenarios, type ChangePlan } from './change-plan';
import type { DeclaredState, ScenarioSource } from './declared-state';
import type { PolicyService } from './policy.service';

export { NO_WINDOWS, type HealthSource, type ScenarioSource, type StateEdges, type WindowSource } from './declared-state';

/** What intents need of the loop: a pass now (whose actions they report), and what it observed and decided. */
export type ReconcileLoop = Pick<Reconciler, 'observed' | 'verdicts' | 'runPass' | 'abandonActivations' | 'request'>;

/** Options of one intent. */
export interface IntentOptions {
  actor: string;
  confirm?: boolean;
  dryRun?: boolean;
}

/** What an emergency stop records when its caller gave no reason. */
export const NO_REASON = 'no reason given';

/** BREAK_GLASS_MAX_TTL's default (SPEC 10). */
export const DEFAULT_BREAK_GLASS_MAX_TTL_MS = 4 * 3_600_000;

/** An activation through the gates an incident must pass (SPEC 10): an admin's, with a reason and a TTL. */
export interface BreakGlassOptions {
  breakGlass?: boolean;
}

/** The error for a scenario id that names nothing, with the closest match and some known ids. */
export function unknownScenario(id: string, list: readonly ScenarioSpec[], named: 'url' | 'body' = 'url'): DomainError {
  const message = unknownNameMessage('scenario', id, list.map((spec) => spec.id));
  return new DomainError(named === 'url' ? 'NotFound' : 'Invalid', message, { unknownScenario: id });
}

/** Changes the declared state on behalf of people and clients. */
export class StateService {
  constructor(
    private readonly scenarios: ScenarioSource,
    private readonly presets: PresetCatalog,
    private readonly policy: PolicyService,
    private readonly declared: DeclaredState,
    private readonly reconciler: ReconcileLoop,
    private readonly activity: ActivitySink,
    private readonly defaultTimeoutMs: number | null,
    private readonly clock: () => number = Date.now,
    /** Where emergency stop and resume are announced (the notify module's dispatcher, when configured). */
    private readonly notifications: NotificationSink = NO_NOTIFICATIONS,
    /** BREAK_GLASS_MAX_TTL: the longest TTL a break-glass activation may ask for. */
    private readonly breakGlassMaxTtlMs: number = DEFAULT_BREAK_GLASS_MAX_TTL_MS,
    /** HA (PostgreSQL): where a change is stored before it is applied; none for a single SQLite node (SPEC 7). */
    private readonly shared: { save(model: DesiredStateModel): Promise<void> } | null = null,
  ) {}

  /** The current model, held by DeclaredState (which the loop reads). */
  private get model(): DesiredStateModel {
    return this.declared.model;
  }

  private set model(model: DesiredStateModel) {
    this.declared.model = model;
  }

  /** A copy of the declared state. */
  snapshot(): DesiredStateModel {
    return structuredClone(this.model);
  }

  /** The declared state as the API shows it (ISO times). */
  view() {
    const model = this.model;
    return {
      presets: [...model.presets],
      overrides: Object.fromEntries(
        Object.entries(model.overrides).map(([id, o]) => [
          id,
          { state: o.state, reason: o.reason, actor: o.actor, setAt: new Date(o.setAt).toISOString(), expiresAt: o.expiresAt ? new Date(o.expiresAt).toISOString() : null },
        ]),
      ),
      emergencyStop: model.emergencyStop ? { ...model.emergencyStop, at: new Date(model.emergencyStop.at).toISOString() } : null,
    };
  }

  /** What the loop intends now: pending actions and blocked scenarios. */
  currentPlan(): ChangePlan {
    return this.planFor(this.model);
  }

  /** The plan a MaintenanceState spec would give, without applying it. */
  planForSpec(spec: MaintenanceStateSpec): ChangePlan {
    return this.planFor(this.modelFromSpec(spec));
  }

  /** The plan a declared state would give, against what is observed now. */
  planFor(model: DesiredStateModel): ChangePlan {
    const now = this.clock();
    const before = this.inputsFor(this.model, now).desired;
    const inputs = this.inputsFor(model, now);
    return summarizeChange(before, inputs.desired, plan({ now, ...inputs, observed: this.reconciler.observed }));
  }

  /** Sets an override for one scenario. Refused (nothing stored) under emergency stop. */
  async setOverride(id: string, state: 'active' | 'inactive', options: IntentOptions & BreakGlassOptions & { ttlMs?: number | null; reason?: string | null }): Promise<ChangePlan> {
    this.requireScenario(id);
    if (options.breakGlass) this.checkBreakGlass(state, options);
    if (state === 'active' && this.model.emergencyStop) {
      const stop = this.model.emergencyStop;
      throw new DomainError('Refused', `emergency stop is active (by ${stop.actor}: ${stop.reason}); run resume first`, { reason: 'EmergencyStop' });
    }
    const now = this.clock();
    const ttlMs = options.ttlMs ?? (state === 'active' ? this.defaultTimeout() : null);
    const next = this.snapshot();
    next.overrides[id] = { state, expiresAt: ttlMs ? now + ttlMs : null, reason: options.reason ?? null, actor: options.actor, setAt: now };
    const ttlText = ttlMs ? ` for ${formatDuration(ttlMs)}` : '';
    if (options.breakGlass) {
      const reason = (options.reason as string).trim();
      next.overrides[id] = { ...next.overrides[id], reason, breakGlass: true };
      return this.commit(next, options, {
        action: 'break-glass',
        scenario: id,
        level: 'warn',
        message: `BREAK-GLASS activate by ${options.actor}${ttlText}: ${reason}`,
        data: { reason, expiresAt: new Date(now + (ttlMs as number)).toISOString() },
      });
    }
    return this.commit(next, options, { action: state === 'active' ? 'activate' : 'deactivate', scenario: id, message: `${state === 'active' ? 'activate' : 'deactivate'} requested${ttlText}${options.reason ? ` (${options.reason})` : ''}` });
  }

  /** `preset apply`: the applied presets become exactly [id] and overrides clear; `add` keeps the others. */
  async applyPreset(idOrAlias: string, options: IntentOptions & { add?: boolean }): Promise<{ preset: string; plan: ChangePlan }> {
    const preset = this.presets.get(idOrAlias);
    this.refuseUnderStop('apply a preset');
    const next = this.snapshot();
    if (options.add) next.presets = next.presets.includes(preset.id) ? next.presets : [...next.presets, preset.id];
    else {
      next.presets = [preset.id];
      next.overrides = {};
    }
    const change = await this.commit(next, options, { action: options.add ? 'add-preset' : 'apply-preset', preset: preset.id, message: `preset ${preset.id} ${options.add ? 'added' : 'applied'}` });
    return { preset: preset.id, plan: change };
  }

  /** `preset remove`: takes a preset out of the applied set. */
  async removePreset(idOrAlias: string, options: IntentOptions): Promise<{ preset: string; plan: ChangePlan }> {
    const preset = this.presets.get(idOrAlias);
    const next = this.snapshot();
    next.presets = next.presets.filter((id) => id !== preset.id);
    const change = await this.commit(next, options, { action: 'remove-preset', preset: preset.id, message: `preset ${preset.id} removed` });
    return { preset: preset.id, plan: change };
  }

  /** `apply -f` with a MaintenanceState: replaces presets and overrides whole. */
  async setDesiredState(spec: MaintenanceStateSpec, options: IntentOptions): Promise<ChangePlan> {
    for (const id of spec.presets) this.presets.get(id, 'body');
    for (const id of Object.keys(spec.overrides)) this.requireScenario(id, 'body');
    if (spec.presets.length || Object.values(spec.overrides).some((o) => o.state === 'active')) this.refuseUnderStop('apply a state with activations');
    const next = this.modelFromSpec(spec, options.actor);
    return this.commit(next, options, { action: 'set-desired-state', message: `desired state replaced: presets [${next.presets.join(', ')}], ${Object.keys(next.overrides).length} overrides` });
  }

  /**
   * Emergency stop: clears overrides and presets, latches, abandons queued activations, and plans at once.
   * Nothing is computed before the first deactivation goes out but that one pass.
   */
  stopAll(reason: string | null | undefined, actor: string): ChangePlan {
    // Never refused for want of a reason: the original's clients send none (SPEC 6).
    reason = reason?.trim() || NO_REASON;
    const now = this.clock();
    const before = this.desiredFor(this.model, now);
    this.model = { presets: [], overrides: {}, emergencyStop: { reason, actor, at: now } };
    this.declared.changes.end();
    this.activity.record({ category: 'system', level: 'warn', actor, message: `EMERGENCY STOP by ${actor}: ${reason}`, data: { action: 'stop-all' } });
    this.notifications.notify({ event: 'emergency.stop', actor, reason, message: `emergency stop by ${actor}: ${reason}`, at: now });
    const actions = this.reconciler.abandonActivations();
    return summarizeChange(before, this.desiredFor(this.model, now), { actions, verdicts: this.reconciler.verdicts });
  }

  /**
   * Stores the current model (HA): stop-all applies at once, for safety, and is stored after; this rejects
   * (503) when the database is away, though the stop already holds on this replica.
   */
  async persist(): Promise<void> {
    await this.shared?.save(this.model);
  }

  /**
   * Lifts the latch only: nothing comes back on its own except open allow windows. Stored first in HA mode.
   * It also ends the change in progress, so activations its failure budget held back go on (SPEC 10).
   */
  async resume(actor: string): Promise<{ wasStopped: boolean }> {
    const wasStopped = this.model.emergencyStop !== null;
    const next = { ...this.snapshot(), emergencyStop: null };
    if (this.shared) await this.shared.save(next);
    this.model = next;
    const change = this.declared.changes.progress();
    if (change && isBudgetExhausted(change, this.policy.current())) {
      this.activity.record({ category: 'system', actor, message: `resumed by ${actor}: activations held by the failure budget of ${change.change} go on`, data: { action: 'resume-budget' } });
    }
    this.declared.changes.end();
    this.activity.record({ category: 'system', actor, message: wasStopped ? `resumed by ${actor}: emergency stop lifted` : `resume by ${actor}: no emergency stop was active`, data: { action: 'resume' } });
    if (wasStopped) this.notifications.notify({ event: 'emergency.resume', actor, message: `resumed by ${actor}: emergency stop lifted` });
    this.reconciler.request();
    return { wasStopped };
  }

  /** Ids of the scenarios discovery knows, sorted. */
  scenarioIds(): string[] {
    return this.scenarios.list().map((spec) => spec.id);
  }

  /** The scenario with this id: NotFound for an id in a URL, Invalid (400) for one named inside a body. */
  requireScenario(id: string, named: 'url' | 'body' = 'url'): ScenarioSpec {
    const scenario = this.scenarios.get(id);
    if (!scenario) throw unknownScenario(id, this.scenarios.list(), named);
    return scenario;
  }

  /**
   * Applies a change: one resolution before and after (for confirmation), then the loop's own pass, whose
   * actions are the plan reported. A dry run plans in full instead.
   */
  private async commit(
    next: DesiredStateModel,
    options: IntentOptions,
    entry: { action: string; scenario?: string; preset?: string; message: string; level?: 'info' | 'warn'; data?: Record<string, unknown> },
  ): Promise<ChangePlan> {
    if (options.dryRun) return this.planFor(next);
    const now = this.clock();
    const before = this.desiredFor(this.model, now);
    const after = this.desiredFor(next, now);
    const touched = touchedScenarios(before, after);
    if (touched.length > this.policy.current().bulkConfirmThreshold && !options.confirm) this.assertConfirmed(this.planFor(next), false);
    // HA: stored before it is applied or acknowledged; the database being away fails the write (503), changing nothing.
    if (this.shared) await this.shared.save(next);
    this.model = next;
    // Every change begins a new failure budget (SPEC 10): its activations are what it made desired active.
    this.declared.changes.begin(
      [entry.action, entry.preset, entry.scenario].filter(Boolean).join(' '),
      touched.filter((id) => after.get(id)?.state === 'active'),
    );
    // The intent is logged before the pass it causes, so the log reads in the order things happened.
    this.activity.record({
      category: 'api',
      level: entry.level ?? 'info',
      actor: options.actor,
      scenario: entry.scenario ?? null,
      preset: entry.preset ?? null,
      message: entry.message,
      data: { action: entry.action, touched: touched.length, ...entry.data },
    });
    const actions = this.reconciler.runPass();
    return summarizeChange(before, after, { actions, verdicts: this.reconciler.verdicts });
  }

  /** The declared state of every scenario (before gates) for a model. */
  private desiredFor(model: DesiredStateModel, now: number): Map<string, DesiredEntry> {
    return this.declared.desiredFor(model, now);
  }

  private modelFromSpec(spec: MaintenanceStateSpec, actor = 'plan'): DesiredStateModel {
    const now = this.clock();
    const next = this.snapshot();
    next.presets = spec.presets.map((id) => this.presets.get(id, 'body').id);
    next.overrides = {};
    for (const [id, override] of Object.entries(spec.overrides)) {
      const ttlMs = override.ttlMs ?? (override.state === 'active' ? this.defaultTimeout() : null);
      next.overrides[id] = { state: override.state, expiresAt: ttlMs ? now + ttlMs : null, reason: override.reason, actor, setAt: now };
    }
    return next;
  }

  /** ConfirmationRequired (with the plan) when a change touches more than bulkConfirmThreshold scenarios. */
  assertConfirmed(change: ChangePlan, confirmed: boolean | undefined): void {
    const threshold = this.policy.current().bulkConfirmThreshold;
    if (change.touched.length > threshold && !confirmed) {
      throw new DomainError('ConfirmationRequired', `this change touches ${change.touched.length} scenarios (more than bulkConfirmThreshold ${threshold}): confirm it`, { plan: change });
    }
  }

  /** Break-glass is an activation with a reason and a TTL no longer than BREAK_GLASS_MAX_TTL; anything else is refused unchanged. */
  private checkBreakGlass(state: 'active' | 'inactive', options: { ttlMs?: number | null; reason?: string | null }): void {
    const max = formatDuration(this.breakGlassMaxTtlMs);
    if (state !== 'active') throw new DomainError('Invalid', 'break-glass is for activations only: deactivation is never blocked by a gate');
    if (!options.reason?.trim()) throw new DomainError('Invalid', 'break-glass needs a reason (--reason): it is recorded with who broke the glass');
    if (!options.ttlMs) throw new DomainError('Invalid', `break-glass needs a TTL (--ttl), at most ${max} (BREAK_GLASS_MAX_TTL)`);
    if (options.ttlMs > this.breakGlassMaxTtlMs) {
      throw new DomainError('Invalid', `break-glass TTL ${formatDuration(options.ttlMs)} is longer than BREAK_GLASS_MAX_TTL ${max}`);
    }
  }

  private refuseUnderStop(what: string): void {
    const stop = this.model.emergencyStop;
    if (stop) throw new DomainError('Refused', `cannot ${what}: emergency stop is active (by ${stop.actor}: ${stop.reason}); run resume first`, { reason: 'EmergencyStop' });
  }

  private defaultTimeout(): number | null {
    const minutes = this.policy.current().defaultTimeoutMinutes;
    return this.defaultTimeoutMs ?? (minutes ? minutes * 60_000 : null);
  }

  private inputsFor(model: DesiredStateModel, now: number) {
    return this.declared.inputsFor(model, now);
  }
}
