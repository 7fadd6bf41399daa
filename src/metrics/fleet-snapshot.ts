/**
 * What a scrape reads: one snapshot of the fleet, taken once per scrape from the read models the API already
 * serves (cached scenario views, the declared state, window states), so per-scenario gauges cost nothing
 * between scrapes and a scrape never sees two different passes.
 */
import { GATES, type Gate } from '../reconciler/types';
import type { ScenarioView } from '../state/views';

/** The per-scenario facts the gauges expose. */
export interface ScenarioSample {
  id: string;
  weight: 'light' | 'heavy';
  active: boolean;
  desiredActive: boolean;
  inSync: boolean;
  /** The gate that holds it back, or null. */
  blockedBy: Gate | null;
  reachable: boolean;
  /** Failed calls in a row (reset by a success). */
  failures: number;
  /** Epoch seconds the override's TTL lapses, or null. */
  ttlExpiry: number | null;
}

/** One schedule or calendar window. */
export interface WindowSample {
  schedule: string;
  preset: string;
  kind: 'allow' | 'deny' | 'blackout';
  open: boolean;
  /** Epoch seconds of the next opening, or null when none is known. */
  nextOpen: number | null;
}

/** Everything one scrape reports about the fleet. */
export interface FleetSnapshot {
  scenarios: ScenarioSample[];
  windows: WindowSample[];
  emergencyStop: boolean;
  /** Scenarios discovery lists now, Gone ones excluded. */
  discovered: number;
  /** Actions running or waiting in the executor. */
  queueDepth: number;
}

/** Produces a snapshot; called once per scrape. */
export type FleetSnapshotSource = () => FleetSnapshot;

/** The parts of an orchestrator a snapshot is read from (structural, so tests can pass fakes). */
export interface FleetParts {
  listScenarios(): ScenarioView[];
  emergencyStop(): boolean;
  windows(now: number): { name: string; preset?: string; kind: 'allow' | 'deny' | 'blackout'; state: { open: boolean; nextOpen: Date | null } }[];
  queueDepth(): number;
  clock(): number;
}

const GATE_SET: ReadonlySet<string> = new Set(GATES);

/** Builds the snapshot source over an orchestrator's parts. */
export function fleetSnapshotSource(parts: FleetParts): FleetSnapshotSource {
  return () => {
    const views = parts.listScenarios();
    const scenarios = views.map(scenarioSample);
    return {
      scenarios,
      windows: parts.windows(parts.clock()).map((window) => ({
        schedule: window.name,
        preset: window.preset ?? '',
        kind: window.kind,
        open: window.state.open,
        nextOpen: window.state.nextOpen ? window.state.nextOpen.getTime() / 1000 : null,
      })),
      emergencyStop: parts.emergencyStop(),
      discovered: views.reduce((count, view) => count + (view.gone ? 0 : 1), 0),
      queueDepth: parts.queueDepth(),
    };
  };
}

/** The gauge values of one scenario view. */
export function scenarioSample(view: ScenarioView): ScenarioSample {
  const blockedBy = view.reason !== null && GATE_SET.has(view.reason) ? (view.reason as Gate) : null;
  return {
    id: view.id,
    weight: view.weight,
    active: view.isActive,
    desiredActive: view.desiredState === 'active',
    inSync: isInSync(view, blockedBy !== null),
    blockedBy,
    reachable: view.endpoint !== null && view.observedState !== 'unreachable',
    failures: view.failures,
    ttlExpiry: view.activeUntil ? Date.parse(view.activeUntil) / 1000 : null,
  };
}

/**
 * In sync: the scenario is in the state the loop drives it to and nothing is pending. A gate hold counts as
 * in sync (it is deliberate and has its own gauge); progressing, failing, unreachable or uncontrollable
 * scenarios (NoEndpoint, CannotDeactivate, ...) do not.
 */
function isInSync(view: ScenarioView, gated: boolean): boolean {
  if (view.reason !== null && !gated) return false;
  return view.inFlight === null && view.isActive === (view.targetState === 'active');
}
