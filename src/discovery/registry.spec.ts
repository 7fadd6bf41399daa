import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeStandIn } from '../../test/support/stand-in-resolver';
import type { ActivityInput, ActivitySink } from '../activity/activity';
import type { PortResolverRunner } from './endpoint';
import type { RegistrationInput } from './registration';
import { ScenarioRegistry, type RegistryChange } from './registry';

const HEAD = path.resolve(__dirname, '../../test/fixtures/vrooli/vrooli-scenarios-head');
const COPIED = ['app-monitor', 'calendar', 'data-backup-manager', 'maintenance-orchestrator'];
const NO_CHANGE: RegistryChange = { added: [], updated: [], gone: [] };

/** An activity sink that keeps what it was given. */
class MemorySink implements ActivitySink {
  readonly entries: ActivityInput[] = [];
  record(input: ActivityInput): void {
    this.entries.push(input);
  }
  messages(): string[] {
    return this.entries.map((entry) => entry.message);
  }
}

interface Harness {
  root: string;
  sink: MemorySink;
  registry: ScenarioRegistry;
  changes: RegistryChange[];
  advance: (ms: number) => void;
  editService: (id: string, edit: (body: Record<string, unknown>) => void) => void;
}

const harnesses: Harness[] = [];
afterEach(() => {
  for (const harness of harnesses.splice(0)) {
    harness.registry.stop();
    fs.rmSync(harness.root, { recursive: true, force: true });
  }
});

/** A scenarios root with four real scenarios, a registry over it with a manual clock, and a change recorder. */
function harness(options: { portResolver?: string; runResolver?: PortResolverRunner } = {}): Harness {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-registry-'));
  for (const id of COPIED) fs.cpSync(path.join(HEAD, id), path.join(root, id), { recursive: true });
  let now = 1_700_000_000_000;
  const sink = new MemorySink();
  const registry = new ScenarioRegistry({ scenariosDir: root, selfId: 'maintenance-orchestrator', now: () => now, ...options }, sink);
  const changes: RegistryChange[] = [];
  registry.onChange((change) => changes.push(change));
  const file = (id: string): string => path.join(root, id, '.vrooli', 'service.json');
  const editService = (id: string, edit: (body: Record<string, unknown>) => void): void => {
    const body = JSON.parse(fs.readFileSync(file(id), 'utf8')) as Record<string, unknown>;
    edit(body);
    fs.writeFileSync(file(id), JSON.stringify(body));
  };
  const made = { root, sink, registry, changes, advance: (ms: number) => void (now += ms), editService };
  harnesses.push(made);
  return made;
}

const registration = (id: string, extra: Partial<RegistrationInput> = {}): RegistrationInput => ({
  id,
  endpoint: 'http://127.0.0.1:5555',
  ttlSeconds: 30,
  ...extra,
});

function nextChange(registry: ScenarioRegistry): Promise<RegistryChange> {
  return new Promise((resolve) => {
    const off = registry.onChange((change) => {
      off();
      resolve(change);
    });
  });
}

describe('ScenarioRegistry: rescans', () => {
  it('adds what the first scan finds and records it', async () => {
    const { registry, sink } = harness();
    await expect(registry.rescan()).resolves.toEqual({ added: ['app-monitor', 'data-backup-manager'], updated: [], gone: [] });
    expect(registry.list().map((spec) => spec.id)).toEqual(['app-monitor', 'data-backup-manager']);
    expect(sink.messages()).toEqual(
      expect.arrayContaining([
        'Discovered scenario data-backup-manager at http://127.0.0.1:15010 (from port)',
        expect.stringMatching(/^Discovered scenario app-monitor; NoEndpoint: no endpoint: /),
        'Scanned 4 candidate folders: 2 maintenance scenarios, skipped 1 NotTagged, 1 Self',
      ]),
    );
    expect(sink.entries.every((entry) => entry.category === 'discovery')).toBe(true);
  });

  it('reports nothing and records nothing when nothing changed', async () => {
    const { registry, sink, changes } = harness();
    await registry.rescan();
    const recorded = sink.entries.length;
    await expect(registry.rescan()).resolves.toEqual(NO_CHANGE);
    expect(changes).toHaveLength(1);
    expect(sink.entries).toHaveLength(recorded);
  });

  it('replaces a changed spec after a file change', async () => {
    const { registry, editService, sink } = harness();
    await registry.rescan();
    editService('data-backup-manager', (body) => {
      body.ports = { api: { port: 15011 } };
      body.maintenance = { weight: 'heavy', conflictsWith: ['app-monitor'] };
    });
    await expect(registry.rescan()).resolves.toEqual({ added: [], updated: ['data-backup-manager'], gone: [] });
    expect(registry.get('data-backup-manager')).toMatchObject({ endpoint: 'http://127.0.0.1:15011', weight: 'heavy', conflictsWith: ['app-monitor'] });
    expect(sink.messages()).toContain('Scenario data-backup-manager changed (weight, conflictsWith, endpoint) at http://127.0.0.1:15011 (from port)');
  });

  it('marks a vanished scenario Gone, keeps it listed, and drops it only on forget', async () => {
    const { registry, root, editService } = harness();
    await registry.rescan();
    fs.rmSync(path.join(root, 'app-monitor'), { recursive: true });
    await expect(registry.rescan()).resolves.toEqual({ added: [], updated: [], gone: ['app-monitor'] });
    expect(registry.isGone('app-monitor')).toBe(true);
    expect(registry.gone).toEqual(['app-monitor']);
    expect(registry.get('app-monitor')).toMatchObject({ id: 'app-monitor', displayName: 'App Monitor' });

    editService('data-backup-manager', (body) => void (body.maintenance = { weight: 'heavy' }));
    await expect(registry.rescan()).resolves.toEqual({ added: [], updated: ['data-backup-manager'], gone: [] });
    expect(registry.gone).toEqual(['app-monitor']);

    expect(registry.forget('app-monitor')).toBe(true);
    expect(registry.forget('app-monitor')).toBe(false);
    expect(registry.forget('data-backup-manager')).toBe(false);
    expect(registry.list().map((spec) => spec.id)).toEqual(['data-backup-manager']);
  });

  it('treats a Gone scenario that comes back as added again', async () => {
    const { registry, root } = harness();
    await registry.rescan();
    fs.renameSync(path.join(root, 'app-monitor'), path.join(root, '.parked'));
    await registry.rescan();
    fs.renameSync(path.join(root, '.parked'), path.join(root, 'app-monitor'));
    await expect(registry.rescan()).resolves.toEqual({ added: ['app-monitor'], updated: [], gone: [] });
    expect(registry.isGone('app-monitor')).toBe(false);
  });

  it('makes an untagged scenario Gone, but keeps the last good spec of a broken file', async () => {
    const { registry, root, editService, sink } = harness();
    await registry.rescan();
    fs.writeFileSync(path.join(root, 'data-backup-manager', '.vrooli', 'service.json'), '{"service": ');
    await expect(registry.rescan()).resolves.toEqual(NO_CHANGE);
    expect(registry.get('data-backup-manager')?.endpoint).toBe('http://127.0.0.1:15010');
    expect(sink.entries).toContainEqual(expect.objectContaining({ level: 'warn', scenario: 'data-backup-manager', message: expect.stringMatching(/invalid JSON at line 1.*keeping its last good spec/) }));
    editService('app-monitor', (body) => void (body.service = { name: 'app-monitor', tags: ['monitoring'] }));
    await expect(registry.rescan()).resolves.toEqual({ added: [], updated: [], gone: ['app-monitor'] });
  });

  it('keeps the last specs and records the error once when the root goes missing', async () => {
    const { registry, root, sink } = harness();
    await registry.rescan();
    fs.rmSync(root, { recursive: true });
    await expect(registry.rescan()).rejects.toMatchObject({ code: 'ScenariosDirMissing' });
    await expect(registry.rescan()).rejects.toMatchObject({ code: 'ScenariosDirMissing' });
    expect(registry.list()).toHaveLength(2);
    expect(sink.entries.filter((entry) => entry.level === 'error')).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`Discovery scan failed: scenarios directory ${root} does not exist`) }),
    ]);
  });

  it('shares one scan between concurrent callers', async () => {
    const { registry } = harness();
    const [first, second] = await Promise.all([registry.rescan(), registry.rescan()]);
    expect(first.added).toEqual(['app-monitor', 'data-backup-manager']);
    expect(second).toEqual(NO_CHANGE);
  });

  it('survives a listener that throws', async () => {
    const { registry, sink, changes } = harness();
    registry.onChange(() => {
      throw new Error('boom');
    });
    await registry.rescan();
    expect(changes).toHaveLength(1);
    expect(sink.messages()).toContain('Discovery change listener failed: boom');
  });
});

describe('ScenarioRegistry: registrations', () => {
  it('gives a registration precedence over the file, keeping the file as the source of names', async () => {
    const { registry } = harness();
    await registry.rescan();
    registry.register(registration('data-backup-manager', { endpoint: 'http://localhost:6000/', displayName: 'Ignored', stateEndpoint: 'state' }));
    expect(registry.get('data-backup-manager')).toMatchObject({
      endpoint: 'http://localhost:6000',
      endpointSource: 'registration',
      endpointProblem: null,
      displayName: 'Data Backup Manager',
      stateEndpoint: '/state',
    });
  });

  it('gives a scenario without any endpoint one, and a heartbeat keeps it alive', async () => {
    const { registry, advance, changes } = harness();
    await registry.rescan();
    registry.register(registration('app-monitor'));
    expect(changes.at(-1)).toEqual({ added: [], updated: ['app-monitor'], gone: [] });
    for (let beat = 0; beat < 3; beat++) {
      advance(25_000);
      registry.register(registration('app-monitor'));
    }
    expect(changes).toHaveLength(2);
    expect(registry.get('app-monitor')?.endpoint).toBe('http://127.0.0.1:5555');
    expect(registry.listRegistrations()[0]).toMatchObject({ id: 'app-monitor', registeredAt: 1_700_000_000_000, expiresAt: 1_700_000_105_000 });
  });

  it('falls back to the file endpoint when the registration expires', async () => {
    const { registry, advance, changes, sink } = harness();
    await registry.rescan();
    registry.register(registration('data-backup-manager', { ttlSeconds: 10 }));
    advance(9_999);
    expect(registry.get('data-backup-manager')?.endpointSource).toBe('registration');
    advance(1);
    expect(registry.get('data-backup-manager')).toMatchObject({ endpoint: 'http://127.0.0.1:15010', endpointSource: 'port' });
    expect(changes.at(-1)).toEqual({ added: [], updated: ['data-backup-manager'], gone: [] });
    expect(sink.messages()).toContain('Registration of data-backup-manager expired after 10s without a heartbeat');
    expect(registry.listRegistrations()).toEqual([]);
  });

  it('creates a scenario from a registration alone, which goes Gone when it expires', async () => {
    const { registry, advance } = harness();
    await registry.rescan();
    registry.register(registration('external-vacuum', { tags: ['database'], weight: 'heavy', description: 'VACUUM' }));
    expect(registry.get('external-vacuum')).toEqual({
      id: 'external-vacuum',
      name: 'external-vacuum',
      displayName: 'external-vacuum',
      description: 'VACUUM',
      tags: ['maintenance', 'database'],
      weight: 'heavy',
      canDeactivate: true,
      conflictsWith: [],
      stateEndpoint: '/api/maintenance/state',
      endpoint: 'http://127.0.0.1:5555',
      endpointSource: 'registration',
      endpointProblem: null,
      sourceFile: null,
    });
    await registry.rescan();
    expect(registry.isGone('external-vacuum')).toBe(false);
    advance(30_000);
    expect(registry.gone).toEqual(['external-vacuum']);
  });

  it('unregisters', async () => {
    const { registry, sink } = harness();
    await registry.rescan();
    registry.register(registration('data-backup-manager'));
    expect(registry.unregister('data-backup-manager')).toBe(true);
    expect(registry.unregister('data-backup-manager')).toBe(false);
    expect(registry.get('data-backup-manager')?.endpointSource).toBe('port');
    expect(sink.messages()).toContain('Scenario data-backup-manager unregistered');
  });

  it('runs the resolver again once the registration that replaced it is gone', async () => {
    const asked: string[] = [];
    const runResolver: PortResolverRunner = async (_template, id) => (asked.push(id), { ok: true, url: 'http://127.0.0.1:4100' });
    const { registry, advance } = harness({ portResolver: 'vrooli scenario port {name} API_PORT', runResolver });
    registry.register(registration('app-monitor', { ttlSeconds: 5 }));
    await registry.rescan();
    expect(asked).toEqual([]);
    const resolved = nextChange(registry).then(() => nextChange(registry));
    advance(5_000);
    registry.list();
    await resolved;
    expect(asked).toEqual(['app-monitor']);
    expect(registry.get('app-monitor')).toMatchObject({ endpoint: 'http://127.0.0.1:4100', endpointSource: 'resolver' });
  });

  it('refuses a registration outside the allow-list', () => {
    const { registry } = harness();
    expect(() => registry.register(registration('x', { endpoint: 'http://10.0.0.5:80' }))).toThrow(
      expect.objectContaining({ code: 'HostNotAllowed', message: expect.stringContaining('10.0.0.5') }),
    );
    expect(registry.list()).toEqual([]);
  });

  it.each([
    ['an empty id', { id: '' }],
    ['an id with a slash', { id: '../etc' }],
    ['the orchestrator itself', { id: 'maintenance-orchestrator' }],
    ['a non-http endpoint', { endpoint: 'file:///etc/passwd' }],
    ['a zero TTL', { ttlSeconds: 0 }],
    ['an infinite TTL', { ttlSeconds: Number.POSITIVE_INFINITY }],
    ['a bad weight', { weight: 'medium' as never }],
    ['tags that are not strings', { tags: [1] as never }],
    ['a URL as state route', { stateEndpoint: 'http://127.0.0.1/state' }],
  ])('refuses %s', (_what, extra) => {
    const { registry } = harness();
    expect(() => registry.register(registration('svc', extra))).toThrow(expect.objectContaining({ code: 'InvalidRegistration' }));
  });
});

describe('ScenarioRegistry: PORT_RESOLVER', () => {
  it('gives a range-only scenario the stand-in resolver\'s port, and does not run it again within 60 s', async () => {
    const standIn = writeStandIn(4100);
    try {
      standIn.set('works');
      const { registry, advance } = harness({ portResolver: standIn.template });
      await registry.rescan();
      expect(registry.get('app-monitor')).toMatchObject({ endpoint: 'http://127.0.0.1:4100', endpointSource: 'resolver', endpointProblem: null });
      const asked = standIn.calls().map((line) => line.split(' ')[1]);
      expect(asked).toContain('app-monitor');

      fs.writeFileSync(path.join(standIn.dir, 'port'), '4200\n');
      advance(59_999);
      await registry.rescan();
      expect(standIn.calls()).toHaveLength(asked.length);
      expect(registry.get('app-monitor')?.endpoint).toBe('http://127.0.0.1:4100');

      advance(1);
      await expect(registry.rescan()).resolves.toMatchObject({ updated: expect.arrayContaining(['app-monitor']) });
      expect(standIn.calls()).toHaveLength(asked.length * 2);
      expect(registry.get('app-monitor')?.endpoint).toBe('http://127.0.0.1:4200');
    } finally {
      standIn.remove();
    }
  });

  it('shows a failing resolver as NoEndpoint with its message, and picks up the fix after 5 s', async () => {
    const standIn = writeStandIn(4100);
    try {
      standIn.set('fail');
      const { registry, advance } = harness({ portResolver: standIn.template });
      await registry.rescan();
      expect(registry.get('app-monitor')).toMatchObject({
        endpoint: null,
        endpointProblem: { reason: 'NoEndpoint', message: expect.stringContaining('exited with code 2: Error: scenario app-monitor is not running') },
      });
      standIn.set('works');
      advance(4_999);
      await registry.rescan();
      expect(registry.get('app-monitor')?.endpoint).toBeNull();
      advance(1);
      await registry.rescan();
      expect(registry.get('app-monitor')?.endpoint).toBe('http://127.0.0.1:4100');
    } finally {
      standIn.remove();
    }
  });
});

describe('ScenarioRegistry: start and stop', () => {
  it('scans at start and rescans on a file change', async () => {
    const { registry, editService } = harness();
    await registry.start(60_000);
    expect(registry.list()).toHaveLength(2);
    const changed = nextChange(registry);
    editService('app-monitor', (body) => void (body.ports = { api: 21601 }));
    await expect(changed).resolves.toEqual({ added: [], updated: ['app-monitor'], gone: [] });
    expect(registry.get('app-monitor')?.endpoint).toBe('http://127.0.0.1:21601');
    registry.stop();
    registry.stop();
  });

  it('rescans periodically without watching', async () => {
    const { registry, root } = harness();
    const registryWithoutWatch = new ScenarioRegistry({ scenariosDir: root, watch: false }, new MemorySink());
    await registryWithoutWatch.start(50);
    const changed = nextChange(registryWithoutWatch);
    fs.rmSync(path.join(root, 'calendar', '.vrooli'), { recursive: true });
    fs.rmSync(path.join(root, 'app-monitor'), { recursive: true });
    await expect(changed).resolves.toEqual({ added: [], updated: [], gone: ['app-monitor'] });
    registryWithoutWatch.stop();
    registry.stop();
  });
});

describe('ScenarioRegistry: shared with other replicas (HA)', () => {
  it('takes registrations stored elsewhere without logging them, and a complete set drops the others', async () => {
    const { registry, sink, changes } = harness();
    await registry.rescan();
    const logged = sink.entries.length;
    const stored = registry.validate(registration('external-vacuum'));
    registry.applyStored([stored, registry.validate(registration('external-backup'))], []);
    expect(registry.get('external-vacuum')?.endpointSource).toBe('registration');
    expect(changes.at(-1)).toEqual({ added: ['external-backup', 'external-vacuum'], updated: [], gone: [] });
    registry.applyStored([stored], [], true);
    expect(registry.listRegistrations().map((r) => r.id)).toEqual(['external-vacuum']);
    expect(registry.isGone('external-backup')).toBe(true);
    registry.applyStored([], ['external-vacuum']);
    expect(registry.listRegistrations()).toEqual([]);
    // The replica that accepted each call logged it; this one only follows.
    expect(sink.entries.length).toBe(logged);
  });

  it('keeps, from a complete set, the registrations named in `keep` (changed while the poll read)', async () => {
    const { registry } = harness();
    await registry.rescan();
    const kept = registry.validate(registration('external-backup'));
    registry.applyStored([kept, registry.validate(registration('external-vacuum'))], []);
    registry.applyStored([], [], true, new Set(['external-backup']));
    expect(registry.listRegistrations().map((r) => r.id)).toEqual(['external-backup']);
  });

  it('skips a stored registration already expired on this clock', async () => {
    const { registry, advance } = harness();
    await registry.rescan();
    const stored = registry.validate(registration('external-vacuum', { ttlSeconds: 10 }));
    advance(10_000);
    registry.applyStored([stored], []);
    expect(registry.get('external-vacuum')).toBeUndefined();
  });

  it('drops an expired registration at its time on every replica, but logs it only where recordsExpiry says so', async () => {
    const { registry, advance, sink } = harness();
    await registry.rescan();
    registry.recordsExpiry = () => false;
    registry.register(registration('data-backup-manager', { ttlSeconds: 10 }));
    advance(10_000);
    expect(registry.get('data-backup-manager')?.endpointSource).toBe('port');
    expect(sink.messages().filter((message) => message.includes('expired'))).toEqual([]);
  });

  it("serves a follower the leader's discovered specs, registrations still over them", async () => {
    const { registry, sink } = harness();
    await registry.rescan();
    const leaderSees = registry.list().filter((spec) => spec.id !== 'app-monitor');
    const logged = sink.entries.length;
    registry.register(registration('external-vacuum'));
    const change = registry.adoptScan(leaderSees.filter((spec) => spec.sourceFile !== null));
    expect(change.gone).toEqual(['app-monitor']);
    expect(registry.list().map((spec) => spec.id)).toEqual(['app-monitor', 'data-backup-manager', 'external-vacuum']);
    expect(registry.isGone('app-monitor')).toBe(true);
    expect(registry.get('external-vacuum')?.endpointSource).toBe('registration');
    // Only the registration was logged here: the leader logged what it discovered.
    expect(sink.entries.length).toBe(logged + 2);
  });
});
