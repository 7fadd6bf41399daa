/**
 * Configuration: environment variables and `serve` flags, validated once at boot into one typed object.
 * Nothing else in the program reads process.env.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { parseDuration } from './duration';
import { checkUnique, parseTokenList, readTokensFile, TokenConfigProblem, type ApiToken } from './api-tokens';
import { isHostAllowed } from '../discovery/endpoint';

/** The validated configuration of one orchestrator process. */
export interface Config {
  port: number;
  host: string;
  scenariosDir: string;
  discoveryIntervalMs: number;
  resyncIntervalMs: number;
  /** ACTIVATION_LEASE: the lease sent with every activation and renewed while active (SPEC 12); null when off. */
  activationLeaseMs: number | null;
  /** TTL given to every activation, or null when disabled. */
  defaultTimeoutMs: number | null;
  /** BREAK_GLASS_MAX_TTL: the longest TTL a break-glass activation may ask for (SPEC 10). */
  breakGlassMaxTtlMs: number;
  enableCalendar: boolean;
  calendarUrl: string | null;
  /** How often the calendar feed is re-read. */
  calendarRefreshMs: number;
  /** iCalendar feed (file path or http URL on an allowed host) whose events are blackouts, or null. */
  blackoutCalendarUrl: string | null;
  dataDir: string;
  databaseUrl: string | null;
  portResolver: string | null;
  policyFile: string | null;
  /** Hosts the orchestrator may call; loopback unless told. */
  allowedHosts: string[];
  /** Hosts off the machine that health checks and notifiers may call (loopback always may). */
  allowedNotifyHosts: string[];
  /** Directory of shipped manifests (presets, policy). */
  manifestsDir: string;
  /** Time allowed for one call to a scenario. */
  actionTimeoutMs: number;
  /** Calls to scenarios in flight at once, across the fleet. */
  maxInFlight: number;
  /** Activity retention: age and count. */
  activityRetentionMs: number;
  activityRetentionEntries: number;
  /** API tokens with their roles (SPEC 8); empty means anonymous (loopback, or ALLOW_ANONYMOUS). */
  tokens: ApiToken[];
  /** ALLOW_ANONYMOUS: serve without tokens on a non-loopback address, knowingly. */
  allowAnonymous: boolean;
  /** ALLOWED_HOSTNAMES: Host header values accepted besides loopback and the bind address (`name` or `name:port`). */
  allowedHostnames: string[];
  /** RATE_LIMIT: changes per actor per window on mutating routes. */
  rateLimit: { limit: number; windowMs: number };
  /** MAX_EVENT_CLIENTS: live /events streams at once. */
  maxEventClients: number;
  /** MAX_REGISTRATIONS: live registrations at once. */
  maxRegistrations: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** The orchestrator's own scenario id, never listed or controlled. */
  selfId: string;
  /** Leader election (SPEC 9): this replica's name in the lease and its timings. */
  leader: LeaderElectionConfig;
}

/**
 * Timings of leader election, tighter than controller-runtime's 15/10/2 s so that a failover after kill -9
 * takes at most lease + retry (about 4.5 s). `renewDeadlineMs < leaseMs`: the leader stops before anyone
 * can acquire, and the difference absorbs one slow round trip.
 */
export interface LeaderElectionConfig {
  /** REPLICA_ID: the holder name in the lease, X-Maintenance-Leader; host:pid by default. */
  id: string;
  /** LEADER_LEASE: how long a lease lasts after its last renewal before another replica may take it. */
  leaseMs: number;
  /** LEADER_RENEW_DEADLINE: a leader that has not renewed within this stops calling scenarios. */
  renewDeadlineMs: number;
  /** LEADER_RETRY: how often a leader renews and a follower tries to acquire. */
  retryMs: number;
}

/** A bad setting: stops start-up with a message naming the variable. */
export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** Values from the command line, keyed by the environment variable they override. */
export type ConfigOverrides = Partial<Record<string, string | number | boolean | undefined>>;

/** Finds the package root (the folder with our package.json), from compiled or source files alike. */
export function packageRoot(): string {
  let dir = __dirname;
  while (dir !== path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate) && fs.existsSync(path.join(dir, 'manifests'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
}

/** The configuration of this process: its environment (the one read of process.env) under `overrides`, over `defaults`. */
export function loadProcessConfig(overrides: ConfigOverrides = {}, defaults: ConfigOverrides = {}): Config {
  return loadConfig(process.env, overrides, defaults);
}

/**
 * Reads and validates configuration from an environment and flag overrides; `defaults` stand in for
 * variables that neither sets (the demo's scenarios folder).
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: ConfigOverrides = {}, defaults: ConfigOverrides = {}): Config {
  const read = (name: string): string | undefined => {
    for (const value of [overrides[name], env[name], defaults[name]]) {
      if (value !== undefined && value !== '') return String(value);
    }
    return undefined;
  };
  const root = packageRoot();
  if (readBoolean(read, 'ENABLE_CALENDAR', false) && !read('CALENDAR_URL')) {
    throw new ConfigError('CALENDAR_URL', 'is required when ENABLE_CALENDAR is true: an .ics file path or an http URL on an allowed host');
  }
  const vrooliRoot = read('VROOLI_ROOT');
  const resyncIntervalMs = readDuration(read, 'RESYNC_INTERVAL', '15s', 's', 100);
  return {
    port: readPort(read, 'MAINTENANCE_PORT', 3250),
    host: read('MAINTENANCE_HOST') ?? '127.0.0.1',
    scenariosDir: path.resolve(read('SCENARIOS_DIR') ?? (vrooliRoot ? path.join(vrooliRoot, 'scenarios') : 'scenarios')),
    discoveryIntervalMs: readDuration(read, 'DISCOVERY_INTERVAL', '60s', 's', 1_000),
    resyncIntervalMs,
    activationLeaseMs: readActivationLease(read, resyncIntervalMs),
    defaultTimeoutMs: readOptionalDuration(read, 'DEFAULT_TIMEOUT', 'm'),
    breakGlassMaxTtlMs: readDuration(read, 'BREAK_GLASS_MAX_TTL', '4h', 'm', 1_000),
    enableCalendar: readBoolean(read, 'ENABLE_CALENDAR', false),
    calendarUrl: read('CALENDAR_URL') ?? null,
    calendarRefreshMs: readDuration(read, 'CALENDAR_REFRESH', '5m', 's', 1_000),
    blackoutCalendarUrl: readBlackoutCalendarUrl(read, readList(read, 'ALLOWED_SCENARIO_HOSTS', ['127.0.0.1', 'localhost', '::1'])),
    dataDir: path.resolve(read('DATA_DIR') ?? 'data'),
    databaseUrl: readDatabaseUrl(read),
    portResolver: read('PORT_RESOLVER') ?? null,
    policyFile: read('POLICY_FILE') ? path.resolve(read('POLICY_FILE') as string) : null,
    allowedHosts: readList(read, 'ALLOWED_SCENARIO_HOSTS', ['127.0.0.1', 'localhost', '::1']),
    allowedNotifyHosts: readList(read, 'ALLOWED_NOTIFY_HOSTS', []),
    manifestsDir: path.resolve(read('MANIFESTS_DIR') ?? path.join(root, 'manifests')),
    actionTimeoutMs: readDuration(read, 'ACTION_TIMEOUT', '5s', 's', 50),
    maxInFlight: readInteger(read, 'MAX_IN_FLIGHT', 256, 1, 100_000),
    activityRetentionMs: readDuration(read, 'ACTIVITY_RETENTION', '30d', 's', 60_000),
    activityRetentionEntries: readInteger(read, 'ACTIVITY_RETENTION_ENTRIES', 100_000, 100, 100_000_000),
    ...readAccess(read),
    logLevel: readEnum(read, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    selfId: read('SELF_ID') ?? 'maintenance-orchestrator',
    leader: readLeaderElection(read),
  };
}

/** LEADER_LEASE > LEADER_RENEW_DEADLINE > LEADER_RETRY, or the leader could be deposed while it still acts. */
function readLeaderElection(read: Reader): LeaderElectionConfig {
  const leaseMs = readDuration(read, 'LEADER_LEASE', '4s', 's', 200);
  const renewDeadlineMs = readDuration(read, 'LEADER_RENEW_DEADLINE', '3s', 's', 100);
  const retryMs = readDuration(read, 'LEADER_RETRY', '500ms', 's', 50);
  if (renewDeadlineMs >= leaseMs) throw new ConfigError('LEADER_RENEW_DEADLINE', `must be shorter than LEADER_LEASE (${leaseMs} ms), so a leader stops before its lease can be taken`);
  if (retryMs >= renewDeadlineMs) throw new ConfigError('LEADER_RETRY', `must be shorter than LEADER_RENEW_DEADLINE (${renewDeadlineMs} ms), so a leader renews before its deadline`);
  const id = read('REPLICA_ID') ?? `${os.hostname()}:${process.pid}`;
  if (!/^[\x21-\x7e]{1,200}$/.test(id)) throw new ConfigError('REPLICA_ID', `"${id}" must be 1 to 200 visible ASCII characters (it is sent as a header)`);
  return { id, leaseMs, renewDeadlineMs, retryMs };
}

type Reader = (name: string) => string | undefined;

function readPort(read: Reader, name: string, fallback: number): number {
  return readInteger(read, name, fallback, 0, 65_535);
}

function readInteger(read: Reader, name: string, fallback: number, min: number, max: number): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `"${raw}" must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function readDuration(read: Reader, name: string, fallback: string, plainUnit: 's' | 'm', minMs: number): number {
  const raw = read(name) ?? fallback;
  let ms: number;
  try {
    ms = parseDuration(raw, plainUnit);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
  if (ms < minMs) throw new ConfigError(name, `"${raw}" is too short: at least ${minMs} ms`);
  return ms;
}

function readOptionalDuration(read: Reader, name: string, plainUnit: 's' | 'm'): number | null {
  const raw = read(name);
  if (raw === undefined || ['0', 'off', 'disabled', 'false'].includes(raw.toLowerCase())) return null;
  return readDuration(read, name, raw, plainUnit, 1_000);
}

/** The protocol's bound on `leaseSeconds` (docs/protocol.md): a scenario refuses a longer lease with 400. */
const MAX_LEASE_MS = 604_800_000;

/**
 * ACTIVATION_LEASE: `0` (or off) turns leases off; unset, three resync intervals, so a lease outlives two
 * missed renewals' worth of resyncs. Whole milliseconds, at least 1 s and at most the protocol's 7 days.
 */
function readActivationLease(read: Reader, resyncIntervalMs: number): number | null {
  const raw = read('ACTIVATION_LEASE');
  if (raw === undefined) return Math.min(3 * resyncIntervalMs, MAX_LEASE_MS);
  if (['0', 'off', 'disabled', 'false'].includes(raw.trim().toLowerCase())) return null;
  const ms = readDuration(read, 'ACTIVATION_LEASE', raw, 's', 1_000);
  if (ms > MAX_LEASE_MS) throw new ConfigError('ACTIVATION_LEASE', `"${raw}" is too long: at most 7d (the protocol's bound on leaseSeconds)`);
  return ms;
}

function readBoolean(read: Reader, name: string, fallback: boolean): boolean {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const text = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(name, `"${raw}" must be true or false`);
}

function readEnum<T extends string>(read: Reader, name: string, values: readonly T[], fallback: T): T {
  const raw = read(name);
  if (raw === undefined) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(name, `"${raw}" must be one of ${values.join(', ')}`);
  return raw as T;
}

function readList(read: Reader, name: string, fallback: string[]): string[] {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const items = raw.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new ConfigError(name, 'must list at least one host');
  return items;
}

/**
 * DATABASE_URL selects the PostgreSQL store (src/store/open-store.ts `openStore`); unset, the embedded SQLite
 * store in DATA_DIR. Any other scheme is refused rather than ignored, so nobody believes two orchestrators
 * share state when they do not. Whether the database answers is checked when the store opens.
 */
function readDatabaseUrl(read: Reader): string | null {
  const raw = read('DATABASE_URL');
  if (raw === undefined) return null;
  if (!/^(postgres|postgresql):\/\//.test(raw)) throw new ConfigError('DATABASE_URL', `"${raw}" must start with postgres:// or postgresql://`);
  return raw;
}

/** Refusal to serve anonymously off loopback (SPEC 8): not a bad value, so it exits 1 rather than 2. */
export class AnonymousExposureRefused extends Error {
  constructor(host: string) {
    super(
      `MAINTENANCE_HOST=${host} is not a loopback address and no MAINTENANCE_TOKENS (or TOKENS_FILE) is set: anyone who can reach ` +
        'the port could stop-all, resume or register. Set MAINTENANCE_TOKENS, bind 127.0.0.1, or set ALLOW_ANONYMOUS=true to accept it.',
    );
    this.name = 'AnonymousExposureRefused';
  }
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** Tokens, anonymous mode, Host names, rate limit and caps: the security settings of SPEC 8. */
function readAccess(read: Reader): Pick<Config, 'tokens' | 'allowAnonymous' | 'allowedHostnames' | 'rateLimit' | 'maxEventClients' | 'maxRegistrations'> {
  let tokens: ApiToken[];
  try {
    const file = read('TOKENS_FILE');
    tokens = [...parseTokenList(read('MAINTENANCE_TOKENS') ?? ''), ...(file ? readTokensFile(path.resolve(file)) : [])];
    checkUnique(tokens);
  } catch (error) {
    if (error instanceof TokenConfigProblem) throw new ConfigError(error.variable, error.message);
    throw error;
  }
  const allowAnonymous = readBoolean(read, 'ALLOW_ANONYMOUS', false);
  const host = read('MAINTENANCE_HOST') ?? '127.0.0.1';
  if (tokens.length === 0 && !allowAnonymous && !isLoopbackHost(host)) throw new AnonymousExposureRefused(host);
  const hostnames = read('ALLOWED_HOSTNAMES') === undefined ? [] : readList(read, 'ALLOWED_HOSTNAMES', []);
  return {
    tokens,
    allowAnonymous,
    allowedHostnames: hostnames.map((name) => name.toLowerCase()),
    rateLimit: readRate(read, 'RATE_LIMIT', '120/min'),
    maxEventClients: readInteger(read, 'MAX_EVENT_CLIENTS', 200, 1, 100_000),
    maxRegistrations: readInteger(read, 'MAX_REGISTRATIONS', 1_000, 1, 1_000_000),
  };
}

const RATE_UNITS: Record<string, number> = { s: 1_000, sec: 1_000, second: 1_000, m: 60_000, min: 60_000, minute: 60_000, h: 3_600_000, hour: 3_600_000 };

/** `120/min`, `10/s`, `5000/h`, or a plain number (per minute). */
function readRate(read: Reader, name: string, fallback: string): { limit: number; windowMs: number } {
  const raw = read(name) ?? fallback;
  const match = /^(\d+)\s*(?:\/\s*([a-z]+))?$/i.exec(raw.trim());
  const windowMs = match ? RATE_UNITS[(match[2] ?? 'min').toLowerCase()] : undefined;
  const limit = match ? Number(match[1]) : NaN;
  if (!windowMs || !Number.isInteger(limit) || limit < 1 || limit > 1_000_000) {
    throw new ConfigError(name, `"${raw}" must be a count per s, min or h, such as 120/min (1 to 1000000)`);
  }
  return { limit, windowMs };
}

/** BLACKOUT_CALENDAR_URL: an http(s) URL on an allowed host, or a readable file (made absolute). */
function readBlackoutCalendarUrl(read: Reader, allowedHosts: readonly string[]): string | null {
  const raw = read('BLACKOUT_CALENDAR_URL');
  if (raw === undefined) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    if (!/^https?:\/\//i.test(raw)) throw new ConfigError('BLACKOUT_CALENDAR_URL', `"${raw}" must be an http(s) URL or a file path`);
    if (!isHostAllowed(raw, allowedHosts)) throw new ConfigError('BLACKOUT_CALENDAR_URL', `host of "${raw}" is not in ALLOWED_SCENARIO_HOSTS (${allowedHosts.join(', ')})`);
    return raw;
  }
  const file = path.resolve(raw);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch {
    throw new ConfigError('BLACKOUT_CALENDAR_URL', `file "${file}" does not exist or cannot be read`);
  }
  return file;
}
