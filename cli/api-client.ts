/**
 * The typed client of the orchestrator's REST API: one method per route, so commands never build URLs.
 * Plain node:http with no keep-alive agent, so a finished command never waits on an idle socket.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { STATUS_CODES } from 'node:http';
import { actorHeaderValue } from './actor';
import type * as T from './api-types';
import { ApiError, UnreachableError } from './errors';
import { SseParser, type SseEvent } from './sse';

/** Where the server is and how to talk to it. */
export interface ApiClientOptions {
  /** Base URL such as http://127.0.0.1:3250 (a path prefix is kept, for proxies). */
  url: string;
  /** Sent as `Authorization: Bearer`. */
  token?: string;
  /** Who runs the client (the OS user), sent as `X-Maintenance-Actor`; the server records `local:<name>` without tokens. */
  actor?: string;
  /** Time allowed without an answer; the server itself waits up to 10 s for scenarios to acknowledge. */
  timeoutMs?: number;
}

/** An open event stream: iterate it for events, close it to stop. */
export interface EventStream extends AsyncIterable<SseEvent> {
  close(): void;
}

type Query = Record<string, string | number | boolean | undefined>;
interface RequestOptions {
  query?: Query;
  body?: unknown;
}
interface RawReply {
  status: number;
  text: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** One method per route of /api/v1. */
export class ApiClient {
  private readonly base: URL;
  private readonly timeoutMs: number;
  private readonly actor: string | null;

  /** Throws TypeError when the URL is not http(s). */
  constructor(private readonly options: ApiClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    } catch {
      throw new TypeError(`"${options.url}" is not a valid URL (such as http://127.0.0.1:3250)`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new TypeError(`"${options.url}" is not an http(s) URL`);
    this.base = base;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // Made header-safe here too, so no name can make node refuse to send the request.
    this.actor = options.actor === undefined ? null : actorHeaderValue(options.actor);
  }

  /** The base URL as the user gave it, for messages. */
  get url(): string {
    return this.options.url;
  }

  status = () => this.json<T.Status>('GET', 'status');
  listScenarios = (query: T.ScenarioQuery = {}) => this.json<T.ScenarioList>('GET', 'scenarios', { query: { ...query } });
  getScenario = (id: string) => this.json<T.Scenario>('GET', `scenarios/${enc(id)}`);
  activate = (id: string, body: { ttl?: string; reason?: string; breakGlass?: boolean } = {}) => this.json<T.ScenarioChangeResult>('POST', `scenarios/${enc(id)}/activate`, { body });
  deactivate = (id: string, body: { reason?: string } = {}) => this.json<T.ScenarioChangeResult>('POST', `scenarios/${enc(id)}/deactivate`, { body });

  listPresets = () => this.json<{ presets: T.Preset[] }>('GET', 'presets');
  getPreset = (id: string) => this.json<T.Preset>('GET', `presets/${enc(id)}`);
  applyPreset = (id: string, body: { add?: boolean; dryRun?: boolean; confirm?: boolean } = {}) =>
    this.json<T.PresetChangeResult>('POST', `presets/${enc(id)}/apply`, { body });
  removePreset = (id: string, body: { dryRun?: boolean; confirm?: boolean } = {}) => this.json<T.PresetChangeResult>('POST', `presets/${enc(id)}/remove`, { body });
  createPreset = (body: T.CreatePresetInput) => this.json<T.Preset>('POST', 'presets', { body });
  importPresets = (body: { document: string; source?: string; overwrite?: boolean }) => this.json<T.ImportResult>('POST', 'presets/import', { body });
  /** The preset's manifest as YAML text. */
  exportPreset = (id: string) => this.text('GET', `presets/${enc(id)}/export`);
  deletePreset = (id: string) => this.json<{ success: boolean; preset: string }>('DELETE', `presets/${enc(id)}`);

  applyManifests = (body: { manifests: string; source?: string; dryRun?: boolean; confirm?: boolean }) => this.json<T.ApplyResult>('POST', 'apply', { body });
  /** The current plan, or the plan of a declared state (presets + overrides) without applying it. */
  plan = (body: { presets?: string[]; overrides?: Record<string, unknown> } = {}) => this.json<T.ChangePlan>('POST', 'plan', { body });
  /** The whole fleet at an instant (`at` as the server reads it: ISO, "tomorrow 02:00", "+3h"...), in `tz` or the server's zone. */
  planAt = (at: string, tz?: string) => this.json<T.FleetPlan>('POST', 'plan', { body: { at, ...(tz ? { tz } : {}) } });
  /** Why a scenario is where it is, now or at `at`. */
  explain = (id: string, at?: string, tz?: string) => this.json<T.Explanation>('GET', `scenarios/${enc(id)}/explain`, { query: { at, tz } });
  /** Windows, blackouts and override expiries in a range (default: the next 7 days). */
  timeline = (query: { from?: string; to?: string; tz?: string } = {}) => this.json<T.Timeline>('GET', 'timeline', { query: { ...query } });
  desiredState = () => this.json<T.DesiredState>('GET', 'desired-state');
  setDesiredState = (body: { presets?: string[]; overrides?: Record<string, unknown>; dryRun?: boolean; confirm?: boolean }) =>
    this.json<{ success: boolean; dryRun: boolean; plan: T.ChangePlan; desiredState: T.DesiredState }>('PUT', 'desired-state', { body });
  /** Without a reason the POST has no body at all, as the original clients send it; the server records "no reason given". */
  stopAll = (reason?: string) => this.json<T.StopAllResult>('POST', 'stop-all', reason === undefined ? {} : { body: { reason } });
  resume = () => this.json<T.ResumeResult>('POST', 'resume', { body: {} });
  policy = () => this.json<T.PolicyView>('GET', 'policy');
  putPolicy = (spec: Record<string, unknown>) => this.json<{ success: boolean; policy: Record<string, unknown> }>('PUT', 'policy', { body: { spec } });

  listSchedules = () => this.json<{ schedules: T.Schedule[] }>('GET', 'schedules');
  getSchedule = (name: string) => this.json<T.Schedule>('GET', `schedules/${enc(name)}`);
  createSchedule = (body: T.CreateScheduleInput) => this.json<T.Schedule>('POST', 'schedules', { body });
  deleteSchedule = (name: string) => this.json<{ success: boolean; name: string }>('DELETE', `schedules/${enc(name)}`);

  listNotifiers = () => this.json<{ notifiers: T.NotifierView[] }>('GET', 'notifiers');
  deleteNotifier = (name: string) => this.json<{ success: boolean; name: string }>('DELETE', `notifiers/${enc(name)}`);
  testNotifier = (name: string) => this.json<T.NotifierTestResult>('POST', `notifiers/${enc(name)}/test`, { body: {} });

  activity = (query: T.ActivityQuery = {}) => this.json<T.ActivityPage>('GET', 'activity', { query: { ...query } });

  /** Opens GET /events (activity entries only); resolves once the server accepted the stream. */
  events(query: Pick<T.ActivityQuery, 'category' | 'scenario'> = {}): Promise<EventStream> {
    const url = this.urlOf('events', { ...query, activityOnly: true });
    return new Promise((resolve, reject) => {
      const request = this.transport(url).request(url, { method: 'GET', headers: this.headers({ accept: 'text/event-stream' }), agent: false });
      request.on('error', (error) => reject(this.unreachable(error)));
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          void readAll(response).then((text) => reject(toApiError(response.statusCode ?? 500, text)));
          return;
        }
        response.setEncoding('utf8');
        resolve({
          close: () => request.destroy(),
          async *[Symbol.asyncIterator]() {
            const parser = new SseParser();
            try {
              for await (const chunk of response) yield* parser.push(chunk as string);
            } catch (error) {
              // A destroyed request (our own close) ends the stream quietly; anything else is a lost connection.
              if (!request.destroyed) throw error;
            }
          },
        });
      });
      request.end();
    });
  }

  private async json<R>(method: string, path: string, options: RequestOptions = {}): Promise<R> {
    const reply = await this.send(method, path, options, 'application/json');
    try {
      return JSON.parse(reply.text) as R;
    } catch {
      throw new ApiError(reply.status, { statusCode: reply.status, error: 'Bad Response', message: `the server at ${this.url} did not answer JSON for ${method} /api/v1/${path} (is --url the orchestrator?)` });
    }
  }

  private async text(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    return (await this.send(method, path, options, '*/*')).text;
  }

  private send(method: string, path: string, options: RequestOptions, accept: string): Promise<RawReply> {
    const url = this.urlOf(path, options.query);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers = this.headers({ accept, ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }) });
    return new Promise((resolve, reject) => {
      const request = this.transport(url).request(url, { method, headers, agent: false });
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`no answer within ${Math.round(this.timeoutMs / 1000)} s`)));
      request.on('error', (error) => reject(this.unreachable(error)));
      request.on('response', (response) => {
        readAll(response).then((text) => {
          const status = response.statusCode ?? 500;
          if (status >= 400) reject(toApiError(status, text));
          else resolve({ status, text });
        }, (error: Error) => reject(this.unreachable(error)));
      });
      request.end(payload);
    });
  }

  private urlOf(path: string, query: Query = {}): URL {
    const url = new URL(`api/v1/${path}`, this.base);
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    return url;
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    return {
      'user-agent': 'maintenance-orchestrator-cli',
      ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      ...(this.actor ? { 'x-maintenance-actor': this.actor } : {}),
      ...extra,
    };
  }

  private transport(url: URL): typeof http | typeof https {
    return url.protocol === 'https:' ? https : http;
  }

  private unreachable(error: Error & { code?: string }): UnreachableError {
    return new UnreachableError(this.url, describeNetworkError(error));
  }
}

/** A short reason for a network failure, in words rather than errno names where they are common. */
export function describeNetworkError(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'connection timed out';
    default:
      return error.message || String(error.code ?? 'unknown error');
  }
}

/** The server's JSON error body, or one made up from a non-JSON answer (a proxy's HTML page). */
export function toApiError(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as T.ApiErrorBody;
    if (body && typeof body === 'object' && typeof body.message === 'string') return new ApiError(status, { ...body, statusCode: body.statusCode ?? status });
  } catch {
    // not JSON: fall through
  }
  const error = STATUS_CODES[status] ?? 'Error';
  const snippet = text.trim().split('\n')[0]?.slice(0, 200);
  return new ApiError(status, { statusCode: status, error, message: `HTTP ${status} ${error}${snippet ? `: ${snippet}` : ''}` });
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function readAll(stream: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}
