/** Custom presets over the API: create (selector or snapshot), export/import round trip, delete, and bad imports. */
import request from 'supertest';
import type { Server } from 'node:http';
import { parse } from 'yaml';
import { startTestSystem, type TestSystem } from './support/system';

describe('custom presets', () => {
  let system: TestSystem;
  let http: Server;
  beforeAll(async () => {
    system = await startTestSystem({
      specs: [
        { id: 'backup-manager', service: { tags: ['backup'] } },
        { id: 'log-cleanup', service: { tags: ['cleanup', 'logs'] } },
        { id: 'data-backup-manager', service: { tags: ['backup'] } },
        { id: 'code-smell', service: { tags: ['quality'] } },
      ],
    });
    http = system.server.app.getHttpServer();
  });
  afterAll(() => system.stop());

  const presetIds = async () => (await request(http).get('/api/v1/presets')).body.presets.map((p: { id: string }) => p.id);

  it('creates a preset from a selector and shows what it selects', async () => {
    const { body } = await request(http).post('/api/v1/presets').send({ name: 'nightly', tags: ['backup', 'cleanup'], exclude: ['data-backup-manager'] }).expect(201);
    expect(body).toMatchObject({ id: 'nightly', isDefault: false, scenarios: ['backup-manager', 'log-cleanup'] });
  });

  it('saves the current state as a preset when given no selector (as the original README says)', async () => {
    await request(http).post('/api/v1/scenarios/code-smell/activate').expect(200);
    const { body } = await request(http).post('/api/v1/presets').send({ name: 'my-preset' }).expect(201);
    expect(body).toMatchObject({ id: 'my-preset', selector: { names: ['code-smell'] }, scenarios: ['code-smell'] });
    await request(http).post('/api/v1/scenarios/code-smell/deactivate').expect(200);
  });

  it('exports YAML that imports back to exactly the same preset', async () => {
    const exported = await request(http).get('/api/v1/presets/nightly/export').expect(200);
    expect(parse(exported.text)).toEqual({ apiVersion: 'maintenance/v1', kind: 'Preset', metadata: { name: 'nightly' }, spec: { selector: { tags: ['backup', 'cleanup'], exclude: ['data-backup-manager'] } } });
    await request(http).delete('/api/v1/presets/nightly').expect(200);
    await request(http).post('/api/v1/presets/import').send({ document: exported.text, source: 'nightly.yaml' }).expect(201);
    expect((await request(http).get('/api/v1/presets/nightly/export')).text).toBe(exported.text);
  });

  it('imports several documents at once, all or nothing', async () => {
    const two = ['apiVersion: maintenance/v1', 'kind: Preset', 'metadata: {name: alpha}', 'spec: {selector: {names: [code-smell]}}', '---', 'apiVersion: maintenance/v1', 'kind: Preset', 'metadata: {name: nightly}', 'spec: {selector: {tags: [x]}}'].join('\n');
    const refused = await request(http).post('/api/v1/presets/import').send({ document: two }).expect(409);
    expect(refused.body.message).toMatch(/nightly/);
    expect(await presetIds()).not.toContain('alpha');
    const json = JSON.stringify({ apiVersion: 'maintenance/v1', kind: 'Preset', metadata: { name: 'from-json' }, spec: { selector: { names: ['code-smell'] } } });
    await request(http).post('/api/v1/presets/import').send({ document: json, source: 'p.json' }).expect(201);
    expect(await presetIds()).toContain('from-json');
  });

  it('protects defaults and keeps ids unambiguous', async () => {
    expect((await request(http).delete('/api/v1/presets/full').expect(409)).body.message).toMatch(/default/);
    const overwrite = ['apiVersion: maintenance/v1', 'kind: Preset', 'metadata: {name: full}', 'spec: {selector: {names: [x]}}'].join('\n');
    await request(http).post('/api/v1/presets/import').send({ document: overwrite, overwrite: true }).expect(409);
    expect((await request(http).post('/api/v1/presets').send({ name: 'FULL', tags: ['x'] }).expect(400)).body.message).toMatch(/lowercase/);
    await request(http).post('/api/v1/presets').send({ name: '../etc', tags: ['x'] }).expect(400);
    await request(http).post('/api/v1/presets').send({ name: 'security-only', tags: ['x'] }).expect(409);
  });

  it.each([
    ['invalid YAML', 'apiVersion: [oops', /invalid YAML/],
    ['an unknown field', 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: odd}\nspec: {selector: {tags: [a]}, extra: 1}\n', /spec\.extra: is not a known field/],
    ['a YAML alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n', /invalid YAML/],
    ['another kind', 'apiVersion: maintenance/v1\nkind: Policy\nspec: {}\n', /must be Preset here/],
  ])('refuses %s with a clear error and changes nothing', async (_, document, pattern) => {
    const before = await presetIds();
    const { body } = await request(http).post('/api/v1/presets/import').send({ document, source: 'bad.yaml' }).expect(400);
    expect(body.message).toMatch(pattern);
    expect(await presetIds()).toEqual(before);
  });

  it('refuses a 10 MB body', async () => {
    const before = await presetIds();
    await request(http).post('/api/v1/presets/import').set('content-type', 'application/json').send(JSON.stringify({ document: 'x'.repeat(10_000_000) })).expect(413);
    expect(await presetIds()).toEqual(before);
  });
});
