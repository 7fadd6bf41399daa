import { ConfigError, loadConfig, loadProcessConfig } from './config';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['45', 45_000],
    [' 2h ', 7_200_000],
  ])('%s -> %i ms', (input, ms) => expect(parseDuration(input)).toBe(ms));

  it('reads a plain number in minutes when told', () => expect(parseDuration('30', 'm')).toBe(1_800_000));
  it.each(['', '2x', 'h', '-5', '1h-2m'])('refuses %j', (input) => expect(() => parseDuration(input)).toThrow(/is not a duration/));
  it('formats compactly', () => expect(formatDuration(5_400_000)).toBe('1h30m'));
});

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3250, host: '127.0.0.1', discoveryIntervalMs: 60_000, resyncIntervalMs: 15_000, defaultTimeoutMs: null, enableCalendar: false, databaseUrl: null });
    expect(config.allowedHosts).toEqual(['127.0.0.1', 'localhost', '::1']);
  });

  it('reads the environment, and flags override it', () => {
    const config = loadConfig({ MAINTENANCE_PORT: '4000', DEFAULT_TIMEOUT: '30', DISCOVERY_INTERVAL: '2m' }, { MAINTENANCE_PORT: 4100 });
    expect(config).toMatchObject({ port: 4100, defaultTimeoutMs: 1_800_000, discoveryIntervalMs: 120_000 });
  });

  it('takes a default only where neither a flag nor the environment sets the variable', () => {
    const demo = { SCENARIOS_DIR: '/srv/demo-fleet' };
    expect(loadConfig({ VROOLI_ROOT: '/opt/vrooli' }, {}, demo).scenariosDir).toBe('/srv/demo-fleet');
    expect(loadConfig({ SCENARIOS_DIR: '/srv/env' }, {}, demo).scenariosDir).toBe('/srv/env');
    expect(loadConfig({ SCENARIOS_DIR: '/srv/env' }, { SCENARIOS_DIR: '/srv/flag' }, demo).scenariosDir).toBe('/srv/flag');
  });

  it("reads this process's environment through loadProcessConfig", () => {
    const saved = process.env.MAX_IN_FLIGHT;
    process.env.MAX_IN_FLIGHT = '17';
    try {
      expect(loadProcessConfig().maxInFlight).toBe(17);
      expect(loadProcessConfig({ MAX_IN_FLIGHT: 18 }).maxInFlight).toBe(18);
    } finally {
      if (saved === undefined) delete process.env.MAX_IN_FLIGHT;
      else process.env.MAX_IN_FLIGHT = saved;
    }
  });

  it('takes a postgres:// or postgresql:// DATABASE_URL as the choice of the PostgreSQL store', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://orchestrator@db.internal:5432/maintenance' }).databaseUrl).toBe('postgres://orchestrator@db.internal:5432/maintenance');
    expect(loadConfig({ DATABASE_URL: 'postgresql://127.0.0.1/test' }).databaseUrl).toBe('postgresql://127.0.0.1/test');
  });

  it('sends a lease of three resync intervals unless ACTIVATION_LEASE says otherwise; 0 turns it off', () => {
    expect(loadConfig({}).activationLeaseMs).toBe(45_000);
    expect(loadConfig({ RESYNC_INTERVAL: '2s' }).activationLeaseMs).toBe(6_000);
    expect(loadConfig({ ACTIVATION_LEASE: '90' }).activationLeaseMs).toBe(90_000);
    expect(loadConfig({ ACTIVATION_LEASE: '2m' }).activationLeaseMs).toBe(120_000);
    expect(loadConfig({ ACTIVATION_LEASE: '0' }).activationLeaseMs).toBeNull();
    expect(loadConfig({ ACTIVATION_LEASE: 'off' }).activationLeaseMs).toBeNull();
  });

  it('reads leader election timings (tighter than controller-runtime by default) and the replica id', () => {
    expect(loadConfig({}).leader).toEqual({ id: expect.stringContaining(':'), leaseMs: 4_000, renewDeadlineMs: 3_000, retryMs: 500 });
    expect(loadConfig({ REPLICA_ID: 'orch-a', LEADER_LEASE: '15s', LEADER_RENEW_DEADLINE: '10s', LEADER_RETRY: '2s' }).leader).toEqual({ id: 'orch-a', leaseMs: 15_000, renewDeadlineMs: 10_000, retryMs: 2_000 });
  });

  it.each([
    [{ LEADER_LEASE: '3s', LEADER_RENEW_DEADLINE: '3s' }, /LEADER_RENEW_DEADLINE: must be shorter than LEADER_LEASE/],
    [{ LEADER_RENEW_DEADLINE: '1s', LEADER_RETRY: '1s' }, /LEADER_RETRY: must be shorter than LEADER_RENEW_DEADLINE/],
    [{ LEADER_LEASE: 'soon' }, /LEADER_LEASE: /],
    [{ REPLICA_ID: 'two words' }, /REPLICA_ID: .* visible ASCII/],
  ])('refuses leader settings that could give two leaders or a bad header: %p', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('derives the scenarios dir from VROOLI_ROOT', () => {
    expect(loadConfig({ VROOLI_ROOT: '/opt/vrooli' }).scenariosDir).toBe('/opt/vrooli/scenarios');
  });

  it.each([
    [{ MAINTENANCE_PORT: 'abc' }, /^MAINTENANCE_PORT: "abc" must be a whole number/],
    [{ DISCOVERY_INTERVAL: 'soon' }, /^DISCOVERY_INTERVAL: "soon" is not a duration/],
    [{ ENABLE_CALENDAR: 'maybe' }, /^ENABLE_CALENDAR: "maybe" must be true or false/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: .* must start with postgres/],
    [{ MAINTENANCE_TOKENS: 'nocolon' }, /^MAINTENANCE_TOKENS: "nocolon" must be name:secret/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL: "loud" must be one of/],
    [{ ACTIVATION_LEASE: 'soon' }, /^ACTIVATION_LEASE: "soon" is not a duration/],
    [{ ACTIVATION_LEASE: '500ms' }, /^ACTIVATION_LEASE: "500ms" is too short/],
    [{ ACTIVATION_LEASE: '8d' }, /^ACTIVATION_LEASE: "8d" is too long/],
  ])('names the variable of a bad value %j', (env, pattern) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(pattern);
  });
});
