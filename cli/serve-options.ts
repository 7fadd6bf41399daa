/**
 * `serve` flags and the configuration variables they stand for (SPEC 6, src/config/config.ts). The flags
 * become the `overrides` of loadConfig, keyed by variable, so the server validates flags and environment
 * alike and names the variable in its messages. Pure.
 */

/** Each string-valued serve flag and its environment variable. MAINTENANCE_TOKENS has no flag: secrets on a command line end up in `ps` and shell history. */
export const SERVE_FLAG_ENV = {
  port: 'MAINTENANCE_PORT',
  host: 'MAINTENANCE_HOST',
  'scenarios-dir': 'SCENARIOS_DIR',
  'vrooli-root': 'VROOLI_ROOT',
  'discovery-interval': 'DISCOVERY_INTERVAL',
  'resync-interval': 'RESYNC_INTERVAL',
  'activation-lease': 'ACTIVATION_LEASE',
  'default-timeout': 'DEFAULT_TIMEOUT',
  'break-glass-max-ttl': 'BREAK_GLASS_MAX_TTL',
  'calendar-url': 'CALENDAR_URL',
  'calendar-refresh': 'CALENDAR_REFRESH',
  'blackout-calendar-url': 'BLACKOUT_CALENDAR_URL',
  'data-dir': 'DATA_DIR',
  'database-url': 'DATABASE_URL',
  'port-resolver': 'PORT_RESOLVER',
  policy: 'POLICY_FILE',
  'allowed-hosts': 'ALLOWED_SCENARIO_HOSTS',
  'allowed-notify-hosts': 'ALLOWED_NOTIFY_HOSTS',
  'manifests-dir': 'MANIFESTS_DIR',
  'action-timeout': 'ACTION_TIMEOUT',
  'max-in-flight': 'MAX_IN_FLIGHT',
  'activity-retention': 'ACTIVITY_RETENTION',
  'activity-retention-entries': 'ACTIVITY_RETENTION_ENTRIES',
  'log-level': 'LOG_LEVEL',
  'self-id': 'SELF_ID',
  'tokens-file': 'TOKENS_FILE',
  'allowed-hostnames': 'ALLOWED_HOSTNAMES',
  'rate-limit': 'RATE_LIMIT',
  'max-event-clients': 'MAX_EVENT_CLIENTS',
  'max-registrations': 'MAX_REGISTRATIONS',
  'replica-id': 'REPLICA_ID',
  'leader-lease': 'LEADER_LEASE',
  'leader-renew-deadline': 'LEADER_RENEW_DEADLINE',
  'leader-retry': 'LEADER_RETRY',
} as const;

/** Boolean serve flags and their variables (`--enable-calendar` / `--no-enable-calendar`). */
export const SERVE_BOOLEAN_FLAG_ENV = {
  'enable-calendar': 'ENABLE_CALENDAR',
  'allow-anonymous': 'ALLOW_ANONYMOUS',
} as const;

/** A string-valued serve flag name. */
export type ServeStringFlag = keyof typeof SERVE_FLAG_ENV;
/** A boolean serve flag name. */
export type ServeBooleanFlag = keyof typeof SERVE_BOOLEAN_FLAG_ENV;

/** The parsed serve flags this module reads. */
export type ServeFlagValues = Partial<Record<ServeStringFlag, string>> & Partial<Record<ServeBooleanFlag, boolean>>;

/** Overrides for loadConfig: only flags the user gave, so unset ones fall back to the environment. */
export function serveOverrides(flags: ServeFlagValues): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [flag, variable] of Object.entries(SERVE_FLAG_ENV) as [ServeStringFlag, string][]) {
    const value = flags[flag];
    if (value !== undefined) overrides[variable] = value;
  }
  for (const [flag, variable] of Object.entries(SERVE_BOOLEAN_FLAG_ENV) as [ServeBooleanFlag, string][]) {
    const value = flags[flag];
    if (value !== undefined) overrides[variable] = value ? 'true' : 'false';
  }
  return overrides;
}

/** The flag that sets a variable, for configuration errors (`--port (MAINTENANCE_PORT)`). */
export function flagForVariable(variable: string): string | null {
  const all: Record<string, string> = { ...SERVE_FLAG_ENV, ...SERVE_BOOLEAN_FLAG_ENV };
  const flag = Object.keys(all).find((name) => all[name] === variable);
  return flag ? `--${flag}` : null;
}
