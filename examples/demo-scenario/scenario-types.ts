/** The demo scenario's options, stats and history entries (the shapes tests and benchmarks read). */
import type { MaintenanceState, ScenarioBehaviour } from './wire';

/** How to start one scenario server. Only `id` is required. */
export interface ScenarioServerOptions {
  id: string;
  /** 0 (default) picks a free port; a fixed port is kept across `setDown` cycles. */
  port?: number;
  /** Interface to bind; loopback by default, which is all the orchestrator may call anyway. */
  host?: string;
  /** Route serving the state; ignored when `legacyOnly`. The default route also serves the legacy one, as the SDK does. */
  stateEndpoint?: string;
  /** Serve only `/api/v1/maintenance/state`, so the default route 404s and the orchestrator must fall back. */
  legacyOnly?: boolean;
  delayMs?: number;
  failRate?: number;
  silent?: boolean;
  /** Start with the port closed (the scenario is Unreachable until `setDown(false)`). */
  down?: boolean;
  /** State at start; `inactive` unless testing that the orchestrator drives an active one down. */
  initialState?: MaintenanceState;
  /** How many state changes `stats().history` keeps (oldest dropped first). */
  historyLimit?: number;
  /** Source of randomness for `failRate`; injectable so tests can be deterministic. */
  random?: () => number;
  /** Idle keep-alive sockets are closed after this (default 65s); lower it to cap descriptors in huge fleets. */
  keepAliveTimeoutMs?: number;
}

/** One accepted state change. */
export type StateChange = {
  /** ISO-8601 UTC. */
  at: string;
  state: MaintenanceState;
  /** `post` for the wire, `config` for a change simulated through `/__demo/config`, `lease` when a lease ran out. */
  via: 'post' | 'config' | 'lease';
};

/** One call on the state route as it arrived, refused ones included: the fencing tests read the epochs in arrival order. */
export type StateCall = {
  method: 'GET' | 'POST';
  /** Arrival order across every scenario of this process (a fleet shares one counter). */
  seq: number;
  /** ISO-8601 UTC. */
  at: string;
  /** `X-Maintenance-Epoch` and `X-Maintenance-Leader` as sent (null when absent). */
  epoch: number | null;
  leader: string | null;
  /** The HTTP status answered (409 for an older epoch). */
  status: number;
};

/** Counters and recent history, as `GET /__demo/stats` returns them. */
export type ScenarioStats = {
  id: string;
  state: MaintenanceState;
  /** State POSTs received, failed and refused ones included. */
  posts: number;
  /** POSTs answered 500 by the fail-rate knob. */
  failedPosts: number;
  /** State and health GETs received. */
  gets: number;
  lastPostAt: string | null;
  /** When the running activation lease ends (ISO-8601), or null. */
  leaseExpiresAt: string | null;
  /** Activation leases that ran out without renewal. */
  expiredLeases: number;
  /** The newest `X-Maintenance-Epoch` seen, and its leader. */
  epoch: number | null;
  leader: string | null;
  history: StateChange[];
  /** The last calls on the state route, reads included (as many as `historyLimit`), oldest first. */
  calls: StateCall[];
  behaviour: ScenarioBehaviour;
  down: boolean;
};
