/**
 * The `healthChecks` list of a Policy (SPEC 11), validated into typed specs. Pure: the policy schema calls
 * it with its own problem collector, so every problem names its field like the rest of the policy.
 */
import { parseDuration } from '../config/duration';
import { describe, isPlainObject } from '../presets/manifest';

/** What a check does when it cannot be read: hold new activations back, or let them through. */
export type OnError = 'block' | 'allow';

/** Fields every check has. */
interface CheckCommon {
  /** Unique within the policy; the `check` label of the metrics and the name in gate messages. */
  name: string;
  /** The server's base URL (http or https). */
  url: string;
  intervalMs: number;
  onError: OnError;
}

/** Fails while a matching alert is active and neither silenced nor inhibited (Alertmanager API v2). */
export interface AlertmanagerCheckSpec extends CheckCommon {
  type: 'alertmanager';
  /** Alertmanager filter matchers, e.g. `severity="critical"`; all must match. */
  matchers: string[];
}

/** Fails while the instant query returns a non-empty vector. */
export interface PrometheusCheckSpec extends CheckCommon {
  type: 'prometheus';
  query: string;
}

/** One configured health check. */
export type HealthCheckSpec = AlertmanagerCheckSpec | PrometheusCheckSpec;

/** Where a problem is reported: the path of the field and what is wrong with it. */
export type ProblemSink = (path: (string | number)[], message: string) => void;

/** SPEC 11's default interval. */
export const DEFAULT_CHECK_INTERVAL_MS = 30_000;
const MIN_INTERVAL_MS = 1_000;
const MAX_INTERVAL_MS = 86_400_000;
const CHECK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** Alertmanager's matcher syntax: a label name, an operator and a quoted value. */
const MATCHER = /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*$/;
const FIELDS = {
  alertmanager: ['url', 'matchers', 'name', 'interval', 'onError'],
  prometheus: ['url', 'query', 'name', 'interval', 'onError'],
} as const;

/** Reads `healthChecks` (absent: none); reports each problem against its field through `fail`. */
export function readHealthChecks(value: unknown, at: (string | number)[], fail: ProblemSink): HealthCheckSpec[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    fail(at, 'must be a list of checks, each `alertmanager: {url, matchers}` or `prometheus: {url, query}`');
    return [];
  }
  const checks: HealthCheckSpec[] = [];
  const seen = new Set<string>();
  value.forEach((item, index) => {
    const check = readOne(item, [...at, index], index, fail);
    if (!check) return;
    if (seen.has(check.name)) fail([...at, index, check.type, 'name'], `"${check.name}" is already the name of another check; names must be unique`);
    seen.add(check.name);
    checks.push(check);
  });
  return checks;
}

function readOne(item: unknown, path: (string | number)[], index: number, fail: ProblemSink): HealthCheckSpec | null {
  const types = isPlainObject(item) ? Object.keys(item) : [];
  if (!isPlainObject(item) || types.length !== 1 || !(types[0] in FIELDS)) {
    fail(path, `must be a mapping with exactly one of alertmanager or prometheus, got ${isPlainObject(item) ? `keys ${types.join(', ') || 'none'}` : describe(item)}`);
    return null;
  }
  const type = types[0] as keyof typeof FIELDS;
  const raw = item[type];
  const at = [...path, type];
  if (!isPlainObject(raw)) {
    fail(at, `must be a mapping {${FIELDS[type].join(', ')}}, got ${describe(raw)}`);
    return null;
  }
  for (const key of Object.keys(raw)) {
    if (!(FIELDS[type] as readonly string[]).includes(key)) fail([...at, key], `is not a known field (known: ${FIELDS[type].join(', ')})`);
  }
  const common = {
    name: readName(raw.name, [...at, 'name'], `${type}-${index + 1}`, fail),
    url: readUrl(raw.url, [...at, 'url'], fail),
    intervalMs: readInterval(raw.interval, [...at, 'interval'], fail),
    onError: readOnError(raw.onError, [...at, 'onError'], fail),
  };
  if (type === 'alertmanager') return { type, ...common, matchers: readMatchers(raw.matchers, [...at, 'matchers'], fail) };
  if (typeof raw.query !== 'string' || raw.query.trim() === '') fail([...at, 'query'], `is required: a PromQL expression, got ${describe(raw.query)}`);
  return { type, ...common, query: typeof raw.query === 'string' ? raw.query.trim() : '' };
}

function readName(value: unknown, path: (string | number)[], fallback: string, fail: ProblemSink): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !CHECK_NAME.test(value)) {
    fail(path, `must be a name of letters, digits, '.', '_' or '-' (at most 63), got ${describe(value)}`);
    return fallback;
  }
  return value;
}

function readUrl(value: unknown, path: (string | number)[], fail: ProblemSink): string {
  if (typeof value !== 'string') {
    fail(path, `is required: the server's http(s) base URL, got ${describe(value)}`);
    return '';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(path, `must be an http(s) URL, got ${describe(value)}`);
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(path, `must be an http(s) URL, got ${describe(value)}`);
  if (url.username || url.password) fail(path, 'must not carry credentials');
  return value;
}

function readInterval(value: unknown, path: (string | number)[], fail: ProblemSink): number {
  if (value === undefined || value === null) return DEFAULT_CHECK_INTERVAL_MS;
  let ms: number;
  try {
    ms = parseDuration(value as string | number);
  } catch (error) {
    fail(path, (error as Error).message);
    return DEFAULT_CHECK_INTERVAL_MS;
  }
  if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
    fail(path, `must be from 1s to 1d, got ${describe(value)}`);
    return DEFAULT_CHECK_INTERVAL_MS;
  }
  return ms;
}

function readOnError(value: unknown, path: (string | number)[], fail: ProblemSink): OnError {
  if (value === undefined || value === null) return 'block';
  if (value !== 'block' && value !== 'allow') fail(path, `must be block or allow, got ${describe(value)}`);
  return value === 'allow' ? 'allow' : 'block';
}

function readMatchers(value: unknown, path: (string | number)[], fail: ProblemSink): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    fail(path, `is required: a list of Alertmanager matchers like 'severity="critical"', got ${describe(value)}`);
    return [];
  }
  return value.filter((matcher, index) => {
    const ok = typeof matcher === 'string' && MATCHER.test(matcher);
    if (!ok) fail([...path, index], `must be a matcher like 'severity="critical"' (label, =, !=, =~ or !~, quoted value), got ${describe(matcher)}`);
    return ok;
  }) as string[];
}
