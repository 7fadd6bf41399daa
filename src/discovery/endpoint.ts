/**
 * Endpoint resolution (SPEC 2), first that applies: registration, `maintenance.endpoint`, fixed port,
 * PORT_RESOLVER output. Whatever the source, the host must be in the allow-list: a file or a registration
 * never makes the orchestrator call an arbitrary address.
 */
import { runPortResolver, type PortResolverRunner } from './port-resolver';
import type { EndpointSource, ScenarioSpec } from './scenario';

export {
  parseResolverOutput,
  RESOLVER_TIMEOUT_MS,
  runPortResolver,
  splitCommandTemplate,
  type PortResolverRunner,
  type ResolverOutcome,
} from './port-resolver';

/** Loopback, in every spelling a URL may carry. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1', '[::1]'];

/** Why a scenario has no endpoint, with a message for people. */
export type EndpointProblem = NonNullable<ScenarioSpec['endpointProblem']>;

/** The endpoint part of a ScenarioSpec. */
export interface EndpointResolution {
  endpoint: string | null;
  endpointSource: EndpointSource | null;
  endpointProblem: EndpointProblem | null;
}

/** What a scenario offers towards an endpoint, in precedence order. */
export interface EndpointCandidates {
  id: string;
  registration?: string | null;
  declaredEndpoint: string | null;
  fixedPort: number | null;
  /** Only used to explain a missing endpoint. */
  portRange?: string | null;
}

/** How to resolve: allow-list and optional resolver command template. */
export interface EndpointOptions {
  allowedHosts?: readonly string[];
  portResolver?: string | null;
  runResolver?: PortResolverRunner;
}

/** True when `url` is an http(s) URL whose host is in `allowedHosts` (case-insensitive, IPv6 brackets optional). */
export function isHostAllowed(url: string, allowedHosts: readonly string[]): boolean {
  const host = hostOf(url);
  if (host === null) return false;
  return allowedHosts.some((allowed) => bareHost(allowed.trim().toLowerCase()) === host);
}

/** Resolves without running anything; null means only the resolver could still supply an endpoint. */
export function resolveStaticEndpoint(candidates: EndpointCandidates, allowedHosts: readonly string[]): EndpointResolution | null {
  if (candidates.registration) return checked(candidates.registration, 'registration', allowedHosts);
  if (candidates.declaredEndpoint) return checked(candidates.declaredEndpoint, 'maintenance.endpoint', allowedHosts);
  if (candidates.fixedPort !== null) return checked(`http://127.0.0.1:${candidates.fixedPort}`, 'port', allowedHosts);
  return null;
}

/** Full resolution: static sources first, then the resolver command when one is configured. */
export async function resolveEndpoint(candidates: EndpointCandidates, options: EndpointOptions = {}): Promise<EndpointResolution> {
  const allowedHosts = options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
  const fixed = resolveStaticEndpoint(candidates, allowedHosts);
  if (fixed) return fixed;
  if (!options.portResolver) return noEndpoint(candidates, 'no PORT_RESOLVER is configured');
  const run = options.runResolver ?? runPortResolver;
  const outcome = await run(options.portResolver, candidates.id);
  if (!outcome.ok) return noEndpoint(candidates, `PORT_RESOLVER \`${options.portResolver}\` ${outcome.reason}`);
  return checked(outcome.url, 'resolver', allowedHosts);
}

/** The NoEndpoint resolution, saying what was tried; `resolverNote` explains the resolver step. */
export function noEndpoint(candidates: EndpointCandidates, resolverNote: string): EndpointResolution {
  const ports = candidates.portRange
    ? `no fixed port in ports.api (only the range ${candidates.portRange}, which is not a port)`
    : 'no fixed port in ports.api';
  const message = `no endpoint: no registration, no maintenance.endpoint, ${ports}, and ${resolverNote}`;
  return { endpoint: null, endpointSource: null, endpointProblem: { reason: 'NoEndpoint', message } };
}

function checked(url: string, source: EndpointSource, allowedHosts: readonly string[]): EndpointResolution {
  if (isHostAllowed(url, allowedHosts)) return { endpoint: url, endpointSource: source, endpointProblem: null };
  const message =
    `${source} ${url} names host ${hostOf(url) ?? '(unparseable)'}, which is not in ALLOWED_SCENARIO_HOSTS ` +
    `(${allowedHosts.join(', ')}); it will not be called`;
  return { endpoint: null, endpointSource: null, endpointProblem: { reason: 'HostNotAllowed', message } };
}

/** Lower-case host of an http(s) URL without IPv6 brackets, or null. */
function hostOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
    return bareHost(parsed.hostname.toLowerCase());
  } catch {
    return null;
  }
}

function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
