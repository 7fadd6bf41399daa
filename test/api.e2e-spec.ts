/** The REST API over HTTP (supertest) against a real fleet: the original six routes' shapes, errors, presets, manifests. */
import request from 'supertest';
import type { Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeIds, startTestSystem, type TestSystem } from './support/system';

const ROOT = join(__dirname, '..');
const fleetSpecs = [
  { id: 'code-smell', service: { tags: ['quality'] } },
  { id: 'health-checker', service: { tags: ['essential', 'health'] } },
  { id: 'log-cleanup', service: { tags: ['essential', 'logs', 'cleanup'] } },
  { id: 'performance-monitor', service: { tags: ['performance'] } },
  { id: 'query-analyzer', service: { tags: ['performance', 'database'] } },
];

describe('REST API', () => {
  let system: TestSystem;
  let http: Server;
  beforeAll(async () => {
    system = await startTestSystem({ specs: fleetSpecs });
    http = system.server.app.getHttpServer();
  });
  afterAll(() => system.stop());

  it('GET /api/v1/scenarios lists every scenario sorted by id with the documented fields', async () => {
    const { body } = await request(http).get('/api/v1/scenarios').expect(200);
    expect(body.scenarios.map((s: { id: string }) => s.id)).toEqual(fleetSpecs.map((s) => s.id).sort());
    expect(body.scenarios[0]).toMatchObject({
      id: 'code-smell', name: 'code-smell', displayName: expect.any(String), description: expect.any(String), tags: expect.arrayContaining(['maintenance', 'quality']),
      weight: 'light', endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), isActive: false, desiredState: 'inactive', observedState: 'inactive', reason: null, activeUntil: null,
    });
    expect(body.scenarios[0].conditions.map((c: { type: string }) => c.type)).toEqual(['Ready', 'Progressing', 'Blocked', 'Stalled']);
  });

  it('pages and filters the list', async () => {
    const { body } = await request(http).get('/api/v1/scenarios?limit=2&offset=1').expect(200);
    expect(body).toMatchObject({ total: 5, scenarios: [expect.objectContaining({ id: 'health-checker' }), expect.objectContaining({ id: 'log-cleanup' })] });
    const byTag = await request(http).get('/api/v1/scenarios?tag=performance').expect(200);
    expect(byTag.body.total).toBe(2);
    await request(http).get('/api/v1/scenarios?state=sleepy').expect(400);
  });

  it('POST activate answers after the scenario acknowledged, with the SPEC shape', async () => {
    const { body } = await request(http).post('/api/v1/scenarios/code-smell/activate').send({ ttl: '30m', reason: 'sweep' }).expect(200);
    expect(body).toMatchObject({ success: true, scenario: 'code-smell', newState: 'active', activeUntil: expect.any(String) });
    expect(system.fleet.stateOf('code-smell')).toBe('active');
    const off = await request(http).post('/api/v1/scenarios/code-smell/deactivate').expect(200);
    expect(off.body).toMatchObject({ success: true, scenario: 'code-smell', newState: 'inactive' });
    expect(system.fleet.stateOf('code-smell')).toBe('inactive');
  });

  it('GET /scenarios/{id} and /status answer JSON that follows every change (they are kept serialized)', async () => {
    const before = await request(http).get('/api/v1/scenarios/query-analyzer').expect(200).expect('content-type', /^application\/json/);
    expect(before.body).toMatchObject({ id: 'query-analyzer', isActive: false, desiredState: 'inactive' });
    const statusBefore = (await request(http).get('/api/v1/status').expect('content-type', /^application\/json/)).body;
    await request(http).post('/api/v1/scenarios/query-analyzer/activate').expect(200);
    const after = await request(http).get('/api/v1/scenarios/query-analyzer').expect(200);
    expect(after.body).toMatchObject({ isActive: true, desiredState: 'active', desiredSource: expect.stringContaining('override') });
    const statusAfter = (await request(http).get('/api/v1/status')).body;
    expect(statusAfter.activeScenarios).toBe(statusBefore.activeScenarios + 1);
    expect(statusAfter.recentActivity[0]).not.toEqual(statusBefore.recentActivity[0]);
    await request(http).post('/api/v1/scenarios/query-analyzer/deactivate').expect(200);
    expect((await request(http).get('/api/v1/scenarios/query-analyzer')).body).toMatchObject({ isActive: false, desiredState: 'inactive' });
    expect((await request(http).get('/api/v1/status')).body.activeScenarios).toBe(statusBefore.activeScenarios);
    await request(http).get('/api/v1/scenarios/nope').expect(404).expect('content-type', /^application\/json/);
  });

  it('takes ttl: null as no ttl given (the default TTL) and at: null as no instant, not as a server error (found by the OpenAPI fuzz)', async () => {
    const { body } = await request(http).post('/api/v1/scenarios/code-smell/activate').send({ ttl: null, reason: 'null ttl' }).expect(200);
    expect(body).toMatchObject({ success: true });
    await request(http).post('/api/v1/scenarios/code-smell/deactivate').expect(200);
    // The same for POST /plan's at: null plans now.
    await request(http).post('/api/v1/plan').send({ at: null, tz: null }).expect(200);
  });

  it('answers errors as JSON: unknown id 404, bad body 400, unknown field 400', async () => {
    const missing = await request(http).post('/api/v1/scenarios/nope/activate').expect(404);
    expect(missing.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('nope') });
    const badTtl = await request(http).post('/api/v1/scenarios/code-smell/activate').send({ ttl: 'soon' }).expect(400);
    expect(badTtl.body.message).toMatch(/ttl must be a duration/);
    const unknown = await request(http).post('/api/v1/scenarios/code-smell/activate').send({ colour: 'red' }).expect(400);
    expect(unknown.body.message).toMatch(/property colour should not exist/);
    const badJson = await request(http).post('/api/v1/scenarios/code-smell/activate').set('content-type', 'application/json').send('{oops').expect(400);
    expect(badJson.body.statusCode).toBe(400);
    await request(http).get('/api/v1/presets/none').expect(404);
    expect(activeIds(system.fleet)).toEqual([]);
  });

  it('GET /api/v1/presets lists the defaults; aliases of the original README resolve', async () => {
    const { body } = await request(http).get('/api/v1/presets').expect(200);
    expect(body.presets.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['full', 'security', 'performance', 'off-hours', 'minimal']));
    expect(body.presets[0]).toMatchObject({ id: expect.any(String), name: expect.any(String), description: expect.any(String), isDefault: true, isActive: false });
    const alias = await request(http).get('/api/v1/presets/full-maintenance').expect(200);
    expect(alias.body.id).toBe('full');
  });

  it('POST /presets/{id}/apply replaces the applied set, is idempotent, and reports what changed', async () => {
    const first = await request(http).post('/api/v1/presets/performance/apply').send({}).expect(200);
    expect(first.body).toMatchObject({ success: true, preset: 'performance', activated: ['performance-monitor', 'query-analyzer'], deactivated: [] });
    const again = await request(http).post('/api/v1/presets/performance/apply').send({}).expect(200);
    expect(again.body).toMatchObject({ success: true, activated: [], deactivated: [] });
    const minimal = await request(http).post('/api/v1/presets/minimal/apply').send({ confirm: true }).expect(200);
    expect(minimal.body).toMatchObject({ activated: ['health-checker', 'log-cleanup'], deactivated: ['performance-monitor', 'query-analyzer'] });
    expect(activeIds(system.fleet)).toEqual(['health-checker', 'log-cleanup']);
  });

  it('GET /api/v1/status has the SPEC fields', async () => {
    const { body } = await request(http).get('/api/v1/status').expect(200);
    expect(body).toMatchObject({ health: 'healthy', maintenanceState: 'active', totalScenarios: 5, activeScenarios: 2, inactiveScenarios: 3, uptime: expect.any(Number) });
    expect(body.recentActivity.length).toBeGreaterThan(0);
    expect(body.recentActivity.length).toBeLessThanOrEqual(10);
  });

  it('applies manifests: dry run changes nothing, then it acts', async () => {
    const manifests = readFileSync(join(ROOT, 'manifests/examples/state.yaml'), 'utf8');
    const before = activeIds(system.fleet);
    const dry = await request(http).post('/api/v1/apply').send({ manifests, source: 'state.yaml', dryRun: true, confirm: true }).expect(200);
    expect(dry.body.documents[0]).toMatchObject({ kind: 'MaintenanceState', result: 'planned', plan: { activate: ['code-smell', 'performance-monitor'], deactivate: ['health-checker', 'log-cleanup'] } });
    expect(activeIds(system.fleet)).toEqual(before);
    await request(http).post('/api/v1/apply').send({ manifests, source: 'state.yaml', confirm: true }).expect(200);
    expect(activeIds(system.fleet)).toEqual(['code-smell', 'performance-monitor']);
    const state = await request(http).get('/api/v1/desired-state').expect(200);
    expect(state.body).toMatchObject({ presets: ['performance'], overrides: { 'code-smell': { state: 'active' }, 'query-analyzer': { state: 'inactive' } } });
  });

  it('refuses a bad manifest naming file, line and field, and changes nothing', async () => {
    const before = (await request(http).get('/api/v1/desired-state')).body;
    const bad = 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec:\n  presets: [performance]\n  overrides:\n    code-smell: {state: sometimes}\n';
    const { body } = await request(http).post('/api/v1/apply').send({ manifests: bad, source: 'bad.yaml' }).expect(400);
    expect(body.message).toBe('bad.yaml:6: spec.overrides.code-smell.state: must be active or inactive, got "sometimes"');
    expect((await request(http).get('/api/v1/desired-state')).body).toEqual(before);
  });

  it('asks for confirmation of a whole file before applying any of it', async () => {
    const file = [
      'apiVersion: maintenance/v1', 'kind: Preset', 'metadata: {name: half-applied}', 'spec: {selector: {names: [code-smell]}}', '---',
      'apiVersion: maintenance/v1', 'kind: MaintenanceState', 'spec: {presets: [minimal]}',
    ].join('\n');
    const { body } = await request(http).post('/api/v1/apply').send({ manifests: file }).expect(428);
    expect(body.plan.touched.length).toBeGreaterThan(3);
    await request(http).get('/api/v1/presets/half-applied').expect(404);
  });

  it('plans a declared state without acting', async () => {
    const { body } = await request(http).post('/api/v1/plan').send({ presets: ['minimal'] }).expect(200);
    expect(body).toMatchObject({ activate: ['health-checker', 'log-cleanup'], deactivate: ['code-smell', 'performance-monitor'] });
  });

  it('refuses a body over the limit with 413', async () => {
    const { body } = await request(http).post('/api/v1/apply').send({ manifests: 'x'.repeat(2_000_000) }).expect(413);
    expect(body.message).toMatch(/too large/);
  });

  it('accepts a registration on loopback and refuses another host', async () => {
    const port = system.fleet.scenarios[0].port;
    const ok = await request(http).post('/api/v1/registrations').send({ id: 'registered-one', endpoint: `http://127.0.0.1:${port}`, ttlSeconds: 60 }).expect(200);
    expect(ok.body.registration).toMatchObject({ id: 'registered-one', expiresAt: expect.any(String) });
    const listed = await request(http).get('/api/v1/scenarios/registered-one').expect(200);
    expect(listed.body.endpointSource).toBe('registration');
    const far = await request(http).post('/api/v1/registrations').send({ id: 'far', endpoint: 'http://10.0.0.5:80', ttlSeconds: 60 }).expect(400);
    expect(far.body.message).toMatch(/10\.0\.0\.5/);
  });

  it('serves /health', async () => {
    const { body } = await request(http).get('/health').expect(200);
    expect(body).toMatchObject({ status: 'ok', scenarios: expect.any(Number) });
  });
});

describe('REST API: what the README and the original clients rely on', () => {
  let system: TestSystem;
  let http: Server;
  beforeAll(async () => {
    system = await startTestSystem({ specs: fleetSpecs, policy: { bulkConfirmThreshold: 3 } });
    http = system.server.app.getHttpServer();
  });
  afterAll(() => system.stop());

  const secondsLeft = (until: string) => (new Date(until).getTime() - Date.now()) / 1000;

  it('takes ttl as a number of seconds as well as a duration, everywhere ttl is accepted', async () => {
    const seconds = await request(http).post('/api/v1/scenarios/code-smell/activate').send({ ttl: 600 }).expect(200);
    expect(secondsLeft(seconds.body.activeUntil)).toBeGreaterThan(500);
    expect(secondsLeft(seconds.body.activeUntil)).toBeLessThanOrEqual(600);
    // 0 is not "forever": DEFAULT_TIMEOUT's safety net has no quiet way round, in the API as in the CLI.
    for (const zero of [0, '0', '0s', 0.2]) {
      const refused = await request(http).post('/api/v1/scenarios/code-smell/activate').send({ ttl: zero }).expect(400);
      expect(refused.body.message).toMatch(/at least 1s/);
    }
    const zeroOverride = await request(http).put('/api/v1/desired-state').send({ overrides: { 'code-smell': { state: 'active', ttl: 0 } } }).expect(400);
    expect(zeroOverride.body.message).toMatch(/ttl must be at least 1s/);
    expect((await request(http).post('/api/v1/scenarios/code-smell/activate').send({ ttl: -5 }).expect(400)).body.message).toMatch(/ttl must be a duration/);
    const put = await request(http).put('/api/v1/desired-state').send({ overrides: { 'code-smell': { state: 'active', ttl: 900 } } }).expect(200);
    expect(secondsLeft(put.body.desiredState.overrides['code-smell'].expiresAt)).toBeGreaterThan(800);
    const manifest = 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec:\n  overrides:\n    code-smell: {state: active, ttl: 1200}\n';
    await request(http).post('/api/v1/apply').send({ manifests: manifest }).expect(200);
    expect(secondsLeft((await request(http).get('/api/v1/desired-state')).body.overrides['code-smell'].expiresAt)).toBeGreaterThan(1100);
    await request(http).post('/api/v1/scenarios/code-smell/deactivate').expect(200);
  });

  it('answers 400 for an unknown preset named in a body, 404 for one in the URL, and suggests the closest name', async () => {
    const put = await request(http).put('/api/v1/desired-state').send({ presets: ['ful'] }).expect(400);
    expect(put.body.message).toMatch(/^unknown preset "ful"; did you mean "full"\? known: .*minimal/);
    expect((await request(http).post('/api/v1/plan').send({ presets: ['securty'] }).expect(400)).body.message).toMatch(/did you mean "security"/);
    const schedule = await request(http).post('/api/v1/schedules').send({ name: 'w', preset: 'perfomance', cron: '0 2 * * 0', duration: '1h' }).expect(400);
    expect(schedule.body.message).toMatch(/did you mean "performance"/);
    const manifest = await request(http).post('/api/v1/apply').send({ manifests: 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec: {presets: [minimall]}\n' }).expect(400);
    expect(manifest.body.message).toMatch(/^request body:3: spec\.presets\.0: unknown preset "minimall"; did you mean "minimal"/);
    const file = 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec:\n  overrides:\n    code-smel: {state: active}\n';
    const scenario = await request(http).post('/api/v1/apply').send({ manifests: file, source: 'state.yaml' }).expect(400);
    expect(scenario.body.message).toBe('state.yaml:5: spec.overrides.code-smel: unknown scenario "code-smel"; did you mean "code-smell"? known: code-smell, health-checker, log-cleanup, performance-monitor, query-analyzer');
    expect((await request(http).post('/api/v1/presets/ful/apply').expect(404)).body.message).toMatch(/did you mean "full"/);
    expect((await request(http).post('/api/v1/scenarios/code-smel/activate').expect(404)).body.message).toMatch(/unknown scenario "code-smel"; did you mean "code-smell"\?/);
    const override = await request(http).put('/api/v1/desired-state').send({ overrides: { 'log-cleanp': { state: 'active' } } }).expect(400);
    expect(override.body.message).toMatch(/did you mean "log-cleanup"/);
    expect((await request(http).delete('/api/v1/schedules/nightly').expect(404)).body.message).toMatch(/unknown schedule "nightly"/);
    expect(activeIds(system.fleet)).toEqual([]);
  });

  it('reports as deactivated only scenarios that were on, not ones that were merely desired', async () => {
    system.host.value = { cpuLoadPercent: 99, memoryPercent: 10 };
    try {
      const held = await request(http).post('/api/v1/presets/performance/apply').expect(200);
      expect(held.body.blocked.map((b: { scenario: string }) => b.scenario)).toEqual(['performance-monitor', 'query-analyzer']);
      const minimal = await request(http).post('/api/v1/presets/minimal/apply').send({ confirm: true }).expect(200);
      expect(minimal.body.deactivated).toEqual([]);
    } finally {
      system.host.value = { cpuLoadPercent: 0, memoryPercent: 0 };
    }
    await request(http).post('/api/v1/presets/performance/apply').send({ confirm: true }).expect(200);
    const back = await request(http).post('/api/v1/presets/minimal/apply').send({ confirm: true }).expect(200);
    expect(back.body.deactivated).toEqual(['performance-monitor', 'query-analyzer']);
  });

  it('stops everything without a body, records "no reason given" with the actor, and says what it cleared', async () => {
    const { body } = await request(http).post('/api/v1/stop-all').expect(200);
    expect(body).toMatchObject({ success: true, reason: 'no reason given', actor: expect.any(String), deactivated: ['health-checker', 'log-cleanup'], clearedPresets: ['minimal'] });
    expect(activeIds(system.fleet)).toEqual([]);
    const status = (await request(http).get('/api/v1/status').expect(200)).body;
    expect(status.emergencyStop).toMatchObject({ reason: 'no reason given', actor: body.actor });
    for (const entry of status.recentActivity) expect(Object.keys(entry)).toEqual(expect.arrayContaining(['timestamp', 'action', 'scenario', 'preset', 'message']));
    expect(status.recentActivity.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['stop-all', 'deactivated']));
    const blank = await request(http).post('/api/v1/stop-all').send({ reason: '   ' }).expect(200);
    expect(blank.body.reason).toBe('no reason given');
    await request(http).post('/api/v1/resume').expect(200);
  });
});
