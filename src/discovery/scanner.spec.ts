import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiscoveryError } from './discovery.error';
import type { PortResolverRunner } from './endpoint';
import { scanScenariosDir } from './scanner';

const HEAD = path.resolve(__dirname, '../../test/fixtures/vrooli/vrooli-scenarios-head');
const TAGGED_AT_HEAD = ['app-monitor', 'code-smell', 'data-backup-manager', 'document-manager', 'ecosystem-manager'];

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-scan-'));
}

function writeService(root: string, id: string, body: unknown): void {
  fs.mkdirSync(path.join(root, id, '.vrooli'), { recursive: true });
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  fs.writeFileSync(path.join(root, id, '.vrooli', 'service.json'), text);
}

/** A resolver that records which ids it was asked about. */
function countingResolver(): { run: PortResolverRunner; ids: string[] } {
  const ids: string[] = [];
  return { ids, run: async (_template, id) => (ids.push(id), { ok: true, url: 'http://127.0.0.1:4000' }) };
}

describe('scanScenariosDir over the real Vrooli scenarios at HEAD', () => {
  it('finds exactly the tagged scenarios, without the orchestrator itself', async () => {
    const result = await scanScenariosDir(HEAD);
    expect(result.found.map((spec) => spec.id)).toEqual(TAGGED_AT_HEAD);
    expect(result.candidates).toBe(138);
    expect(result.skipped).toHaveLength(133);
    expect(result.skipped.find((skip) => skip.id === 'maintenance-orchestrator')).toMatchObject({ code: 'Self' });
    expect(result.skipped.filter((skip) => skip.code !== 'NotTagged' && skip.code !== 'Self')).toEqual([]);
  });

  it('gives data-backup-manager its fixed port and the others NoEndpoint', async () => {
    const { found } = await scanScenariosDir(HEAD);
    const backup = found.find((spec) => spec.id === 'data-backup-manager');
    expect(backup).toMatchObject({
      endpoint: 'http://127.0.0.1:15010',
      endpointSource: 'port',
      endpointProblem: null,
      sourceFile: path.join(HEAD, 'data-backup-manager', '.vrooli', 'service.json'),
    });
    for (const spec of found.filter((s) => s.id !== 'data-backup-manager')) {
      expect(spec).toMatchObject({ endpoint: null, endpointSource: null, endpointProblem: { reason: 'NoEndpoint' } });
    }
  });

  it('reads names, tags and defaults from the real files', async () => {
    const { found } = await scanScenariosDir(HEAD);
    expect(found[0]).toMatchObject({
      id: 'app-monitor',
      name: 'app-monitor',
      displayName: 'App Monitor',
      weight: 'light',
      canDeactivate: true,
      conflictsWith: [],
      stateEndpoint: '/api/maintenance/state',
      tags: expect.arrayContaining(['maintenance', 'monitoring']),
    });
  });

  it('runs the resolver only for tagged scenarios with no other endpoint and no registration', async () => {
    const resolver = countingResolver();
    const registeredIds = new Set(['code-smell']);
    const result = await scanScenariosDir(HEAD, { portResolver: 'vrooli scenario port {name} API_PORT', runResolver: resolver.run, registeredIds });
    expect(resolver.ids.sort()).toEqual(['app-monitor', 'document-manager', 'ecosystem-manager']);
    expect(result.found.find((spec) => spec.id === 'app-monitor')).toMatchObject({ endpoint: 'http://127.0.0.1:4000', endpointSource: 'resolver' });
    expect(result.found.find((spec) => spec.id === 'code-smell')?.endpointProblem?.message).toContain('a registration supplies the endpoint');
  });

  it('lists the orchestrator when another self id is configured', async () => {
    const { found } = await scanScenariosDir(HEAD, { selfId: 'app-monitor' });
    expect(found.map((spec) => spec.id)).toEqual(['code-smell', 'data-backup-manager', 'document-manager', 'ecosystem-manager', 'maintenance-orchestrator']);
  });
});

describe('scanScenariosDir on awkward trees', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('skips broken files with reasons and ignores non-candidates', async () => {
    writeService(root, 'good', { service: { tags: ['maintenance'] } });
    writeService(root, 'broken', '{"service": {');
    writeService(root, 'listy', '[]');
    writeService(root, 'plain', { service: { tags: ['web'] } });
    fs.mkdirSync(path.join(root, 'dir-as-file', '.vrooli', 'service.json'), { recursive: true });
    fs.mkdirSync(path.join(root, 'no-service-json', '.vrooli'), { recursive: true });
    fs.mkdirSync(path.join(root, 'empty'));
    fs.writeFileSync(path.join(root, 'README.md'), '# not a scenario');
    const result = await scanScenariosDir(root);
    expect(result.found.map((spec) => spec.id)).toEqual(['good']);
    expect(result.candidates).toBe(5);
    expect(result.skipped.map(({ id, code }) => [id, code])).toEqual([
      ['broken', 'InvalidJson'],
      ['dir-as-file', 'Unreadable'],
      ['listy', 'NotAnObject'],
      ['plain', 'NotTagged'],
    ]);
    expect(result.skipped[0].reason).toMatch(/^invalid JSON at line 1, column 14/);
  });

  it('follows symlinked scenario folders', async () => {
    const elsewhere = tempDir();
    try {
      writeService(elsewhere, 'linked', { service: { tags: ['maintenance'] }, ports: { api: 9100 } });
      fs.symlinkSync(path.join(elsewhere, 'linked'), path.join(root, 'linked'));
      const { found } = await scanScenariosDir(root);
      expect(found).toMatchObject([{ id: 'linked', endpoint: 'http://127.0.0.1:9100' }]);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('collects ignored-field warnings', async () => {
    writeService(root, 'odd', { service: { tags: ['maintenance'] }, maintenance: { weight: 'huge' } });
    const { warnings } = await scanScenariosDir(root);
    expect(warnings).toEqual([{ id: 'odd', message: expect.stringContaining('maintenance.weight "huge"') }]);
  });

  it('rejects a missing root with a clear message', async () => {
    const missing = path.join(root, 'nope');
    const scan = scanScenariosDir(missing);
    await expect(scan).rejects.toBeInstanceOf(DiscoveryError);
    await expect(scan).rejects.toMatchObject({ code: 'ScenariosDirMissing', message: expect.stringContaining(`${missing} does not exist`) });
  });

  it('rejects a root that is a file', async () => {
    const file = path.join(root, 'file');
    fs.writeFileSync(file, '');
    await expect(scanScenariosDir(file)).rejects.toMatchObject({ code: 'ScenariosDirMissing' });
  });

  it('scans 10,000 generated folders', async () => {
    for (let i = 0; i < 10_000; i++) {
      const id = `s${String(i).padStart(5, '0')}`;
      if (i % 1000 === 999) fs.mkdirSync(path.join(root, id));
      else if (i % 100 === 0) writeService(root, id, { service: { tags: ['maintenance'] }, ports: { api: { port: 20_000 + i } } });
      else writeService(root, id, { service: { name: id, tags: ['web'] }, ports: { api: { range: '15000-19999' } } });
    }
    const resolver = countingResolver();
    const result = await scanScenariosDir(root, { portResolver: 'resolver {name}', runResolver: resolver.run });
    expect(result.candidates).toBe(9_990);
    expect(result.found).toHaveLength(100);
    expect(result.found[1]).toMatchObject({ id: 's00100', endpoint: 'http://127.0.0.1:20100', endpointSource: 'port' });
    expect(result.skipped).toHaveLength(9_890);
    expect(resolver.ids).toEqual([]);
  });
});
