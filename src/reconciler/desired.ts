/** The declared state and its resolution into one desired entry per scenario. Pure. */
import type { Preset } from '../presets/schema';
import { selects, type Selectable } from '../presets/selector';
import type { DesiredEntry, TargetState } from './types';

/** A per-scenario override set by activate/deactivate or a MaintenanceState manifest. */
export interface Override {
  state: TargetState;
  /** Epoch ms when it lapses, or null. */
  expiresAt: number | null;
  reason: string | null;
  actor: string;
  setAt: number;
  /** Set with --break-glass (SPEC 10): passes the gates an incident must get through; always has a TTL and a reason. */
  breakGlass?: boolean;
}

/** The latch set by stop-all. */
export interface EmergencyStop {
  reason: string;
  actor: string;
  at: number;
}

/** What people declared. Applied presets and overrides are in memory only: a restart clears them (SPEC 7). */
export interface DesiredStateModel {
  presets: string[];
  overrides: Record<string, Override>;
  emergencyStop: EmergencyStop | null;
}

/** An open allow window adds its preset to the desired state while it lasts. */
export interface OpenAllowWindow {
  schedule: string;
  preset: string;
}

/** A fresh, empty declared state: everything inactive. */
export function emptyDesiredState(): DesiredStateModel {
  return { presets: [], overrides: {}, emergencyStop: null };
}

/**
 * Resolves what each scenario should be, before gates: an override wins, then applied presets, then open
 * allow windows; everything else is inactive.
 */
export function resolveDesired(
  scenarios: readonly Selectable[],
  model: DesiredStateModel,
  presets: ReadonlyMap<string, Preset>,
  windows: readonly OpenAllowWindow[],
  now: number,
): Map<string, DesiredEntry> {
  const applied = model.presets.map((id) => presets.get(id)).filter((preset): preset is Preset => !!preset);
  const windowPresets = windows
    .map((window) => ({ window, preset: presets.get(window.preset) }))
    .filter((entry): entry is { window: OpenAllowWindow; preset: Preset } => !!entry.preset);
  const result = new Map<string, DesiredEntry>();
  for (const scenario of scenarios) {
    result.set(scenario.id, desiredFor(scenario, model, applied, windowPresets, now));
  }
  return result;
}

function desiredFor(
  scenario: Selectable,
  model: DesiredStateModel,
  applied: Preset[],
  windows: { window: OpenAllowWindow; preset: Preset }[],
  now: number,
): DesiredEntry {
  const override = model.overrides[scenario.id];
  if (override && (override.expiresAt === null || override.expiresAt > now)) {
    if (override.breakGlass && override.state === 'active' && override.expiresAt !== null) {
      return { state: 'active', source: { kind: 'breakGlass', reason: override.reason ?? '', actor: override.actor, expiresAt: override.expiresAt } };
    }
    return { state: override.state, source: { kind: 'override', reason: override.reason, expiresAt: override.expiresAt } };
  }
  const preset = applied.find((candidate) => selects(candidate.selector, scenario));
  if (preset) return { state: 'active', source: { kind: 'preset', preset: preset.id } };
  const open = windows.find((entry) => selects(entry.preset.selector, scenario));
  if (open) return { state: 'active', source: { kind: 'window', schedule: open.window.schedule, preset: open.preset.id } };
  return INACTIVE_BY_DEFAULT;
}

/** The desired state of every scenario nothing selects: one shared object, not one per scenario per change. */
export const INACTIVE_BY_DEFAULT: DesiredEntry = Object.freeze({ state: 'inactive', source: Object.freeze({ kind: 'default' }) });

/** True when two desired entries say the same (recomputed entries are new objects with the same values). */
export function sameDesired(a: DesiredEntry, b: DesiredEntry): boolean {
  if (a === b) return true;
  if (a.state !== b.state || a.source.kind !== b.source.kind) return false;
  const x = a.source as Record<string, unknown>;
  const y = b.source as Record<string, unknown>;
  return x.reason === y.reason && x.expiresAt === y.expiresAt && x.preset === y.preset && x.schedule === y.schedule && x.actor === y.actor;
}

/** Human text for where a desired state comes from. */
export function describeSource(entry: DesiredEntry): string {
  const source = entry.source;
  switch (source.kind) {
    case 'default':
      return 'default (inactive)';
    case 'override':
      return `override${source.reason ? ` (${source.reason})` : ''}`;
    case 'preset':
      return `preset ${source.preset}`;
    case 'window':
      return `window ${source.schedule} (preset ${source.preset})`;
    case 'breakGlass':
      return `break-glass by ${source.actor} (${source.reason})`;
  }
}

/** Overrides whose TTL has passed at `now`. */
export function expiredOverrides(model: DesiredStateModel, now: number): string[] {
  return Object.entries(model.overrides)
    .filter(([, override]) => override.expiresAt !== null && override.expiresAt <= now)
    .map(([id]) => id);
}

/** The earliest override expiry after `now`, for the TTL timer. */
export function nextOverrideExpiry(model: DesiredStateModel): number | null {
  let next: number | null = null;
  for (const override of Object.values(model.overrides)) {
    if (override.expiresAt !== null && (next === null || override.expiresAt < next)) next = override.expiresAt;
  }
  return next;
}

/** How long before an override lapses `override.expiring` is announced (SPEC 11). */
export const OVERRIDE_WARNING_MS = 15 * 60_000;

/**
 * When `override.expiring` is due for an override: OVERRIDE_WARNING_MS before it lapses. Null without a TTL,
 * and for an override set to last no longer than that: its warning would go out the moment it is set, which
 * tells the person who just set it nothing.
 */
export function overrideWarningAt(override: Override): number | null {
  if (override.expiresAt === null || override.expiresAt - override.setAt <= OVERRIDE_WARNING_MS) return null;
  return override.expiresAt - OVERRIDE_WARNING_MS;
}

/** Overrides whose warning is due at `now` and which have not lapsed yet. */
export function overridesExpiringSoon(model: DesiredStateModel, now: number): string[] {
  const due: string[] = [];
  for (const [id, override] of Object.entries(model.overrides)) {
    const warnAt = overrideWarningAt(override);
    if (warnAt !== null && warnAt <= now && now < (override.expiresAt as number)) due.push(id);
  }
  return due;
}

/** The earliest warning strictly after `now`, so a pass runs then; null for none. */
export function nextOverrideWarning(model: DesiredStateModel, now: number): number | null {
  let next: number | null = null;
  for (const override of Object.values(model.overrides)) {
    const warnAt = overrideWarningAt(override);
    if (warnAt !== null && warnAt > now && (next === null || warnAt < next)) next = warnAt;
  }
  return next;
}
