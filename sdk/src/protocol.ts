/**
 * The maintenance protocol's vocabulary (docs/protocol.md): routes, headers, limits, and the parsing of what
 * the orchestrator sends. Pure: no I/O, no clock.
 */

/** A scenario's maintenance state on the wire. */
export type MaintenanceState = 'active' | 'inactive';

/** The state route the orchestrator calls unless a service.json names another. */
export const STATE_PATH = '/api/maintenance/state';
/** The older state route the orchestrator retries after a 404 on the first. */
export const LEGACY_STATE_PATH = '/api/v1/maintenance/state';
/** Both routes: a scenario serving both works with any orchestrator version. */
export const STATE_PATHS: readonly string[] = [STATE_PATH, LEGACY_STATE_PATH];
/** Header carrying the leader's epoch (an integer that grows at each leader change); lower-case as node gives it. */
export const EPOCH_HEADER = 'x-maintenance-epoch';
/** Header carrying the id of the orchestrator replica that makes the call. */
export const LEADER_HEADER = 'x-maintenance-leader';
/** The orchestrator's registration route (register, renew, unregister). */
export const REGISTRATIONS_PATH = '/api/v1/registrations';
/** A lease beyond a week is a mistake: the point of a lease is to end soon after the orchestrator does. */
export const MAX_LEASE_SECONDS = 7 * 24 * 3600;
/** Bodies above this are refused: the wire carries a few dozen bytes, anything larger is a mistake. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What a valid state POST asks for. `leaseSeconds` 0 means no lease. */
export interface StateRequest {
  state: MaintenanceState;
  leaseSeconds: number;
}

/** The result of validating untrusted input: the value, or a message fit for a 400 body. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** True for the two state words; anything else (case included) is refused, as the orchestrator sends lowercase. */
export function isMaintenanceState(value: unknown): value is MaintenanceState {
  return value === 'active' || value === 'inactive';
}

/**
 * Reads a state POST body. Either key is accepted, since real scenarios read one or the other; when both are
 * present they must agree, because guessing would hide a bug. `leaseSeconds` absent, null or 0 means no lease.
 */
export function parseStateRequest(text: string): Parsed<StateRequest> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error: unknown) {
    return { ok: false, message: `body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, message: 'body must be a JSON object' };
  const { maintenanceState, state, leaseSeconds } = json as Record<string, unknown>;
  if (maintenanceState === undefined && state === undefined) return { ok: false, message: 'body needs "maintenanceState" or "state"' };
  for (const [key, value] of [['maintenanceState', maintenanceState], ['state', state]] as const) {
    if (value !== undefined && !isMaintenanceState(value)) return { ok: false, message: `"${key}" must be "active" or "inactive"` };
  }
  if (maintenanceState !== undefined && state !== undefined && maintenanceState !== state) {
    return { ok: false, message: '"maintenanceState" and "state" disagree' };
  }
  const lease = parseLeaseSeconds(leaseSeconds);
  if (!lease.ok) return lease;
  return { ok: true, value: { state: (maintenanceState ?? state) as MaintenanceState, leaseSeconds: lease.value } };
}

/** Validates `leaseSeconds`: absent or null is 0 (no lease); otherwise a number from 0 to MAX_LEASE_SECONDS. */
export function parseLeaseSeconds(value: unknown): Parsed<number> {
  if (value === undefined || value === null) return { ok: true, value: 0 };
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_LEASE_SECONDS) {
    return { ok: false, message: `"leaseSeconds" must be a number from 0 to ${MAX_LEASE_SECONDS}` };
  }
  return { ok: true, value };
}

/** Reads `X-Maintenance-Epoch`: absent is null (an orchestrator without leader election); else a non-negative integer. */
export function parseEpoch(header: string | string[] | undefined): Parsed<number | null> {
  if (header === undefined) return { ok: true, value: null };
  const text = (Array.isArray(header) ? header.join(',') : header).trim();
  if (!/^\d{1,15}$/.test(text)) return { ok: false, message: `X-Maintenance-Epoch ${JSON.stringify(text)} must be a non-negative integer` };
  return { ok: true, value: Number(text) };
}

/** Reads `X-Maintenance-Leader`: the first value, trimmed, or null when absent or empty. */
export function parseLeader(header: string | string[] | undefined): string | null {
  const text = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  return text === '' ? null : text.slice(0, 200);
}
