/**
 * The production start (`npm start`, dist/src/launch.js) runs the bundled server of dist/server/. A bundle
 * can break what a tsc build does not: files read beside a module, optional requires, class names, native
 * addons. This drives the bundled server through each of those over HTTP, checks that the build's code
 * cache is the one V8 accepts on this Node under the server's flags, and that the bundle's stack traces name
 * the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestJson, startFleet, tempFleetDir, demoSpecs, type Fleet } from './support/fleet';
import { startChild, stopChild, writeLoadIndependentPolicy, type ChildOrchestrator } from './support/child';
import { activeIds, eventually } from './support/system';
import { SERVER_NODE_FLAGS } from '../src/config/node-flags';
import { HTTP_SERVER_KINDS } from '../src/api/express-adapter';

const ROOT = join(__dirname, '..');

describe('the bundled server (dist/src/launch.js)', () => {
  let fleet: Fleet;
  let cleanupFleet: () => Promise<void>;
  let dataDir: string;
  let child: ChildOrchestrator;

  beforeAll(async () => {
    fleet = await startFleet(demoSpecs(3));
    const scenarios = await tempFleetDir(fleet);
    cleanupFleet = scenarios.cleanup;
    dataDir = await mkdtemp(join(tmpdir(), 'mo-launch-'));
    const policy = await writeLoadIndependentPolicy(dataDir);
    child = await startChild({ DATA_DIR: dataDir, SCENARIOS_DIR: scenarios.dir, RESYNC_INTERVAL: '1s', POLICY_FILE: policy });
  });
  afterAll(async () => {
    await stopChild(child);
    await fleet.stop();
    await cleanupFleet();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is built with a code cache that this Node accepts under the flags npm start gives it', () => {
    expect(existsSync(join(ROOT, 'dist', 'server', 'main.js'))).toBe(true);
    const probe = "const l = require('./dist/src/launch.js').loadServer(); process.stdout.write(JSON.stringify({ from: l.from, cacheUsed: l.cacheUsed, exports: Object.keys(l.server).sort() }))";
    const loaded = JSON.parse(execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', probe], { cwd: ROOT, encoding: 'utf8' }));
    expect(loaded).toEqual({ from: 'bundle', cacheUsed: true, exports: expect.arrayContaining(['ConfigError', 'main', 'serve']) });
  });

  it("names the src/*.ts line of the bundle's frames in an error's stack", () => {
    // A bad port fails inside the bundle (serve -> loadProcessConfig -> loadConfig -> readInteger).
    const probe = `const l = require('./dist/src/launch.js').loadServer();
      l.server.serve({ overrides: { MAINTENANCE_PORT: 'abc' }, print() {} }).catch((e) => process.stdout.write(JSON.stringify({ from: l.from, stack: e.stack })));`;
    const { from, stack } = JSON.parse(execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', probe], { cwd: ROOT, encoding: 'utf8' }));
    expect(from).toBe('bundle');
    const frames = (stack as string).split('\n').slice(1);
    expect(frames[0]).toMatch(/^ {4}at readInteger \(.*\/src\/config\/config\.ts:\d+:\d+\)$/);
    expect(stack).toMatch(/at Object\.serve \(.*\/src\/main\.ts:\d+:\d+\)/);
    expect(stack).not.toContain(join('dist', 'server', 'main.js'));
  });

  it('says in its start-up lines which HTTP server it runs and which node flags it has', async () => {
    // The child is taken as started at its API line; the lines after it may still be on their way.
    await eventually(() => /^node flags: +\S/m.test(child.output()), 'the start-up lines up to the node flags', 10_000);
    expect(child.output()).toContain(`HTTP server:                   ${HTTP_SERVER_KINDS.prototyped}`);
    expect(child.output()).toMatch(/^node flags: +\S/m);
  });

  it('activates a real scenario and stores it in SQLite (native addon, DTO validation, the loop)', async () => {
    const reply = await requestJson(`${child.url}/api/v1/scenarios/demo-0001/activate`, { reason: 'bundle check' });
    expect(reply.status).toBe(200);
    await eventually(() => activeIds(fleet).includes('demo-0001'), 'demo-0001 active on its own endpoint', 10_000);
    const invalid = await requestJson(`${child.url}/api/v1/scenarios/demo-0001/activate`, { ttl: 'soon' });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { message: string }).message).toMatch(/ttl/);
    const status = await requestJson(`${child.url}/api/v1/status`);
    expect((status.body as { activeScenarios: number }).activeScenarios).toBe(1);
  });

  it('serves the dashboard, the OpenAPI UI with its assets, metrics and probes', async () => {
    const page = await fetch(`${child.url}/`);
    expect(await page.text()).toContain('<div id="app">');
    const docs = await fetch(`${child.url}/api/docs`);
    expect(docs.status).toBe(200);
    const asset = (await docs.text()).match(/src="\.\/docs\/(swagger-ui-bundle\.js)"/);
    expect(asset).not.toBeNull();
    const bundle = await fetch(`${child.url}/api/docs/${asset![1]}`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    const document = (await (await fetch(`${child.url}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/status', '/api/v1/scenarios/{id}/activate']));
    const metrics = await (await fetch(`${child.url}/metrics`)).text();
    expect(metrics).toMatch(/^maintenance_discovered_scenarios 3$/m);
    expect((await fetch(`${child.url}/readyz`)).status).toBe(200);
  });
});
