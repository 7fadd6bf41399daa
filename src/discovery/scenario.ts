/** The orchestrator's view of one maintenance scenario, as discovery resolved it. */

/** How much a scenario weighs on the host while active; heavy ones count against `maxHeavy`. */
export type Weight = 'light' | 'heavy';

/** Where the scenario's base URL came from, first that applies (SPEC 2). */
export type EndpointSource = 'registration' | 'maintenance.endpoint' | 'port' | 'resolver';

/** A discovered maintenance scenario. Immutable: a rescan replaces the object, never the state held elsewhere. */
export interface ScenarioSpec {
  /** The folder name under the scenarios root (or the registered id). */
  id: string;
  name: string;
  displayName: string;
  description: string;
  /** Tags from service.json, the universal `maintenance` tag included. */
  tags: string[];
  weight: Weight;
  /** False when the scenario declares it cannot be turned off; the orchestrator still never activates it on its own. */
  canDeactivate: boolean;
  /** Ids this scenario must never be active together with. */
  conflictsWith: string[];
  /** Path of the state route on the scenario, default `/api/maintenance/state`. */
  stateEndpoint: string;
  /** Base URL such as `http://127.0.0.1:15010`, or null when none could be resolved or allowed. */
  endpoint: string | null;
  endpointSource: EndpointSource | null;
  /** Why `endpoint` is null: `NoEndpoint` or `HostNotAllowed`, with a human message. */
  endpointProblem: { reason: 'NoEndpoint' | 'HostNotAllowed'; message: string } | null;
  /** Absolute path of the service.json it came from, or null for a registration without a file. */
  sourceFile: string | null;
}

/** Default route a scenario serves its maintenance state on. */
export const DEFAULT_STATE_ENDPOINT = '/api/maintenance/state';
/** Fallback route tried on 404 (SPEC 2). */
export const FALLBACK_STATE_ENDPOINT = '/api/v1/maintenance/state';
