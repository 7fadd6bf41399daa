import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSpecs, requestJson, tempFleetDir } from '../../test/support/fleet';
import { type Fleet, startFleet } from './fleet';
import { mergePatch, readFleetDir } from './fleet-dir';

const STATE = '/api/maintenance/state';
let fleet: Fleet | undefined;

/** The parts of a written service.json these tests look at. */
interface ServiceDoc {
  service: { name: string; displayName: string; tags: string[] };
  ports: { api: { port: number } };
  maintenance: Record<string, unknown>;
  tags?: string[];
}
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await fleet?.stop();
  fleet = undefined;
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

describe('startFleet', () => {
  it('starts 500 scenarios on distinct ports, each answering, and stops them all', async () => {
    fleet = await startFleet(demoSpecs(500));
    const ports = new Set(fleet.scenarios.map((scenario) => scenario.port));
    expect(ports.size).toBe(500);
    const sample = [fleet.scenarios[0], fleet.scenarios[250], fleet.scenarios[499]];
    for (const scenario of sample) {
      expect((await requestJson(scenario.url + STATE)).body).toMatchObject({ maintenanceState: 'inactive' });
    }
    await fleet.stop();
    await expect(fetch(sample[1].url + STATE)).rejects.toThrow();
    await fleet.stop(); // idempotent
  });

  it('exposes state, stats, delay and down per scenario', async () => {
    fleet = await startFleet(demoSpecs(3));
    const [a, b] = fleet.scenarios;
    await requestJson(a.url + STATE, { state: 'active' });
    expect(fleet.stateOf(a.id)).toBe('active');
    expect(fleet.stats(a.id)).toMatchObject({ posts: 1, state: 'active' });

    fleet.setDelay(b.id, 120);
    const began = Date.now();
    await requestJson(b.url + STATE);
    expect(Date.now() - began).toBeGreaterThanOrEqual(110);

    await fleet.setDown(a.id, true);
    await expect(fetch(a.url + STATE)).rejects.toThrow();
    await fleet.setDown(a.id, false);
    expect((await requestJson(a.url + STATE)).body).toMatchObject({ maintenanceState: 'active' });

    fleet.configure(b.id, { state: 'active' });
    expect(fleet.stateOf(b.id)).toBe('active');
    expect(() => fleet?.stateOf('nope')).toThrow(/no scenario "nope"/);
  });

  it('refuses duplicate ids', async () => {
    await expect(startFleet([{ id: 'a' }, { id: 'a' }])).rejects.toThrow(/duplicate/);
  });

  it('names the scenario whose port is taken and closes the ones already started', async () => {
    const probe = await startFleet(demoSpecs(1));
    const free = probe.scenarios[0];
    await probe.stop();
    fleet = await startFleet(demoSpecs(1));
    const taken = fleet.scenarios[0].port;
    const clash = startFleet([{ id: 'free', port: free.port }, { id: 'clash', port: taken }], { concurrency: 1 });
    await expect(clash).rejects.toThrow(/scenario "clash" could not start/);
    await expect(fetch(free.url + STATE)).rejects.toThrow();
  });

  it('assigns basePort + index when asked', async () => {
    // Below Linux's ephemeral range, so client sockets in TIME_WAIT cannot hold the ports; another
    // process still might, hence a few random tries rather than a flaky fixed base.
    for (let attempt = 0; fleet === undefined && attempt < 5; attempt += 1) {
      const base = 20_000 + Math.floor(Math.random() * 10_000);
      fleet = await startFleet(demoSpecs(2), { basePort: base }).catch(() => undefined);
      if (fleet) expect(fleet.scenarios.map((scenario) => scenario.port)).toEqual([base, base + 1]);
    }
    expect(fleet).toBeDefined();
  });
});

describe('writeFleetDir', () => {
  it('writes real-shaped service.json files that discovery can read', async () => {
    fleet = await startFleet([
      { id: 'vacuum', service: { displayName: 'Vacuum', tags: ['database'], weight: 'heavy', conflictsWith: ['backup'] } },
      { id: 'rotation', service: { tags: ['logs'], resourceUsage: { cpu: 'low', memory: 'high' } } },
      { id: 'legacy', legacyOnly: true },
      { id: 'custom', stateEndpoint: '/custom/state' },
    ]);
    const { dir, cleanup } = await tempFleetDir(fleet, { others: { 'not-maintenance': { service: { name: 'x', tags: ['ui'] } } } });
    cleanups.push(cleanup);
    const read = async (id: string): Promise<ServiceDoc> => JSON.parse(await readFile(join(dir, id, '.vrooli', 'service.json'), 'utf8'));

    const vacuum = await read('vacuum');
    expect(vacuum.service).toMatchObject({ name: 'vacuum', displayName: 'Vacuum', tags: ['maintenance', 'database'] });
    expect(vacuum.ports.api.port).toBe(fleet.scenarios[0].port);
    expect(vacuum.maintenance).toEqual({ canDeactivate: true, defaultState: 'inactive', weight: 'heavy', conflictsWith: ['backup'] });
    expect((await read('rotation')).maintenance).toMatchObject({ resourceUsage: { cpu: 'low', memory: 'high' } });
    expect((await read('rotation')).service.displayName).toBe('Rotation');
    expect((await read('legacy')).maintenance).not.toHaveProperty('stateEndpoint');
    expect((await read('custom')).maintenance.stateEndpoint).toBe('/custom/state');

    const { specs, skipped } = await readFleetDir(dir);
    expect(specs.map((spec) => spec.id)).toEqual(['custom', 'legacy', 'rotation', 'vacuum']);
    expect(skipped).toEqual([{ id: 'not-maintenance', reason: 'not tagged "maintenance"' }]);
  });

  it('applies a merge patch per scenario, null deleting keys', async () => {
    fleet = await startFleet(demoSpecs(1));
    const id = fleet.scenarios[0].id;
    const { dir, cleanup } = await tempFleetDir(fleet, { patch: { [id]: { ports: null, tags: ['maintenance'] } } });
    cleanups.push(cleanup);
    const doc: ServiceDoc = JSON.parse(await readFile(join(dir, id, '.vrooli', 'service.json'), 'utf8'));
    expect(doc).not.toHaveProperty('ports');
    expect(doc.tags).toEqual(['maintenance']);
    expect((await readFleetDir(dir)).skipped[0].reason).toMatch(/no fixed API port/);
  });
});

describe('mergePatch', () => {
  it.each([
    [{ a: 1, b: { c: 2, d: 3 } }, { b: { c: null, e: 4 } }, { a: 1, b: { d: 3, e: 4 } }],
    [{ a: [1, 2] }, { a: [3] }, { a: [3] }],
    [{ a: 1 }, 'x', 'x'],
    ['x', { a: 1 }, { a: 1 }],
  ])('merges %j with %j', (target, patch, expected) => {
    expect(mergePatch(target, patch)).toEqual(expected);
  });
});
