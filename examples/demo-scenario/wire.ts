/**
 * The demo's helpers around the maintenance wire: JSON replies and the `/__demo/config` knobs. The protocol
 * itself (routes, bodies, leases, epochs) comes from the SDK in `sdk/`, as it would for a real scenario; nothing
 * here imports from `src/`, since a scenario must not lean on the orchestrator's internals to be correct.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMaintenanceState, LEGACY_STATE_PATH, STATE_PATH, type MaintenanceState } from '../../sdk/src';

export type { MaintenanceState } from '../../sdk/src';
export { isMaintenanceState, readBody, MAX_BODY_BYTES } from '../../sdk/src';

/** Route a scenario serves its state on unless its service.json says otherwise. */
export const DEFAULT_STATE_ENDPOINT = STATE_PATH;
/** Older route the orchestrator retries on a 404; `legacyOnly` scenarios serve only this one. */
export const LEGACY_STATE_ENDPOINT = LEGACY_STATE_PATH;

/** Any JSON value, for bodies and service.json documents. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Result of validating untrusted input: the value, or a message fit for a 400 body. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Behaviour knobs that tests and benchmarks may change while a scenario runs. */
// A type alias, not an interface, so it stays assignable to JsonObject when sent as a reply.
export type ScenarioBehaviour = {
  /** Milliseconds added before answering every wire request. */
  delayMs: number;
  /** Fraction (0..1) of state POSTs answered with a 500 and not applied. */
  failRate: number;
  /** When true, GETs omit `maintenanceState`, so the orchestrator observes Unknown. */
  silent: boolean;
};

/** Body of `POST /__demo/config`: any behaviour knob, plus `state` to simulate a change the scenario made itself. */
export type ScenarioConfigPatch = Partial<ScenarioBehaviour> & { state?: MaintenanceState };

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses text as JSON, or explains why it is not. */
export function parseJson(text: string): Parsed<JsonValue> {
  try {
    return { ok: true, value: JSON.parse(text) as JsonValue };
  } catch (error: unknown) {
    return { ok: false, message: `body is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Validates a `POST /__demo/config` body. */
export function parseConfigBody(text: string): Parsed<ScenarioConfigPatch> {
  const json = parseJson(text);
  if (!json.ok) return json;
  if (!isJsonObject(json.value)) return { ok: false, message: 'body must be a JSON object' };
  const { delayMs, failRate, silent, state } = json.value;
  const problem = behaviourProblem({ delayMs, failRate, silent });
  if (problem !== null) return { ok: false, message: problem };
  if (state !== undefined && !isMaintenanceState(state)) return { ok: false, message: '"state" must be "active" or "inactive"' };
  const patch = { delayMs, failRate, silent, state } as ScenarioConfigPatch;
  return { ok: true, value: Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
}

/** Why a behaviour patch is invalid, or null; shared by the control route and the server's options. */
export function behaviourProblem(patch: { delayMs?: unknown; failRate?: unknown; silent?: unknown }): string | null {
  const { delayMs, failRate, silent } = patch;
  if (delayMs !== undefined && !isNonNegativeNumber(delayMs)) return '"delayMs" must be a number >= 0';
  if (failRate !== undefined && !(isNonNegativeNumber(failRate) && failRate <= 1)) return '"failRate" must be between 0 and 1';
  if (silent !== undefined && typeof silent !== 'boolean') return '"silent" must be a boolean';
  return null;
}

/** True for a finite number >= 0. */
export function isNonNegativeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** True when the client hung up (a timeout on its side) or the server dropped the connection. */
export function isGone(req: IncomingMessage, res: ServerResponse): boolean {
  return res.destroyed || req.socket.destroyed;
}

/** Sends a JSON reply with an explicit length, which keeps keep-alive connections reusable. */
export function sendJson(res: ServerResponse, status: number, body: JsonObject): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
