/**
 * Reading one health check from its server: Alertmanager API v2 alerts or a Prometheus instant query.
 * A reader returns what fails the check (an empty list passes it) or throws OutboundError when the server
 * cannot be read or answers something we cannot use.
 */
import type { AlertmanagerCheckSpec, HealthCheckSpec, PrometheusCheckSpec } from './health-check-spec';
import { bodySummary, expectSuccess, OutboundError, send } from './outbound';

/** What a check found: one line per firing alert or per returned series, and the total count. */
export interface Findings {
  items: string[];
}

/** `base` + `path`, keeping any path prefix the base URL has (a server behind a reverse proxy). */
export function endpointUrl(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

/** Reads a check of either kind. */
export function readCheck(spec: HealthCheckSpec, allowedHosts: readonly string[], timeoutMs: number): Promise<Findings> {
  return spec.type === 'alertmanager' ? readAlertmanager(spec, allowedHosts, timeoutMs) : readPrometheus(spec, allowedHosts, timeoutMs);
}

interface ApiAlert {
  labels?: Record<string, string>;
  status?: { state?: string; silencedBy?: string[]; inhibitedBy?: string[] };
}

/** Active alerts matching every matcher that are neither silenced nor inhibited. */
export async function readAlertmanager(spec: AlertmanagerCheckSpec, allowedHosts: readonly string[], timeoutMs: number): Promise<Findings> {
  const url = endpointUrl(spec.url, 'api/v2/alerts');
  for (const [key, value] of [['active', 'true'], ['silenced', 'false'], ['inhibited', 'false'], ['unprocessed', 'false']]) url.searchParams.set(key, value);
  for (const matcher of spec.matchers) url.searchParams.append('filter', matcher);
  const alerts = parseJson(await get(url, allowedHosts, timeoutMs), url) as ApiAlert[];
  if (!Array.isArray(alerts)) throw new OutboundError(`unexpected answer from ${url.origin}${url.pathname}: not a list of alerts`);
  // The query already asks for these; checking again keeps a server that ignores a flag from passing a silenced alert as firing or the reverse.
  const firing = alerts.filter((alert) => alert.status?.state === 'active' && !alert.status.silencedBy?.length && !alert.status.inhibitedBy?.length);
  return { items: firing.map((alert) => describeAlert(alert.labels ?? {})).sort() };
}

/** `HighErrorRate{service="api",severity="critical"}`: the alertname, then the other labels. */
export function describeAlert(labels: Record<string, string>): string {
  const { alertname, ...rest } = labels;
  const pairs = Object.keys(rest).sort().map((key) => `${key}=${JSON.stringify(rest[key])}`);
  return `${alertname ?? '(no alertname)'}{${pairs.join(',')}}`;
}

interface QueryAnswer {
  status?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; value?: [number, string] }[] };
}

/** The series of the instant query; a non-empty vector fails the check. */
export async function readPrometheus(spec: PrometheusCheckSpec, allowedHosts: readonly string[], timeoutMs: number): Promise<Findings> {
  const url = endpointUrl(spec.url, 'api/v1/query');
  url.searchParams.set('query', spec.query);
  const answer = parseJson(await get(url, allowedHosts, timeoutMs), url) as QueryAnswer;
  if (answer.status !== 'success') throw new OutboundError(`query failed: ${bodySummary(answer.error ?? JSON.stringify(answer))}`);
  if (answer.data?.resultType !== 'vector' || !Array.isArray(answer.data.result)) {
    throw new OutboundError(`the query returns a ${answer.data?.resultType ?? 'nothing'}, not an instant vector`);
  }
  return { items: answer.data.result.map((series) => `${describeSeries(series.metric ?? {})} = ${series.value?.[1] ?? '?'}`) };
}

function describeSeries(metric: Record<string, string>): string {
  const { __name__: name, ...rest } = metric;
  const pairs = Object.keys(rest).sort().map((key) => `${key}=${JSON.stringify(rest[key])}`);
  return `${name ?? ''}{${pairs.join(',')}}`;
}

async function get(url: URL, allowedHosts: readonly string[], timeoutMs: number): Promise<string> {
  const shown = `${url.origin}${url.pathname}`;
  const reply = await send({ method: 'GET', url: url.toString(), headers: { accept: 'application/json' }, timeoutMs }, allowedHosts);
  expectSuccess(reply, shown);
  return reply.body;
}

function parseJson(body: string, url: URL): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new OutboundError(`unexpected answer from ${url.origin}${url.pathname}: not JSON: ${bodySummary(body)}`);
  }
}
