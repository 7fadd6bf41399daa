/**
 * The declared state and every intent that changes it: overrides, applied presets, stop-all and resume.
 * It is also the reconciler's InputsProvider: it assembles what a pass needs and expires TTLs on the way.
 */
import type { ActivitySink } from '../activity/activity';
import { DomainError } from '../common/domain-error';
import { formatDuration } from '../config/duration';
import type { ScenarioSpec } from '../discovery/scenario';
import type { PresetCatalog } from '../presets/preset-catalog';
import type { MaintenanceStateSpec, Preset } from '../presets/schema';
import { selectedIds } from '../presets/selector';
import { unknownNameMessage } from '../presets/unknown-name';
import { emptyDesiredState, expiredOverrides, nextOverrideExpiry, resolveDesired, type DesiredStateModel, type OpenAllowWindow } from '../reconciler/desired';
import type { HealthReading, OpenDenyWindow } from '../reconciler/gates';
import { NO_NOTIFICATIONS, type NotificationSink } from '../notify/notification';
import type { HostLoadProbe } from '../reconciler/host-load';
import { plan } from '../reconciler/planner';
import type { DesiredEntry } from '../reconciler/types';
import type { InputsProvider, ReconcileInputs, Reconciler } from '../reconciler/reconciler';
import { summarizeChange, touchedScenarios, type ChangePlan } from './change-plan';
import type { PolicyService } from './policy.service';

/** The scenarios discovery knows, Gone ones included until forgotten. */
export interface ScenarioSource {
  /** Sorted by id; the same array until something changes. */
  list(): readonly ScenarioSpec[];
  /** Ids of Gone scenarios. */
  readonly gone: readonly string[];
  get(id: string): ScenarioSpec | undefined;
  isGone(id: string): boolean;
  forget(id: string): void;
}

/** Open maintenance windows, from schedules and calendars. */
export interface WindowSource {
  openWindows(now: number): { allow: OpenAllowWindow[]; deny: (OpenDenyWindow & { preset?: string })[] };
  /** The next instant a window opens or closes. */
  nextEdge(now: number): number | null;
}

/** No windows at all (before schedules are configured). */
export const NO_WINDOWS: WindowSource = { openWindows: () => ({ allow: [], deny: [] }), nextEdge: () => null };

/** The health checks' last readings, for the HealthCheck gate (the health module's HealthCheckService is one). */
export interface HealthSource {
  verdict(): readonly HealthReading[];
}

/** Optional edges of the state: health readings for the planner and where notification events go. */
export interface StateEdges {
  health?: HealthSource;
  notifications?: NotificationSink;
}

/** Options of one intent. */
export interface IntentOptions {
  actor: string;
  confirm?: boolean;
  dryRun?: boolean;
}

/** What an emergency stop records when its caller gave no reason. */
export const NO_REASON = 'no reason given';

/** The error for a scenario id that names nothing, with the closest match and some known ids. */
export function unknownScenario(id: string, list: readonly ScenarioSpec[], named: 'url' | 'body' = 'url'): DomainError {
  const message = unknownNameMessage('scenario', id, list.map((spec) => spec.id));
  return new DomainError(named === 'url' ? 'NotFound' : 'Invalid', message, { unknownScenario: id });
}

/** Owns the declared state. */
export class StateService implements InputsProvider {
  private model: DesiredStateModel = emptyDesiredState();
  /**
   * The last resolution of the current model. Every pass needs it and, while results stream in, nothing it
   * depends on changes: re-resolving 10,000 scenarios per pass was most of a pass's garbage.
   */
  private desiredCache: { model: DesiredStateModel; overrides: number; list: readonly ScenarioSpec[]; presets: ReadonlyMap<string, Preset>; allow: string; desired: Map<string, DesiredEntry> } | null = null;
  private reconciler: Reconciler | null = null;

  constructor(
    private readonly scenarios: ScenarioSource,
    private readonly presets: PresetCatalog,
    private readonly policy: PolicyService,
    private readonly windows: WindowSource,
    private readonly host: HostLoadProbe,
    private readonly activity: ActivitySink,
    private readonly defaultTimeoutMs: number | null,
    private readonly clock: () => number = Date.now,
    private readonly edges: StateEdges = {},
  ) {}

  private get notifications(): NotificationSink {
    return this.edges.notifications ?? NO_NOTIFICATIONS;
  }

  /** Connects the loop that acts on this state (they need each other; the loop is built second). */
  attach(reconciler: Reconciler): void {
    this.reconciler = reconciler;
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

  /** InputsProvider: expires TTLs, then gathers what a pass needs. */
  prepare(now: number): ReconcileInputs {
    for (const id of expiredOverrides(this.model, now)) {
      const override = this.model.overrides[id];
      delete this.model.overrides[id];
      this.desiredCache = null;
      const message = `override ${override.state} expired after ${formatDuration(now - override.setAt)} (TTL); back to the declared state`;
      this.activity.record({ category: 'action', scenario: id, actor: 'system', message, data: { action: 'expire' } });
      this.notifications.notify({ event: 'override.expired', scenario: id, actor: override.actor, reason: override.reason, message, at: now });
    }
    return this.inputsFor(this.model, now);
  }

  /** InputsProvider: a Gone scenario was driven inactive and may leave the list. */
  forget(id: string): void {
    this.scenarios.forget(id);
  }

  /** The plan a declared state would give, against what is observed now. */
  planFor(model: DesiredStateModel): ChangePlan {
    const now = this.clock();
    const before = this.inputsFor(this.model, now).desired;
    const inputs = this.inputsFor(model, now);
    return summarizeChange(before, inputs.desired, plan({ now, ...inputs, observed: this.reconciler?.observed ?? new Map() }));
  }

  /** Sets an override for one scenario. Refused (nothing stored) under emergency stop. */
  async setOverride(id: string, state: 'active' | 'inactive', options: IntentOptions & { ttlMs?: number | null; reason?: string | null }): Promise<ChangePlan> {
    this.requireScenario(id);
    if (state === 'active' && this.model.emergencyStop) {
      const stop = this.model.emergencyStop;
      throw new DomainError('Refused', `emergency stop is active (by ${stop.actor}: ${stop.reason}); run resume first`, { reason: 'EmergencyStop' });
    }
    const now = this.clock();
    const ttlMs = options.ttlMs ?? (state === 'active' ? this.defaultTimeout() : null);
    const next = this.snapshot();
    next.overrides[id] = { state, expiresAt: ttlMs ? now + ttlMs : null, reason: options.reason ?? null, actor: options.actor, setAt: now };
    const ttlText = ttlMs ? ` for ${formatDuration(ttlMs)}` : '';
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
    this.activity.record({ category: 'system', level: 'warn', actor, message: `EMERGENCY STOP by ${actor}: ${reason}`, data: { action: 'stop-all' } });
    this.notifications.notify({ event: 'emergency.stop', actor, reason, message: `emergency stop by ${actor}: ${reason}`, at: now });
    const actions = this.reconciler?.abandonActivations() ?? [];
    return summarizeChange(before, this.desiredFor(this.model, now), { actions, verdicts: this.reconciler?.verdicts ?? new Map() });
  }

  /** Lifts the latch only: nothing comes back on its own except open allow windows. */
  resume(actor: string): { wasStopped: boolean } {
    const wasStopped = this.model.emergencyStop !== null;
    this.model.emergencyStop = null;
    this.activity.record({ category: 'system', actor, message: wasStopped ? `resumed by ${actor}: emergency stop lifted` : `resume by ${actor}: no emergency stop was active`, data: { action: 'resume' } });
    if (wasStopped) this.notifications.notify({ event: 'emergency.resume', actor, message: `resumed by ${actor}: emergency stop lifted` });
    this.reconciler?.request();
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
  private async commit(next: DesiredStateModel, options: IntentOptions, entry: { action: string; scenario?: string; preset?: string; message: string }): Promise<ChangePlan> {
    if (options.dryRun) return this.planFor(next);
    const now = this.clock();
    const before = this.desiredFor(this.model, now);
    const after = this.desiredFor(next, now);
    const touched = touchedScenarios(before, after);
    if (touched.length > this.policy.current().bulkConfirmThreshold && !options.confirm) this.assertConfirmed(this.planFor(next), false);
    this.model = next;
    // The intent is logged before the pass it causes, so the log reads in the order things happened.
    this.activity.record({ category: 'api', actor: options.actor, scenario: entry.scenario ?? null, preset: entry.preset ?? null, message: entry.message, data: { action: entry.action, touched: touched.length } });
    const actions = this.reconciler?.runPass() ?? [];
    return summarizeChange(before, after, { actions, verdicts: this.reconciler?.verdicts ?? new Map() });
  }

  /** The declared state of every scenario (before gates) for a model. */
  private desiredFor(model: DesiredStateModel, now: number): Map<string, DesiredEntry> {
    return this.resolve(model, this.scenarios.list(), this.presets.byId(), this.windows.openWindows(now).allow, now);
  }

  /** resolveDesired, reused for the current model while scenarios, presets and open windows stay the same. */
  private resolve(model: DesiredStateModel, list: readonly ScenarioSpec[], presets: ReadonlyMap<string, Preset>, allow: OpenAllowWindow[], now: number): Map<string, DesiredEntry> {
    const allowKey = allow.map((window) => `${window.schedule}:${window.preset}`).join(',');
    const cache = this.desiredCache;
    const overrides = Object.keys(model.overrides).length;
    if (cache && model === this.model && cache.model === model && cache.overrides === overrides && cache.list === list && cache.presets === presets && cache.allow === allowKey) return cache.desired;
    const desired = resolveDesired(list, model, presets, allow, now);
    if (model === this.model) this.desiredCache = { model, overrides, list, presets, allow: allowKey, desired };
    return desired;
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

  private refuseUnderStop(what: string): void {
    const stop = this.model.emergencyStop;
    if (stop) throw new DomainError('Refused', `cannot ${what}: emergency stop is active (by ${stop.actor}: ${stop.reason}); run resume first`, { reason: 'EmergencyStop' });
  }

  private defaultTimeout(): number | null {
    const minutes = this.policy.current().defaultTimeoutMinutes;
    return this.defaultTimeoutMs ?? (minutes ? minutes * 60_000 : null);
  }

  private inputsFor(model: DesiredStateModel, now: number): ReconcileInputs {
    const list = this.scenarios.list();
    const windows = this.windows.openWindows(now);
    const presetsById = this.presets.byId();
    const deny = windows.deny.map((window) => {
      const preset = window.preset ? presetsById.get(window.preset) : undefined;
      return { ...window, appliesTo: preset ? new Set(selectedIds(preset.selector, list)) : null };
    });
    const edges = [nextOverrideExpiry(model), this.windows.nextEdge(now)].filter((at): at is number => at !== null);
    return {
      scenarios: list,
      gone: new Set(this.scenarios.gone),
      desired: this.resolve(model, list, presetsById, windows.allow, now),
      policy: this.policy.current(),
      emergencyStop: model.emergencyStop,
      denyWindows: deny,
      host: this.host.read(),
      health: this.edges.health?.verdict() ?? null,
      nextChangeAt: edges.length ? Math.min(...edges) : null,
    };
  }
}
