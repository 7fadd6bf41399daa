/**
 * The orchestrator ships its own `.vrooli/service.json` (so Vrooli's lifecycle can run it), tagged `maintenance`
 * like the Vrooli original: discovery must never list it, or it would try to switch itself off.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scanScenariosDir } from './scanner';
import { parseServiceFile } from './service-file';

const OWN_SERVICE_FILE = path.resolve(__dirname, '../../.vrooli/service.json');

/** A scenarios root holding a copy of the orchestrator's own file under `selfFolder`, and one ordinary scenario. */
function scenariosRoot(selfFolder: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-self-'));
  fs.mkdirSync(path.join(root, selfFolder, '.vrooli'), { recursive: true });
  fs.copyFileSync(OWN_SERVICE_FILE, path.join(root, selfFolder, '.vrooli', 'service.json'));
  const other = { service: { name: 'log-rotation', tags: ['maintenance'] }, ports: { api: { port: 3269 } } };
  fs.mkdirSync(path.join(root, 'log-rotation', '.vrooli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'log-rotation', '.vrooli', 'service.json'), JSON.stringify(other));
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => fs.rmSync(root, { recursive: true, force: true })));

describe("the orchestrator's own .vrooli/service.json", () => {
  it('is a valid, maintenance-tagged Vrooli file on MAINTENANCE_PORT 3250, so only the self rule keeps it out', () => {
    const parsed = parseServiceFile('maintenance-orchestrator', fs.readFileSync(OWN_SERVICE_FILE, 'utf8'));
    expect(parsed).toMatchObject({ ok: true, file: { tags: expect.arrayContaining(['maintenance']), fixedPort: 3250 } });
    const document = JSON.parse(fs.readFileSync(OWN_SERVICE_FILE, 'utf8'));
    expect(document.ports.api.env_var).toBe('MAINTENANCE_PORT');
    expect(document.lifecycle.health.checks[0].target).toBe('http://localhost:${MAINTENANCE_PORT}/healthz');
    expect(Object.keys(document.lifecycle)).toEqual(expect.arrayContaining(['setup', 'develop', 'test', 'stop']));
  });

  it('is never listed when it sits in a scenarios root under the folder maintenance-orchestrator', async () => {
    const root = scenariosRoot('maintenance-orchestrator');
    roots.push(root);
    const result = await scanScenariosDir(root);
    expect(result.found.map((spec) => spec.id)).toEqual(['log-rotation']);
    expect(result.skipped).toEqual([{ id: 'maintenance-orchestrator', code: 'Self', reason: expect.any(String) }]);
  });

  it('is excluded by the configured self id when the orchestrator runs under another name', async () => {
    const root = scenariosRoot('maintenance-orchestrator-b');
    roots.push(root);
    const result = await scanScenariosDir(root, { selfId: 'maintenance-orchestrator-b' });
    expect(result.found.map((spec) => spec.id)).toEqual(['log-rotation']);
  });
});
