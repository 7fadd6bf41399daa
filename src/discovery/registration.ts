/**
 * Registrations (SPEC 2, `POST /api/v1/registrations`): pure validation and how a registration shapes a spec.
 *
 * Decisions:
 * - Registering is itself the opt-in, so a registration for an id without a tagged service.json creates a
 *   scenario by itself; `maintenance` is added to its tags when missing rather than refusing the call.
 * - For a scenario that also has a tagged service.json, the registration supplies only the endpoint (highest
 *   precedence) and, when given, the state route; the file stays the source of names, tags, weight and conflicts.
 * - The endpoint must pass the same allow-list as files, or the registration is refused outright.
 */
import { DiscoveryError } from './discovery.error';
import { isHostAllowed } from './endpoint';
import type { ScenarioSpec, Weight } from './scenario';
import { DEFAULT_STATE_ENDPOINT } from './scenario';
import { MAINTENANCE_TAG, toBaseUrl, toStatePath } from './service-file';

/** What a scenario sends to register or to renew (heartbeat). */
export interface RegistrationInput {
  id: string;
  endpoint: string;
  ttlSeconds: number;
  stateEndpoint?: string;
  tags?: string[];
  displayName?: string;
  description?: string;
  weight?: Weight;
  conflictsWith?: string[];
}

/** A validated, live registration. Times are epoch milliseconds from the registry's clock. */
export interface Registration {
  id: string;
  endpoint: string;
  ttlSeconds: number;
  stateEndpoint: string | null;
  tags: string[];
  displayName: string | null;
  description: string | null;
  weight: Weight;
  conflictsWith: string[];
  registeredAt: number;
  renewedAt: number;
  expiresAt: number;
}

/** What validation needs to know besides the input. */
export interface RegistrationContext {
  allowedHosts: readonly string[];
  selfId: string;
  now: number;
  /** The live registration being renewed, if any: keeps its first registration time. */
  previous?: Registration;
}

/** Ids are folder names in Vrooli; the same shape keeps them safe in URLs and logs. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** A heartbeat TTL beyond a day keeps a dead scenario (or junk) listed and planned every pass for too long (SPEC 8). */
export const MAX_TTL_SECONDS = 24 * 3600;

/** Validates a registration; throws DiscoveryError (`InvalidRegistration` or `HostNotAllowed`). */
export function validateRegistration(input: RegistrationInput, context: RegistrationContext): Registration {
  const id = typeof input.id === 'string' ? input.id.trim() : '';
  if (!ID_PATTERN.test(id)) invalid(`id ${JSON.stringify(input.id)} must be 1-128 letters, digits, dots, dashes or underscores`);
  if (id === context.selfId) invalid(`id ${id} is the orchestrator itself and cannot be registered`);
  const endpoint = toBaseUrl(input.endpoint);
  if (endpoint === null) invalid(`endpoint ${JSON.stringify(input.endpoint)} must be an http(s) base URL without credentials, query or fragment`);
  // Origin only (SPEC 8): the state and action paths are the protocol's, so a registration cannot aim the
  // orchestrator's calls at another service's paths on an allowed host.
  if (new URL(endpoint).pathname !== '/') invalid(`endpoint ${JSON.stringify(input.endpoint)} must be an origin only (scheme://host:port), without a path`);
  if (!isHostAllowed(endpoint, context.allowedHosts)) {
    const host = new URL(endpoint).hostname;
    throw new DiscoveryError('HostNotAllowed', `endpoint host ${host} is not in ALLOWED_SCENARIO_HOSTS (${context.allowedHosts.join(', ')})`);
  }
  const ttl = input.ttlSeconds;
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0 || ttl > MAX_TTL_SECONDS) {
    invalid(`ttlSeconds must be a number above 0 and at most ${MAX_TTL_SECONDS}`);
  }
  return {
    id,
    endpoint,
    ttlSeconds: ttl,
    stateEndpoint: optionalStatePath(input.stateEndpoint),
    tags: withMaintenanceTag(optionalList(input.tags, 'tags')),
    displayName: optionalText(input.displayName, 'displayName'),
    description: optionalText(input.description, 'description'),
    weight: optionalWeight(input.weight),
    conflictsWith: optionalList(input.conflictsWith, 'conflictsWith').filter((other) => other !== id),
    registeredAt: context.previous?.registeredAt ?? context.now,
    renewedAt: context.now,
    expiresAt: context.now + ttl * 1000,
  };
}

/** True when the registration's TTL has run out at `now`. */
export function isExpired(registration: Registration, now: number): boolean {
  return now >= registration.expiresAt;
}

/** True when a renewal changes what the registry exposes (not just the expiry). */
export function changesSpec(previous: Registration | undefined, next: Registration): boolean {
  if (!previous) return true;
  const shape = (r: Registration): string =>
    JSON.stringify([r.endpoint, r.stateEndpoint, r.tags, r.displayName, r.description, r.weight, r.conflictsWith]);
  return shape(previous) !== shape(next);
}

/** The spec a registration yields: an endpoint overlay on a file-backed spec, or a spec of its own. */
export function applyRegistration(base: ScenarioSpec | undefined, registration: Registration): ScenarioSpec {
  const endpoint = { endpoint: registration.endpoint, endpointSource: 'registration' as const, endpointProblem: null };
  if (base) return { ...base, ...endpoint, stateEndpoint: registration.stateEndpoint ?? base.stateEndpoint };
  return {
    id: registration.id,
    name: registration.id,
    displayName: registration.displayName ?? registration.id,
    description: registration.description ?? '',
    tags: registration.tags,
    weight: registration.weight,
    canDeactivate: true,
    conflictsWith: registration.conflictsWith,
    stateEndpoint: registration.stateEndpoint ?? DEFAULT_STATE_ENDPOINT,
    ...endpoint,
    sourceFile: null,
  };
}

function invalid(message: string): never {
  throw new DiscoveryError('InvalidRegistration', message);
}

function optionalStatePath(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const path = toStatePath(value);
  if (path === null) invalid(`stateEndpoint ${JSON.stringify(value)} must be a path such as /api/maintenance/state`);
  return path;
}

function optionalList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) invalid(`${field} must be a list of strings`);
  return [...new Set(value.map((item: string) => item.trim()).filter((item) => item !== ''))];
}

function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') invalid(`${field} must be a string`);
  return value.trim() === '' ? null : value.trim();
}

function optionalWeight(value: unknown): Weight {
  if (value === undefined || value === null) return 'light';
  if (value !== 'light' && value !== 'heavy') invalid(`weight must be "light" or "heavy"`);
  return value;
}

function withMaintenanceTag(tags: string[]): string[] {
  const rest = tags.filter((tag) => tag.toLowerCase() !== MAINTENANCE_TAG);
  return [MAINTENANCE_TAG, ...rest];
}
