import { join } from 'node:path';
import { demoSpecs, requestJson, tempFleetDir } from '../../test/support/fleet';
import { type Fleet, startFleet } from './fleet';
import { readFleetDir } from './fleet-dir';
import { describeFleet, parseDemoArgs, startFleetFromDir } from './main';

const COMMITTED_FLEET = join(__dirname, '..', 'fleet');
const STATE = '/api/maintenance/state';

describe('the committed demo fleet (examples/fleet)', () => {
  const expected: Record<string, { tags: string[]; heavy: boolean }> = {
    'code-smell': { tags: ['quality', 'analysis'], heavy: false },
    'security-scanner': { tags: ['security'], heavy: false },
    'dependency-audit': { tags: ['security', 'dependencies'], heavy: false },
    'performance-monitor': { tags: ['performance', 'monitoring'], heavy: false },
    'cache-optimizer': { tags: ['performance', 'cache'], heavy: false },
    'query-analyzer': { tags: ['performance', 'database'], heavy: false },
    'database-vacuum': { tags: ['database', 'vacuum'], heavy: true },
    'backup-manager': { tags: ['backup'], heavy: true },
    'log-rotation': { tags: ['logs', 'rotation'], heavy: true },
    'health-checker': { tags: ['essential', 'health'], heavy: false },
    'log-cleanup': { tags: ['essential', 'logs', 'cleanup'], heavy: false },
  };

  it('has exactly the 11 scenarios, tagged maintenance, on unique ports from 3261', async () => {
    const { specs, skipped } = await readFleetDir(COMMITTED_FLEET);
    expect(skipped).toEqual([]);
    expect(specs.map((spec) => spec.id).sort()).toEqual(Object.keys(expected).sort());
    const ports = specs.map((spec) => spec.port ?? 0).sort((a, b) => a - b);
    expect(new Set(ports).size).toBe(11);
    expect(ports).toEqual(Array.from({ length: 11 }, (_, i) => 3261 + i));
    for (const spec of specs) {
      const want = expected[spec.id];
      expect(spec.service?.tags).toEqual(want.tags);
      expect(spec.service?.displayName).toEqual(expect.any(String));
      expect(spec.service?.description?.length).toBeGreaterThan(20);
      const heavy = spec.service?.weight === 'heavy' || Object.values(spec.service?.resourceUsage ?? {}).includes('high');
      expect({ id: spec.id, heavy }).toEqual({ id: spec.id, heavy: want.heavy });
    }
  });

  it('declares the vacuum/backup conflict and the resourceUsage form on log-rotation', async () => {
    const { specs } = await readFleetDir(COMMITTED_FLEET);
    const byId = new Map(specs.map((spec) => [spec.id, spec.service]));
    expect(byId.get('database-vacuum')?.conflictsWith).toEqual(['backup-manager']);
    expect(byId.get('log-rotation')).toMatchObject({ resourceUsage: { cpu: 'low', memory: 'high' } });
    expect(byId.get('log-rotation')?.weight).toBeUndefined();
  });
});

describe('startFleetFromDir', () => {
  let fleet: Fleet | undefined;
  afterEach(async () => fleet?.stop());

  it('serves each scenario of a directory on its declared port, with overrides', async () => {
    // Borrow free ports from a throwaway fleet, then serve a directory that declares them.
    const probe = await startFleet(demoSpecs(3));
    const { dir, cleanup } = await tempFleetDir(probe);
    await probe.stop();
    try {
      fleet = await startFleetFromDir(dir, { down: ['demo-0002'], failRate: 1, perScenario: { 'demo-0003': { legacyOnly: true } } });
      expect(fleet.scenarios.map((s) => s.port)).toEqual(probe.scenarios.map((s) => s.port));
      const [one, two, three] = fleet.scenarios;
      expect((await requestJson(one.url + STATE, { state: 'active' })).status).toBe(500);
      await expect(fetch(two.url + STATE)).rejects.toThrow();
      expect((await requestJson(three.url + STATE)).status).toBe(404);
      expect(describeFleet(fleet)[1]).toMatch(/^demo-0002 +http:\/\/127\.0\.0\.1:\d+\/api\/maintenance\/state +DOWN$/);
    } finally {
      await cleanup();
    }
  });

  it('refuses override ids that are not in the directory', async () => {
    await expect(startFleetFromDir(COMMITTED_FLEET, { down: ['typo'] })).rejects.toThrow(/unknown scenario id\(s\).*typo/);
  });
});

describe('parseDemoArgs', () => {
  it('reads every flag', () => {
    const args = parseDemoArgs(['--fleet', 'x', '--delay-ms', '25', '--fail-rate', '0.2', '--down', 'a, b', '--initial-state', 'active', '--silent']);
    expect(args).toEqual({
      fleetDir: expect.stringMatching(/[/\\]x$/),
      overrides: { delayMs: 25, failRate: 0.2, down: ['a', 'b'], initialState: 'active', silent: true },
    });
  });

  it.each([
    [['--fail-rate', '2']],
    [['--delay-ms', 'soon']],
    [['--initial-state', 'on']],
    [['--unknown']],
  ])('refuses %j', (argv) => {
    expect(() => parseDemoArgs(argv)).toThrow();
  });

  it('answers help', () => {
    expect(parseDemoArgs(['--help'])).toBe('help');
  });
});
