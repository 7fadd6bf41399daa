/**
 * The scenario's side of the maintenance wire (SPEC 2), as plain helpers: body parsing and JSON replies.
 * Kept free of any import from `src/` on purpose: this is what a real scenario would copy, and it must
 * not lean on the orchestrator's internals to be correct.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A scenario's maintenance state on the wire. */
export type MaintenanceState = 'active' | 'inactive';

/** Route a scenario serves its state on unless its service.json says otherwise. */
export const DEFAULT_STATE_ENDPOINT = '/api/maintenance/state';
/** Older route the orchestrator retries on a 404; `legacyOnly` scenarios serve only this one. */
export const LEGACY_STATE_ENDPOINT = '/api/v1/maintenance/state';
/** Bodies above this are refused: the wire carries a few dozen bytes, anything larger is a mistake. */
export const MAX_BODY_BYTES = 64 * 1024;

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

/** True for the two state words; anything else (case included) is refused, as the orchestrator sends lowercase. */
export function isMaintenanceState(value: unknown): value is MaintenanceState {
  return value === 'active' || value === 'inactive';
}

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

/**
 * Reads the requested state from a POST body. Real scenarios read `maintenanceState` or `state`, so
 * either key is accepted; when both are present they must agree, since guessing would hide a bug.
 */
export function parseStateBody(text: string): Parsed<MaintenanceState> {
  const json = parseJson(text);
  if (!json.ok) return json;
  if (!isJsonObject(json.value)) return { ok: false, message: 'body must be a JSON object' };
  const { maintenanceState, state } = json.value;
  if (maintenanceState === undefined && state === undefined) {
    return { ok: false, message: 'body needs "maintenanceState" or "state"' };
  }
  for (const [key, value] of [['maintenanceState', maintenanceState], ['state', state]] as const) {
    if (value !== undefined && !isMaintenanceState(value)) {
      return { ok: false, message: `"${key}" must be "active" or "inactive"` };
    }
  }
  if (maintenanceState !== undefined && state !== undefined && maintenanceState !== state) {
    return { ok: false, message: '"maintenanceState" and "state" disagree' };
  }
  return { ok: true, value: (maintenanceState ?? state) as MaintenanceState };
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

/** Collects a request body as UTF-8, or null when it exceeds `limit` bytes (the caller answers 413). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining rather than destroying the socket, so a keep-alive connection survives the 413.
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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
