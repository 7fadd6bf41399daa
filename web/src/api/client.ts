/** The one place the dashboard talks HTTP: JSON in and out, errors as ApiError, the optional API token. */
import { ACTOR_NAME } from '../lib/actor';
import type { ActivityCategory, ActivityEntry, ChangePlan, Explanation, FleetPlan, History, Preset, PresetChangeResult, ScenarioList, Schedule, ScheduleList, Status, Timeline } from './types';

const BASE = 'api/v1';
const TOKEN_KEY = 'maintenance-orchestrator.token';
const ACTOR_KEY = 'maintenance-orchestrator.actor';

/** A failed request: the HTTP status and the server's JSON error body (`{statusCode, error, message, ...}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The gate that refused (409) or the plan awaiting confirmation (428), when the server said. */
  get reason(): string | null {
    return typeof this.body.reason === 'string' ? this.body.reason : null;
  }
}

/**
 * With MAINTENANCE_TOKENS set the API needs a bearer token. The dashboard takes it once from `?token=`,
 * keeps it for the tab only, and drops it from the address bar so it is not shared by copying the URL.
 */
function readToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

const token = readToken();

/** Keeps a token typed into the dashboard's prompt, for this tab only (sessionStorage). */
export function storeToken(value: string): void {
  sessionStorage.setItem(TOKEN_KEY, value);
}

/** Whether this tab calls with a token (then the token's name is the actor and no name is asked for). */
export const hasToken = token !== null;

/**
 * The name this browser's user gave for the activity log: a name, `''` when they chose not to give one,
 * `null` when they were never asked. Kept in localStorage, so it is asked once per browser, not per tab.
 */
export function storedActorName(): string | null {
  try {
    return localStorage.getItem(ACTOR_KEY);
  } catch {
    // Storage can be off (privacy settings); then the user is asked again on the next visit.
    return null;
  }
}

/** Keeps the answer to "who are you?" (`''`: not given). */
export function storeActorName(name: string): void {
  try {
    localStorage.setItem(ACTOR_KEY, name);
  } catch {
    // As above: without storage the name lasts for this page only.
  }
  actorName = name;
}

let actorName = storedActorName();

/** URL of an API route; EventSource cannot send headers, so the token rides in the query there. */
export function apiUrl(path: string, query: Record<string, string | undefined> = {}, withToken = false): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  if (withToken && token) params.set('token', token);
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown, query?: Record<string, string | undefined>): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  // Without a token the server records `local:<name>` for this header; with one it ignores it.
  else if (method !== 'GET' && actorName && ACTOR_NAME.test(actorName)) headers['x-maintenance-actor'] = actorName;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, 'the orchestrator cannot be reached');
  }
  const parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (!response.ok) {
    const message = typeof parsed?.message === 'string' ? parsed.message : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, parsed ?? {});
  }
  return parsed as T;
}

/** Typed calls, one per route the dashboard uses. */
export const api = {
  scenarios: () => request<ScenarioList>('GET', '/scenarios'),
  whoami: () => request<{ actor: string; role: 'viewer' | 'operator' | 'admin' | 'scenario'; anonymous: boolean }>('GET', '/whoami'),
  status: () => request<Status>('GET', '/status'),
  presets: () => request<{ presets: Preset[] }>('GET', '/presets').then((body) => body.presets),
  history: () => request<History>('GET', '/history'),
  activity: (category?: ActivityCategory, limit = 100) => request<{ entries: ActivityEntry[] }>('GET', '/activity', undefined, { category, limit: String(limit) }).then((body) => body.entries),
  /** Another engineer is adding this route; a 404 means this server has none, which the panel says. */
  schedules: async (): Promise<ScheduleList> => {
    try {
      const body = await request<{ schedules: Schedule[] }>('GET', '/schedules');
      return { available: true, schedules: body.schedules };
    } catch (error: unknown) {
      if (error instanceof ApiError && error.status === 404) return { available: false };
      throw error;
    }
  },
  activate: (id: string) => request<{ success: boolean; newState: string }>('POST', `/scenarios/${encodeURIComponent(id)}/activate`, {}),
  deactivate: (id: string) => request<{ success: boolean; newState: string }>('POST', `/scenarios/${encodeURIComponent(id)}/deactivate`, {}),
  planPreset: (id: string) => request<PresetChangeResult>('POST', `/presets/${encodeURIComponent(id)}/apply`, { dryRun: true }).then((body) => body.plan as ChangePlan),
  applyPreset: (id: string) => request<PresetChangeResult>('POST', `/presets/${encodeURIComponent(id)}/apply`, { confirm: true }),
  stopAll: (reason: string) => request<{ success: boolean; deactivated: string[]; stillActive: string[] }>('POST', '/stop-all', { reason }),
  resume: () => request<{ success: boolean }>('POST', '/resume', {}),
  /** Why a scenario is where it is (the explain drawer). */
  explain: (id: string) => request<Explanation>('GET', `/scenarios/${encodeURIComponent(id)}/explain`),
  /** Windows, blackouts and override expiries of the next 7 days. */
  timeline: () => request<Timeline>('GET', '/timeline'),
  /** The whole fleet at an instant (ISO, or "sat 02:00", "+3h" in the server's zone). */
  planAt: (at: string) => request<FleetPlan>('POST', '/plan', { at }),
};

/** A message for any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
