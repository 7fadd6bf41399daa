/**
 * Decisions across time (SPEC 10): explain one scenario, plan the fleet at any instant, and lay out the
 * windows ahead. Every answer runs the loop's own planner on the inputs the loop would read at that
 * instant (today's declarations; observed state, host load and health as now), so what it says is what
 * the loop does when the clock gets there.
 */
import { DomainError } from '../common/domain-error';
import type { ScenarioSpec } from '../discovery/scenario';
import type { HealthCheckResult } from '../health/health-check.service';
import type { PresetCatalog } from '../presets/preset-catalog';
import { selectedIds, selects } from '../presets/selector';
import { resolveDesired, type DesiredStateModel } from '../reconciler/desired';
import { cooldownGate, windowGate } from '../reconciler/gates';
import { holdsSlot, plan } from '../reconciler/planner';
import { unknownRecord, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';
import { openWindowsOf, type Evaluated, type WindowTrack } from '../schedules/schedule.service';
import { MAX_RUN_DAYS } from '../schedules/window';
import { DAY_MS } from '../schedules/zone';
import { summarizeChange, type ChangePlan } from '../state/change-plan';
import type { DeclaredState, ScenarioSource } from '../state/declared-state';
import type { PolicyService } from '../state/policy.service';
import { unknownScenario } from '../state/state.service';
import { explainSource, gateVerdicts, observedView, targetView, type ExplainSource, type GateVerdict, type ObservedView } from './explanation';
import { parseInstant } from './instant-expression';
import { nextTransition, onceAt, type EdgeSource } from './next-transition';
import { timelineEntries, type TimelineEntry } from './timeline';
import { wallClock } from './wall-clock';

/** GET /scenarios/{id}/explain. */
export interface Explanation {
  scenario: string;
  at: string;
  timeZone: string;
  desired: { state: 'active' | 'inactive'; source: ExplainSource };
  gates: GateVerdict[];
  target: 'active' | 'inactive';
  reason: string | null;
  message: string | null;
  observed: ObservedView;
  healthChecks: HealthCheckView[];
  nextTransition: { at: string; cause: string } | null;
}

/** One health check's last result and when it was read (SPEC 11). */
export interface HealthCheckView {
  check: string;
  ok: boolean;
  message: string;
  failing: string[];
  readAt: string | null;
  error?: string;
}

/** One scenario of the fleet at an instant. */
export interface PlannedScenario {
  id: string;
  desired: 'active' | 'inactive';
  source: ExplainSource;
  target: 'active' | 'inactive';
  reason: string | null;
  message: string | null;
}

/** POST /plan {at}: the change from now to `at`, and every scenario as the planner leaves it then. */
export interface FleetPlan extends ChangePlan {
  at: string;
  timeZone: string;
  scenarios: PlannedScenario[];
}

/** GET /timeline. */
export interface Timeline {
  from: string;
  to: string;
  now: string;
  timeZone: string;
  entries: TimelineEntry[];
}

/** What the service reads: the planner's inputs and the loop's observations, each behind a small port. */
export interface ExplainPorts {
  scenarios: ScenarioSource;
  presets: Pick<PresetCatalog, 'byId'>;
  policy: Pick<PolicyService, 'current'>;
  declared: Pick<DeclaredState, 'model' | 'inputsFor'>;
  windows: { tracks(): WindowTrack[] };
  loop: { readonly observed: ReadonlyMap<string, ObservedRecord>; readonly verdicts: ReadonlyMap<string, ScenarioVerdict> };
  health: { results(): HealthCheckResult[] };
  clock: () => number;
  /** The zone `at` expressions without an offset are read in when the caller names none. */
  serverTimeZone: string;
}

/** The default timeline: a week from now; at most a quarter of a year, so one request cannot walk years of minutely windows. */
export const DEFAULT_TIMELINE_DAYS = 7;
export const MAX_TIMELINE_DAYS = 92;

/** Explain, plan --at and the timeline. */
export class ExplainService {
  constructor(private readonly ports: ExplainPorts) {}

  /** Reads an `at` expression (ISO, "tomorrow 02:00", "+3h"...) in `timeZone` or the server's zone; Invalid (400) when unreadable. */
  instant(text: string | undefined, timeZone: string | undefined, field = 'at'): { at: number; timeZone: string } {
    const now = this.ports.clock();
    const zone = timeZone?.trim() || this.ports.serverTimeZone;
    if (text === undefined || text.trim() === '') {
      const parsed = parseInstant('now', now, zone);
      if (!parsed.ok) throw new DomainError('Invalid', `tz: ${parsed.error}`);
      return parsed;
    }
    const parsed = parseInstant(text, now, zone);
    if (!parsed.ok) throw new DomainError('Invalid', `${field}: ${parsed.error}`);
    return parsed;
  }

  /** Why a scenario is (or will be at `at`) where it is: its desired state and source, every gate, its target and what changes next. */
  explain(id: string, atText?: string, timeZone?: string): Explanation {
    const scenario = this.ports.scenarios.get(id);
    if (!scenario) throw unknownScenario(id, this.ports.scenarios.list());
    const { at, timeZone: zone } = this.instant(atText, timeZone);
    const model = modelAt(this.ports.declared.model, at);
    const inputs = this.ports.declared.inputsFor(model, at, true);
    const result = plan({ now: at, ...inputs, observed: this.ports.loop.observed, probe: id, only: id });
    const verdict = result.verdicts.get(id);
    const record = this.ports.loop.observed.get(id) ?? unknownRecord();
    const desired = verdict?.desired ?? inputs.desired.get(id)!;
    const policy = inputs.policy;
    const notApplied = {
      holder: `${id} already holds a slot: this gate blocks new activations only`,
      unwanted: scenario.endpointProblem ? `${id} cannot be driven: ${scenario.endpointProblem.message}` : `${id} is desired inactive and deactivation meets no gate`,
    };
    return {
      scenario: id,
      at: new Date(at).toISOString(),
      timeZone: zone,
      desired: { state: desired.state, source: explainSource(desired) },
      gates: gateVerdicts(result.probe ?? [], notApplied, policy.bulkConfirmThreshold),
      ...targetView(verdict),
      observed: observedView(record),
      healthChecks: this.ports.health.results().map(healthView),
      nextTransition: model.emergencyStop ? null : this.nextTransitionOf(scenario, model, record, at),
    };
  }

  /** The fleet at `at` under today's declarations, through the loop's planner; the change is counted from now. */
  planAt(atText?: string, timeZone?: string): FleetPlan {
    const { at, timeZone: zone } = this.instant(atText, timeZone);
    const now = this.ports.clock();
    const current = this.ports.declared.model;
    const before = this.ports.declared.inputsFor(current, now, true).desired;
    const inputs = this.ports.declared.inputsFor(modelAt(current, at), at, true);
    const result = plan({ now: at, ...inputs, observed: this.ports.loop.observed });
    const scenarios: PlannedScenario[] = [];
    for (const [id, verdict] of result.verdicts) {
      scenarios.push({ id, desired: verdict.desired.state, source: explainSource(verdict.desired), target: verdict.target, reason: verdict.reason, message: verdict.message });
    }
    return { at: new Date(at).toISOString(), timeZone: zone, ...summarizeChange(before, inputs.desired, result), scenarios };
  }

  /** Every window, blackout and override expiry in [from, to) (default: the next 7 days). */
  timeline(fromText?: string, toText?: string, timeZone?: string): Timeline {
    const now = this.ports.clock();
    const from = fromText ? this.instant(fromText, timeZone, 'from') : this.instant(undefined, timeZone);
    const to = toText ? this.instant(toText, timeZone, 'to').at : from.at + DEFAULT_TIMELINE_DAYS * DAY_MS;
    if (to <= from.at) throw new DomainError('Invalid', `to (${new Date(to).toISOString()}) must be after from (${new Date(from.at).toISOString()})`);
    if (to - from.at > MAX_TIMELINE_DAYS * DAY_MS) throw new DomainError('Invalid', `the range is longer than ${MAX_TIMELINE_DAYS} days: ask for less`);
    const list = this.ports.scenarios.list();
    const presets = this.ports.presets.byId();
    const all = list.map((spec) => spec.id);
    const selected = new Map<string, readonly string[]>();
    const selection = (preset: string | undefined) => {
      if (preset === undefined) return all;
      if (!selected.has(preset)) {
        const found = presets.get(preset);
        selected.set(preset, found ? selectedIds(found.selector, list) : []);
      }
      return selected.get(preset)!;
    };
    const entries = timelineEntries(this.ports.windows.tracks(), this.ports.declared.model, selection, from.at, to);
    return { from: new Date(from.at).toISOString(), to: new Date(to).toISOString(), now: new Date(now).toISOString(), timeZone: from.timeZone, entries };
  }

  /**
   * The first instant after `at` at which this scenario's desired state, or whether a deny window, its
   * cooldown or a backoff holds it, changes: judged by resolveDesired and the gates themselves, for this
   * one scenario, over the windows that can touch it.
   */
  private nextTransitionOf(scenario: ScenarioSpec, model: DesiredStateModel, record: ObservedRecord, at: number) {
    const presets = this.ports.presets.byId();
    const policy = this.ports.policy.current();
    const touches = (track: WindowTrack) => {
      if (track.kind === 'blackout') return true;
      const preset = track.preset ? presets.get(track.preset) : undefined;
      return preset ? selects(preset.selector, scenario) : false;
    };
    const tracks = this.ports.windows.tracks().filter(touches);
    const override = model.overrides[scenario.id];
    // Only an override, an applied preset or an allow window makes a scenario desired active; with none of
    // them it stays inactive whatever the deny windows do, and there is no transition to walk to.
    const selectedByPreset = model.presets.some((id) => {
      const preset = presets.get(id);
      return preset ? selects(preset.selector, scenario) : false;
    });
    if (override?.state !== 'active' && !selectedByPreset && !tracks.some((track) => track.kind === 'allow')) return null;
    // Each window's state is read at its own edges only, and kept: the walk asks for it at every instant it stops.
    const windows = tracks.map((track) => trackedWindow(track, at));
    const signature = (t: number) => {
      const open = openWindowsOf(windows.filter((window) => window.current.state.open).map((window) => window.current));
      const desired = resolveDesired([scenario], modelAt(model, t), presets, open.allow, t).get(scenario.id)!;
      if (desired.state !== 'active') return 'inactive';
      // Every deny window left here touches this scenario (the tracks were filtered by its selector).
      const held = windowGate(open.deny.map((window) => ({ ...window, appliesTo: null })), scenario.id) ? 'held' : 'free';
      const cooling = !holdsSlot(record) && cooldownGate(record.lastActivatedAt, policy, t) ? 'cooling' : '';
      const waiting = record.retryAt !== null && record.retryAt > t ? 'backoff' : '';
      return `active ${held} ${cooling} ${waiting}`;
    };
    const sources: EdgeSource[] = [
      ...windows,
      onceAt(override?.expiresAt ?? null, () => `override ${override?.state} ${override?.reason ? `(${override.reason}) ` : ''}expires at ${wallClock(override?.expiresAt ?? at, this.ports.serverTimeZone, at)}`),
      onceAt(record.lastActivatedAt === null ? null : record.lastActivatedAt + policy.cooldownSeconds * 1000, () => `cooldown of ${policy.cooldownSeconds}s ends`),
      onceAt(record.retryAt, () => `the failed call is retried (attempt ${record.failures + 1})`),
    ];
    const found = nextTransition(at, sources, signature, at + MAX_RUN_DAYS * DAY_MS);
    return found ? { at: new Date(found.at).toISOString(), cause: found.cause } : null;
  }
}

/** The model as the loop will hold it at `at`: overrides whose TTL has run out by then are gone. */
export function modelAt(model: DesiredStateModel, at: number): DesiredStateModel {
  const expired = Object.entries(model.overrides).filter(([, override]) => override.expiresAt !== null && override.expiresAt <= at);
  if (expired.length === 0) return model;
  const overrides = { ...model.overrides };
  for (const [id] of expired) delete overrides[id];
  return { ...model, overrides };
}

/** A window as the next-transition walk reads it: its state as of the last edge asked, and its next edge as a cause. */
interface TrackedWindow extends EdgeSource {
  current: Evaluated;
}

/** A window's openings and closings as causes ("deny window business-hours closes at 18:00 Europe/Berlin"), keeping its state. */
function trackedWindow(track: WindowTrack, reference: number): TrackedWindow {
  const label = track.kind === 'blackout' ? 'blackout' : `${track.kind} window`;
  const window: TrackedWindow = {
    // Read at `reference` by the walk's first nextAfter, before anything asks for it.
    current: { name: track.name, preset: track.preset, kind: track.kind, state: { open: false, nextOpen: null, nextClose: null } },
    nextAfter(after) {
      const state = track.stateAt(after);
      window.current = { ...window.current, state };
      const edge = state.open ? state.closesAt : state.nextOpen;
      return edge ? { at: edge.getTime(), cause: () => `${label} ${track.name} ${state.open ? 'closes' : 'opens'} at ${wallClock(edge.getTime(), track.timeZone, reference)}` } : null;
    },
  };
  return window;
}

function healthView(result: HealthCheckResult): HealthCheckView {
  return {
    check: result.check,
    ok: result.ok,
    message: result.message,
    failing: result.failing,
    readAt: result.readAt === null ? null : new Date(result.readAt).toISOString(),
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}
