/**
 * The application service behind the API and the dashboard: turns intents into declared-state changes,
 * waits (boundedly) for the scenarios to answer, and reports what really happened.
 */
import type { ActivityService } from '../activity/activity.service';
import { DomainError } from '../common/domain-error';
import type { ScenarioRegistry } from '../discovery/registry';
import type { Reconciler } from '../reconciler/reconciler';
import { effectiveState } from '../reconciler/planner';
import type { ScenarioSpec } from '../discovery/scenario';
import type { DesiredStateModel } from '../reconciler/desired';
import type { ChangePlan } from './change-plan';
import type { LeaderInfo, Role } from '../leader/leader-elector';

/** Who leads, as this replica knows it (src/leader's LeaderElector). */
export interface LeadershipView {
  readonly role: Role;
  readonly leader: LeaderInfo | null;
}

/** A single process without election: it always leads. */
const ALWAYS_LEADS: LeadershipView = { role: 'leader', leader: null };
import { NO_REASON, unknownScenario, type StateService } from './state.service';
import { isGate, ScenarioViewCache, standingOf, type ScenarioStanding, type ScenarioView } from './views';

/** How long an intent waits for scenarios to acknowledge before it answers with what it knows. */
export const DEFAULT_WAIT_MS = 10_000;

/** Filter and page of the scenario list. */
export interface ScenarioQuery {
  state?: 'active' | 'inactive' | 'blocked' | 'unreachable' | 'progressing';
  tag?: string;
  q?: string;
  offset?: number;
  limit?: number;
}

/** Result of a preset apply or remove (SPEC 6 shape plus details). */
export interface PresetChangeResult {
  success: boolean;
  preset: string;
  activated: string[];
  deactivated: string[];
  blocked: ChangePlan['blocked'];
  failed: { scenario: string; message: string }[];
  plan: ChangePlan;
  /** On a follower: the change is stored and the leader carries it out. */
  message?: string;
}

/** Intents with their outcomes. */
export class ControlService {
  private readonly startedAt: number;
  /** Views are rebuilt only after something changed (a pass or an action result), not per request. */
  private cachedViews: ScenarioView[] | null = null;
  private cachedStatus: ReturnType<ControlService['buildStatus']> | null = null;
  /**
   * The two answers dashboards and monitors poll, kept as JSON text: serializing them again for every
   * request was most of what those requests cost. The status text goes with any change and each second
   * (its uptime); a scenario's text lives as long as its view object, which is rebuilt when it changes.
   */
  private statusText: { uptime: number; text: string } | null = null;
  private readonly scenarioTexts = new Map<string, { view: ScenarioView; text: string }>();
  private readonly views = new ScenarioViewCache();

  constructor(
    private readonly state: StateService,
    private readonly registry: ScenarioRegistry,
    private readonly reconciler: Reconciler,
    private readonly activity: ActivityService,
    private readonly clock: () => number = Date.now,
    private readonly leadership: LeadershipView = ALWAYS_LEADS,
  ) {
    this.startedAt = clock();
    const invalidate = () => this.invalidate();
    const forgetUnlisted = () => {
      const isListed = (id: string) => registry.get(id) !== undefined;
      this.views.retain(isListed);
      for (const id of [...this.scenarioTexts.keys()]) if (!isListed(id)) this.scenarioTexts.delete(id);
    };
    // The loop forgets scenarios that left once they are inactive, without a registry change: check per pass.
    reconciler.on('pass', () => {
      invalidate();
      if (this.views.size > registry.list().length) forgetUnlisted();
    });
    reconciler.on('outcome', invalidate);
    registry.onChange(forgetUnlisted);
    activity.on('entry', () => {
      this.cachedStatus = null;
      this.statusText = null;
    });
  }

  /**
   * Every scenario, sorted by id, optionally filtered and paged. Filters read the specs and where each
   * scenario stands; views are built for the page only.
   */
  listScenarios(query: ScenarioQuery = {}): { scenarios: ScenarioView[]; total: number } {
    const offset = query.offset ?? 0;
    if (!query.tag && !query.q && !query.state && query.limit === undefined && !offset) {
      const views = this.allViews();
      return { scenarios: views, total: views.length };
    }
    let specs = this.registry.list();
    if (query.tag) specs = specs.filter((spec) => spec.tags.includes(query.tag as string));
    if (query.q) {
      const needle = query.q.toLowerCase();
      specs = specs.filter((spec) => spec.id.includes(needle) || spec.displayName.toLowerCase().includes(needle) || spec.tags.some((tag) => tag.includes(needle)));
    }
    if (query.state) specs = specs.filter((spec) => matchesState(this.standing(spec.id), query.state!));
    const page = specs.slice(offset, offset + (query.limit ?? specs.length));
    return { scenarios: page.map((spec) => this.viewOf(spec)), total: specs.length };
  }

  /** One scenario, or NotFound. */
  getScenario(id: string): ScenarioView {
    const spec = this.registry.get(id);
    if (!spec) throw unknownScenario(id, this.registry.list());
    return this.viewOf(spec);
  }

  /** `getScenario` as JSON text, serialized once per view (a view object is rebuilt when it changes). */
  scenarioJson(id: string): string {
    const view = this.getScenario(id);
    const cached = this.scenarioTexts.get(id);
    if (cached?.view === view) return cached.text;
    const text = JSON.stringify(view);
    this.scenarioTexts.set(id, { view, text });
    return text;
  }

  /** Sets an override and answers once the scenario acknowledged, failed, or was blocked. */
  async setScenarioState(id: string, target: 'active' | 'inactive', options: { actor: string; ttlMs?: number | null; reason?: string | null; breakGlass?: boolean; waitMs?: number }) {
    await this.state.setOverride(id, target, options);
    if (!this.leads()) {
      const view = this.getScenario(id);
      return { success: true, scenario: id, newState: target, reason: view.reason, message: this.delegated(), activeUntil: view.activeUntil, state: view };
    }
    await this.settled([id], options.waitMs ?? DEFAULT_WAIT_MS);
    const view = this.getScenario(id);
    const newState = view.isActive ? 'active' : 'inactive';
    if (target === 'active' && isGate(view.reason)) {
      throw new DomainError('Refused', `${id} is blocked by ${view.reason}: ${view.message}. It stays desired active and starts when the gate clears; deactivate ${id} to withdraw.`, {
        reason: view.reason,
        gateMessage: view.message,
        scenario: id,
        newState,
      });
    }
    return { success: newState === target, scenario: id, newState, reason: view.reason, message: view.message, activeUntil: view.activeUntil, state: view };
  }

  /** Applies (or adds) a preset and reports what was activated, deactivated, blocked and failed. */
  async applyPreset(id: string, options: { actor: string; add?: boolean; confirm?: boolean; dryRun?: boolean; waitMs?: number }): Promise<PresetChangeResult> {
    const wereOn = this.activeOrActivating();
    const { preset, plan } = await this.state.applyPreset(id, options);
    return this.outcome(preset, plan, options, wereOn);
  }

  /** Removes a preset from the applied set. */
  async removePreset(id: string, options: { actor: string; confirm?: boolean; dryRun?: boolean; waitMs?: number }): Promise<PresetChangeResult> {
    const wereOn = this.activeOrActivating();
    const { preset, plan } = await this.state.removePreset(id, options);
    return this.outcome(preset, plan, options, wereOn);
  }

  /**
   * Waits for every scenario the change touched (or that the plan acts on) to settle, then reports what
   * really happened: activated and deactivated as observed, blocked by a gate, or failed. With `wereOn`
   * (the scenarios active or activating before the change), only those count as deactivated: one that was
   * merely desired, and held by a gate, was never on.
   */
  async outcome(preset: string, plan: ChangePlan, options: { dryRun?: boolean; waitMs?: number }, wereOn?: ReadonlySet<string>): Promise<PresetChangeResult> {
    if (options.dryRun) return { success: true, preset, activated: plan.activate, deactivated: plan.deactivate, blocked: plan.blocked, failed: [], plan };
    // A follower stored the change; the leader carries it out. What it plans is `plan`; nothing is observed here.
    if (!this.leads()) return { success: true, preset, activated: [], deactivated: [], blocked: plan.blocked, failed: [], plan, message: this.delegated() };
    const ids = [...new Set([...plan.touched, ...plan.activate, ...plan.deactivate])].sort();
    await this.settled(ids, options.waitMs ?? DEFAULT_WAIT_MS);
    for (const id of ids) if (!this.registry.get(id)) throw unknownScenario(id, this.registry.list());
    const standings = ids.map((id) => ({ id, ...this.standing(id) }));
    const blocked = standings.filter((s) => s.desiredState === 'active' && s.blocked).map((s) => ({ scenario: s.id, reason: s.reason as string, message: s.message ?? '' }));
    const failed = standings
      .filter((s) => !s.blocked && s.isActive !== (s.targetState === 'active'))
      .map((s) => ({ scenario: s.id, message: s.message ?? s.reason ?? 'no acknowledgement yet' }));
    return {
      success: failed.length === 0,
      preset,
      activated: standings.filter((s) => s.isActive && s.targetState === 'active').map((s) => s.id),
      deactivated: standings.filter((s) => !s.isActive && s.desiredState === 'inactive' && (wereOn?.has(s.id) ?? true)).map((s) => s.id),
      blocked,
      failed,
      plan,
    };
  }

  /** Stop-all (a missing reason is recorded as "no reason given"), then a bounded wait for the deactivations. */
  async stopAll(reason: string | null | undefined, actor: string, waitMs = DEFAULT_WAIT_MS) {
    const before = this.state.snapshot();
    const plan = this.state.stopAll(reason, actor);
    await this.state.persist();
    if (this.leads()) await this.settled(plan.deactivate, waitMs);
    const stillActive = this.registry.list().filter((spec) => this.standing(spec.id).isActive).map((spec) => spec.id);
    const recorded = this.state.snapshot().emergencyStop?.reason ?? NO_REASON;
    return {
      success: stillActive.length === 0,
      emergencyStop: true,
      reason: recorded,
      actor,
      deactivated: plan.deactivate.filter((id) => !stillActive.includes(id)),
      stillActive,
      // What the stop cleared, so a client can say so: none of it comes back on resume.
      clearedPresets: before.presets,
      clearedOverrides: Object.keys(before.overrides).sort(),
    };
  }

  /**
   * Waits (bounded) until `ids` stop progressing, then writes the activity log's pending batch: the outcomes
   * an answer reports are then in the log when it arrives, so `status --verbose` right after shows them.
   */
  private async settled(ids: string[], waitMs: number): Promise<void> {
    await this.reconciler.waitForSettled(ids, waitMs);
    await this.activity.flush();
  }

  /** Ids observed active, or with an activation in flight. */
  private activeOrActivating(): Set<string> {
    const ids = new Set<string>();
    this.reconciler.observed.forEach((record, id) => {
      if (record.inFlight === 'activate' || effectiveState(record) === 'active') ids.add(id);
    });
    return ids;
  }

  /** How many scenarios are declared active (whatever the gates let through). */
  desiredActiveCount(): number {
    let count = 0;
    for (const spec of this.registry.list()) if (this.standing(spec.id).desiredState === 'active') count++;
    return count;
  }

  /** Drops the cached views and status: the declared state changed (another replica's write, on a follower). */
  invalidate(): void {
    this.cachedViews = null;
    this.cachedStatus = null;
    this.statusText = null;
  }

  /** This replica leads (or is the only one): it calls scenarios and can report what they answered. */
  private leads(): boolean {
    return this.leadership.role === 'leader';
  }

  /** The answer's note on a follower. */
  private delegated(): string {
    const leader = this.leadership.leader;
    return `stored; this replica follows, so the leader${leader ? ` ${leader.id} (epoch ${leader.epoch})` : ''} carries it out`;
  }

  /** This replica's role and the leader it knows (SPEC 9: /status and /readyz). */
  leadershipStatus(): { role: Role; leader: LeaderInfo | null } {
    return { role: this.leadership.role, leader: this.leadership.leader };
  }

  /** True when the API takes no token (SPEC 8: shown in /status); set by src/api/security.module.ts at start. */
  anonymous = false;

  /** The status object of SPEC 6. */
  status() {
    this.cachedStatus ??= this.buildStatus();
    return { ...this.cachedStatus, ...this.leadershipStatus(), anonymous: this.anonymous, uptime: Math.round((this.clock() - this.startedAt) / 1000) };
  }

  /** `status()` as JSON text, serialized once per change and per second of uptime. */
  statusJson(): string {
    const uptime = Math.round((this.clock() - this.startedAt) / 1000);
    if (this.statusText?.uptime !== uptime) this.statusText = { uptime, text: JSON.stringify(this.status()) };
    return this.statusText.text;
  }

  private buildStatus() {
    const specs = this.registry.list();
    let active = 0;
    let unreachable = 0;
    let blocked = 0;
    for (const spec of specs) {
      const standing = this.standing(spec.id);
      if (standing.isActive) active++;
      if (standing.observedState === 'unreachable') unreachable++;
      if (standing.blocked) blocked++;
    }
    const model = this.state.snapshot();
    const lastPass = this.reconciler.lastPass;
    return {
      health: lastPass?.error || unreachable > 0 ? 'degraded' : 'healthy',
      maintenanceState: model.emergencyStop ? 'stopped' : active > 0 ? 'active' : 'inactive',
      totalScenarios: specs.length,
      activeScenarios: active,
      inactiveScenarios: specs.length - active,
      blockedScenarios: blocked,
      unreachableScenarios: unreachable,
      recentActivity: this.activity.latest(10),
      uptime: Math.round((this.clock() - this.startedAt) / 1000),
      emergencyStop: model.emergencyStop ? { ...model.emergencyStop, at: new Date(model.emergencyStop.at).toISOString() } : null,
      appliedPresets: model.presets,
      overrides: Object.fromEntries(
        Object.entries(model.overrides).map(([id, o]) => [id, { ...o, expiresAt: o.expiresAt ? new Date(o.expiresAt).toISOString() : null, setAt: new Date(o.setAt).toISOString() }]),
      ),
      breakGlass: breakGlassOf(model),
      reconciler: lastPass ? { lastPassAt: new Date(lastPass.at).toISOString(), lastPassMs: lastPass.durationMs, lastError: lastPass.error } : null,
    };
  }

  /** Every scenario's view, in the registry's order (by id). */
  private allViews(): ScenarioView[] {
    this.cachedViews ??= this.registry.list().map((spec) => this.viewOf(spec));
    return this.cachedViews;
  }

  private viewOf(spec: ScenarioSpec): ScenarioView {
    return this.views.view(spec, this.reconciler.observed.get(spec.id), this.reconciler.verdicts.get(spec.id), this.registry.isGone(spec.id));
  }

  private standing(id: string): ScenarioStanding {
    return standingOf(this.reconciler.observed.get(id), this.reconciler.verdicts.get(id));
  }
}

/** Break-glass activations in force, soonest to expire first (SPEC 10: shown in /status and as the dashboard's banner). */
function breakGlassOf(model: DesiredStateModel) {
  return Object.entries(model.overrides)
    .filter(([, override]) => override.breakGlass && override.expiresAt !== null)
    .sort(([, a], [, b]) => (a.expiresAt as number) - (b.expiresAt as number))
    .map(([scenario, override]) => ({
      scenario,
      actor: override.actor,
      reason: override.reason ?? '',
      setAt: new Date(override.setAt).toISOString(),
      expiresAt: new Date(override.expiresAt as number).toISOString(),
    }));
}

function matchesState(standing: ScenarioStanding, state: NonNullable<ScenarioQuery['state']>): boolean {
  switch (state) {
    case 'active':
      return standing.isActive;
    case 'inactive':
      return !standing.isActive;
    case 'blocked':
      return standing.blocked;
    case 'unreachable':
      return standing.observedState === 'unreachable';
    case 'progressing':
      return standing.progressing;
  }
}
