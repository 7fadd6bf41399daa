/**
 * Endpoint resolution (SPEC 2), first that applies: registration, `maintenance.endpoint`, fixed port,
 * PORT_RESOLVER output. Whatever the source, the host must be in the allow-list: a file or a registration
 * never makes the orchestrator call an arbitrary address.
 */
import { execFile } from 'node:child_process';
import type { EndpointSource, ScenarioSpec } from './scenario';
import { toBaseUrl, toPort } from './service-file';

/** Loopback, in every spelling a URL may carry. */
export const DEFAULT_ALLOWED_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1', '[::1]'];
/** How long one resolver command may run before it counts as failed. */
export const RESOLVER_TIMEOUT_MS = 3_000;

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

/** Outcome of running the resolver once. */
export type ResolverOutcome = { ok: true; url: string } | { ok: false; reason: string };

/** Runs a resolver template for one id; injectable so tests and the scanner can count or fake calls. */
export type PortResolverRunner = (template: string, id: string) => Promise<ResolverOutcome>;

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

/** Runs the template as argv (no shell) with `{name}` replaced by the id; stdout must be a port or a URL. */
export function runPortResolver(template: string, id: string, timeoutMs = RESOLVER_TIMEOUT_MS): Promise<ResolverOutcome> {
  const argv = splitCommandTemplate(template);
  if (argv === null) return Promise.resolve({ ok: false, reason: 'is not a valid command (empty or an unterminated quote)' });
  const [file, ...args] = argv.map((part) => part.replaceAll('{name}', id));
  const options = { timeout: timeoutMs, maxBuffer: 64 * 1024, windowsHide: true, killSignal: 'SIGKILL' as const };
  return new Promise((resolve) => {
    execFile(file, args, options, (error, stdout, stderr) => {
      if (error) return resolve({ ok: false, reason: describeFailure(error, file, timeoutMs, String(stderr)) });
      const url = parseResolverOutput(String(stdout));
      resolve(url ? { ok: true, url } : { ok: false, reason: `printed ${quoteOutput(String(stdout))}, not a port or a URL` });
    });
  });
}

/** A trimmed resolver output as a base URL: a bare port means loopback. Null when it is neither. */
export function parseResolverOutput(stdout: string): string | null {
  const text = stdout.trim();
  if (/^\d+$/.test(text)) {
    const port = toPort(text);
    return port === null ? null : `http://127.0.0.1:${port}`;
  }
  return toBaseUrl(text);
}

/** Splits a command template into argv like a POSIX shell would for quoting only; null when unbalanced or empty. */
export function splitCommandTemplate(template: string): string[] | null {
  const argv: string[] = [];
  let current: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < template.length; i++) {
    const char = template[i];
    if (quote === "'") {
      if (char === "'") quote = null;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && (template[i + 1] === '"' || template[i + 1] === '\\')) current += template[++i];
      else current += char;
    } else if (/\s/.test(char)) {
      if (current !== null) argv.push(current);
      current = null;
    } else if (char === '"' || char === "'") {
      quote = char;
      current ??= '';
    } else {
      current = (current ?? '') + (char === '\\' && i + 1 < template.length ? template[++i] : char);
    }
  }
  if (quote !== null) return null;
  if (current !== null) argv.push(current);
  return argv.length > 0 ? argv : null;
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

interface ExecFailure extends Error {
  code?: string | number | null;
  killed?: boolean;
  signal?: NodeJS.Signals | null;
}

function describeFailure(error: ExecFailure, file: string, timeoutMs: number, stderr: string): string {
  if (error.code === 'ENOENT') return `failed: command "${file}" not found`;
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return 'printed too much output';
  if (error.killed) return `timed out after ${timeoutMs / 1000}s`;
  if (error.signal) return `was killed by ${error.signal}`;
  const firstLine = stderr.trim().split('\n')[0]?.slice(0, 200);
  const status = typeof error.code === 'number' ? `exited with code ${error.code}` : `failed: ${error.message}`;
  return firstLine ? `${status}: ${firstLine}` : status;
}

function quoteOutput(stdout: string): string {
  const text = stdout.trim();
  if (text === '') return 'nothing';
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}
