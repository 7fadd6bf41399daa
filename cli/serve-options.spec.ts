import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config';
import { flagForVariable, serveOverrides, SERVE_FLAG_ENV } from './serve-options';

describe('serveOverrides', () => {
  it('maps each given flag to its variable and leaves the others to the environment', () => {
    expect(serveOverrides({ port: '3300', 'scenarios-dir': '/tmp/s', policy: 'p.yaml', 'enable-calendar': false })).toEqual({
      MAINTENANCE_PORT: '3300',
      SCENARIOS_DIR: '/tmp/s',
      POLICY_FILE: 'p.yaml',
      ENABLE_CALENDAR: 'false',
    });
    expect(serveOverrides({})).toEqual({});
  });

  it('covers every variable SPEC 6 names', () => {
    const variables = Object.values(SERVE_FLAG_ENV) as string[];
    for (const name of ['MAINTENANCE_PORT', 'MAINTENANCE_HOST', 'DISCOVERY_INTERVAL', 'RESYNC_INTERVAL', 'DEFAULT_TIMEOUT', 'DATA_DIR', 'DATABASE_URL', 'SCENARIOS_DIR', 'PORT_RESOLVER', 'POLICY_FILE']) {
      expect(variables).toContain(name);
    }
    expect(flagForVariable('ENABLE_CALENDAR')).toBe('--enable-calendar');
  });

  it('produces overrides the server configuration reads (flags win over the environment)', () => {
    const config = loadConfig({ MAINTENANCE_PORT: '4000', DISCOVERY_INTERVAL: '10s' }, serveOverrides({ port: '4100', 'default-timeout': '90', 'enable-calendar': true, 'calendar-url': '/tmp/windows.ics' }));
    expect(config.port).toBe(4100);
    expect(config.discoveryIntervalMs).toBe(10_000);
    expect(config.defaultTimeoutMs).toBe(90 * 60_000);
    expect(config.enableCalendar).toBe(true);
  });

  it('has a flag for every variable config.ts reads (tokens excepted: secrets stay off command lines)', () => {
    const source = readFileSync(join(__dirname, '..', 'src', 'config', 'config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/\(read, '([A-Z_]+)'|read\('([A-Z_]+)'\)/g)].map((match) => match[1] ?? match[2]));
    read.delete('MAINTENANCE_TOKENS');
    expect([...read].filter((variable) => flagForVariable(variable) === null)).toEqual([]);
  });

  it('names the flag of a variable for configuration errors', () => {
    expect(flagForVariable('MAINTENANCE_PORT')).toBe('--port');
    expect(flagForVariable('POLICY_FILE')).toBe('--policy');
    expect(flagForVariable('MAINTENANCE_TOKENS')).toBeNull();
  });
});
