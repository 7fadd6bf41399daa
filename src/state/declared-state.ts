/**
 * The declared state the loop reads: the model (applied presets, overrides, the emergency-stop latch) and
 * the inputs of a pass assembled from it. It is the reconciler's InputsProvider and expires TTLs on the
 * way. Intents change it through StateService; the loop only reads it, so the two never need each other.
 */
import type { ActivitySink } from '../activity/activity';
import { formatDuration } from '../config/duration';
import type { ScenarioSpec } from '../discovery/scenario';
import type { PresetCatalog } from '../presets/preset-catalog';
import type { Preset } from '../presets/schema';
import { selectedIds, selects } from '../presets/selector';
import { emptyDesiredState, expiredOverrides, nextOverrideExpiry, nextOverrideWarning, overrideWarningAt, overridesExpiringSoon, resolveDesired, type DesiredStateModel, type OpenAllowWindow } from '../reconciler/desired';
import type { HealthReading, OpenDenyWindow } from '../reconciler/gates';
import { NO_NOTIFICATIONS, type NotificationSink } from '../notify/notification';
import type { HostLoadProbe } from '../reconciler/host-load';
import type { DesiredEntry } from '../reconciler/types';
import type { InputsProvider, ReconcileInputs } from '../reconciler/reconciler';
import { ChangeLedger } from './change-ledger';
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
  /** The same at any instant without recording openings and closings (plan --at, explain); openWindows when absent. */
  windowsAt?(at: number): { allow: OpenAllowWindow[]; deny: (OpenDenyWindow & { preset?: string })[] };
  /** The next instant a window opens or closes. */
  nextEdge(now: number): number | null;
}

/** No windows at all (before schedules are configured). */
export const NO_WINDOWS: WindowSource = { openWindows: () => ({ allow: [], deny: [] }), nextEdge: () => null };

/** The health checks' last readings, for the HealthCheck gate (the health module's HealthCheckService is one). */
export interface HealthSource {
  verdict(): readonly HealthReading[];
}

/** Optional edges of the declared state: health readings for the planner and where expiring and expired overrides are announced. */
export interface StateEdges {
  health?: HealthSource;
  notifications?: NotificationSink;
}

/**
 * Who may act on time (SPEC 9): in HA only the leader expires TTLs and warns of them, and it stores each
 * expiry so the followers' models lose the override too. A single orchestrator always acts and has nothing to store.
 */
export interface ExpiryAuthority {
  /** True while this replica leads. */
  mayAct(): boolean;
  /** Stores the model held when the save's turn comes; rejects when the database is away (retried at the next pass). */
  saveHeld?(): Promise<void>;
  /**
   * Since when this replica leads (epoch ms): a TTL warning due before then was the previous leader's to
   * send, so a new leader sends it at most once rather than again.
   */
  leadingSince?(): number | null;
}

/** One resolution of the desired state and what it was resolved from. */
interface ResolvedDesired {
  model: DesiredStateModel;
  overrides: number;
  list: readonly ScenarioSpec[];
  presets: ReadonlyMap<string, Preset>;
  allow: string;
  desired: Map<string, DesiredEntry>;
}

/** Holds the declared state and gathers what a pass needs from it. */
export class DeclaredState implements InputsProvider {
  /** The current model; StateService replaces it whole on every intent. */
  model: DesiredStateModel = emptyDesiredState();
  /** The change in progress and its failed activations (the FailureBudget gate); intents and window openings begin one. */
  readonly changes = new ChangeLedger();
  /** The allow windows open at the last pass, so an opening is seen once (a window opening is a change). */
  private openAllow: ReadonlySet<string> = new Set();
  /**
   * The last resolution of the current model. Every pass needs it and, while results stream in, nothing it
   * depends on changes: re-resolving 10,000 scenarios per pass was most of a pass's garbage.
   */
  private desiredCache: ResolvedDesired | null = null;
  /** The last what-if's resolution (plan --at, explain at an instant), apart from the loop's. */
  private whatIfCache: ResolvedDesired | null = null;
  /** The expiry each override was last warned about, so `override.expiring` goes out once per TTL (a renewed TTL is warned again). */
  private readonly warned = new Map<string, number>();
  /** Overrides this replica expired (id, set and expiry time): one that comes back in a write made before the expiry was heard goes silently. */
  private readonly expired = new Map<string, number>();
  private expiry: ExpiryAuthority = { mayAct: () => true };
  /** An expiry whose save failed: saved again at the next pass. */
  private expiryUnsaved = false;

  constructor(
    private readonly scenarios: ScenarioSource,
    private readonly presets: PresetCatalog,
    private readonly policy: PolicyService,
    private readonly windows: WindowSource,
    private readonly host: HostLoadProbe,
    private readonly activity: ActivitySink,
    private readonly edges: StateEdges = {},
  ) {}

  /** Who may expire TTLs (HA: the leader, which stores each expiry); by default this process, storing nothing. */
  shareExpiries(authority: ExpiryAuthority): void {
    this.expiry = authority;
  }

  /**
   * InputsProvider: warns of TTLs about to lapse, expires those that did, then gathers what a pass needs. A
   * follower does neither: an expired override already resolves to nothing, and the leader's stored expiry removes it.
   */
  prepare(now: number): ReconcileInputs {
    if (this.expiry.mayAct()) {
      this.warnExpiring(now);
      this.expire(now);
    }
    const inputs = this.inputsFor(this.model, now);
    this.noteWindowOpenings(inputs.desired, now);
    return { ...inputs, failureBudget: this.changes.progress() };
  }

  /** Drops lapsed overrides, records and announces each once, and stores the model (HA) so followers follow. */
  private expire(now: number): void {
    const lapsed = expiredOverrides(this.model, now);
    // A stale write comes back within seconds; an hour of memory is plenty and keeps the map small.
    for (const [key, at] of this.expired) if (at < now - EXPIRED_MEMORY_MS) this.expired.delete(key);
    for (const id of lapsed) {
      const override = this.model.overrides[id];
      delete this.model.overrides[id];
      this.desiredCache = null;
      const key = `${id}@${override.setAt}/${override.expiresAt}`;
      if (this.expired.has(key)) continue;
      this.expired.set(key, now);
      const message = `override ${override.state} expired after ${formatDuration(now - override.setAt)} (TTL); back to the declared state`;
      this.activity.record({ category: 'action', scenario: id, actor: 'system', message, data: { action: 'expire' } });
      (this.edges.notifications ?? NO_NOTIFICATIONS).notify({ event: 'override.expired', scenario: id, actor: override.actor, reason: override.reason, message, at: now });
    }
    if ((lapsed.length > 0 || this.expiryUnsaved) && this.expiry.saveHeld) {
      this.expiryUnsaved = false;
      this.expiry.saveHeld().catch(() => (this.expiryUnsaved = true));
    }
  }

  /**
   * An allow window that opened since the last pass begins a change: the scenarios it made desired active
   * are its activations (SPEC 10). One already active through a preset or an override is not its to count.
   */
  private noteWindowOpenings(desired: ReadonlyMap<string, DesiredEntry>, now: number): void {
    const open = new Set(this.windows.openWindows(now).allow.map((window) => window.schedule));
    const opened = [...open].filter((schedule) => !this.openAllow.has(schedule));
    this.openAllow = open;
    if (opened.length === 0) return;
    const activations: string[] = [];
    for (const [id, entry] of desired) if (entry.source.kind === 'window' && opened.includes(entry.source.schedule)) activations.push(id);
    this.changes.begin(`window ${opened.join(', ')} opened`, activations);
  }

  /** InputsProvider: a Gone scenario was driven inactive and may leave the list. */
  forget(id: string): void {
    this.scenarios.forget(id);
  }

  /** The declared state of every scenario (before gates) for a model. */
  desiredFor(model: DesiredStateModel, now: number): Map<string, DesiredEntry> {
    return this.resolve(model, this.scenarios.list(), this.presets.byId(), this.windows.openWindows(now).allow, now);
  }

  /**
   * What a pass would get for `model` at `now` (the current model, or one an intent proposes). A what-if
   * (plan --at, explain) reads the windows at that instant without recording them as opened or closed.
   */
  inputsFor(model: DesiredStateModel, now: number, whatIf = false): ReconcileInputs {
    const list = this.scenarios.list();
    const windows = whatIf && this.windows.windowsAt ? this.windows.windowsAt(now) : this.windows.openWindows(now);
    const presetsById = this.presets.byId();
    const deny = windows.deny.map((window) => {
      const preset = window.preset ? presetsById.get(window.preset) : undefined;
      return { ...window, appliesTo: preset ? lazySelection(preset, list, (id) => this.scenarios.get(id)) : null };
    });
    const edges = [nextOverrideExpiry(model), nextOverrideWarning(model, now), this.windows.nextEdge(now)].filter((at): at is number => at !== null);
    return {
      scenarios: list,
      gone: new Set(this.scenarios.gone),
      desired: this.resolve(model, list, presetsById, windows.allow, now, !whatIf),
      policy: this.policy.current(),
      emergencyStop: model.emergencyStop,
      denyWindows: deny,
      host: this.host.read(),
      health: this.edges.health?.verdict() ?? null,
      // A proposed model (a dry run) would begin a change of its own: no budget of the current one holds it.
      failureBudget: model === this.model ? this.changes.progress() : null,
      nextChangeAt: edges.length ? Math.min(...edges) : null,
    };
  }

  /** `override.expiring` for each override whose TTL lapses within 15 minutes (OVERRIDE_WARNING_MS), once per TTL. */
  private warnExpiring(now: number): void {
    for (const id of this.warned.keys()) if (this.model.overrides[id]?.expiresAt !== this.warned.get(id)) this.warned.delete(id);
    for (const id of overridesExpiringSoon(this.model, now)) {
      const override = this.model.overrides[id];
      const expiresAt = override.expiresAt as number;
      if (this.warned.get(id) === expiresAt) continue;
      this.warned.set(id, expiresAt);
      if ((overrideWarningAt(override) ?? now) < (this.expiry.leadingSince?.() ?? -Infinity)) continue;
      const message = `override ${override.state} of ${id} expires in ${formatDuration(expiresAt - now)} (at ${new Date(expiresAt).toISOString()}); then back to the declared state`;
      (this.edges.notifications ?? NO_NOTIFICATIONS).notify({
        event: 'override.expiring', scenario: id, actor: override.actor, reason: override.reason, message, at: now,
        data: { state: override.state, expiresAt: new Date(expiresAt).toISOString() },
      });
    }
  }

  /** resolveDesired, reused for the current model while scenarios, presets and open windows stay the same; `keep` false for what-ifs. */
  private resolve(model: DesiredStateModel, list: readonly ScenarioSpec[], presets: ReadonlyMap<string, Preset>, allow: OpenAllowWindow[], now: number, keep = true): Map<string, DesiredEntry> {
    const allowKey = allow.map((window) => `${window.schedule}:${window.preset}`).join(',');
    const overrides = Object.keys(model.overrides).length;
    for (const kept of [this.desiredCache, this.whatIfCache]) {
      if (kept && kept.model === model && kept.overrides === overrides && kept.list === list && kept.presets === presets && kept.allow === allowKey) return kept.desired;
    }
    const desired = resolveDesired(list, model, presets, allow, now);
    // A what-if at another instant reads the loop's cache but never replaces it: it keeps its own, so explaining
    // one scenario after another at the same instant (the dashboard, a script) resolves the fleet once.
    const entry = { model, overrides, list, presets, allow: allowKey, desired };
    if (keep && model === this.model) this.desiredCache = entry;
    else if (!keep) this.whatIfCache = entry;
    return desired;
  }
}

/**
 * The scenarios a deny window's preset selects, worked out when the gate asks: most passes have no candidate
 * for activation and explain asks for one scenario, so 10,000 selector matches per open window per pass
 * were mostly wasted. The first few questions match that scenario alone; a pass that asks more builds the set.
 */
function lazySelection(preset: Preset, list: readonly ScenarioSpec[], lookup: (id: string) => ScenarioSpec | undefined): { has(id: string): boolean } {
  let ids: Set<string> | null = null;
  let asked = 0;
  return {
    has(id) {
      if (ids === null && ++asked <= FEW_QUESTIONS) {
        const scenario = lookup(id);
        return scenario ? selects(preset.selector, scenario) : false;
      }
      ids ??= new Set(selectedIds(preset.selector, list));
      return ids.has(id);
    },
  };
}

/** How long an expired override is remembered, so a stale write bringing it back is not recorded again. */
const EXPIRED_MEMORY_MS = 3_600_000;

/** Below this many questions a deny window answers one by one rather than building its set. */
const FEW_QUESTIONS = 16;
