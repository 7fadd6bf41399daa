/** Custom presets over the API: create (selector, states or snapshot), export/import round trip (also raw YAML/JSON bodies), delete, and bad imports. */
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

  it('creates from the Preset manifest\'s selector shape, and the OpenAPI document says so', async () => {
    const { body } = await request(http).post('/api/v1/presets').send({ name: 'by-selector', selector: { tags: ['backup'], exclude: ['data-backup-manager'] } }).expect(201);
    expect(body).toMatchObject({ id: 'by-selector', selector: { names: [], tags: ['backup'], exclude: ['data-backup-manager'] }, scenarios: ['backup-manager'] });
    const both = await request(http).post('/api/v1/presets').send({ name: 'both', selector: { tags: ['backup'] }, tags: ['logs'] }).expect(400);
    expect(both.body.message).toMatch(/not selector and names\/tags\/exclude/);
    await request(http).post('/api/v1/presets').send({ name: 'bad-selector', selector: { tags: ['backup'], colour: 'red' } }).expect(400);
    const document = (await request(http).get('/api/docs-json').expect(200)).body;
    const create = document.components.schemas.CreatePresetDto.properties;
    expect(create.selector.allOf ?? [create.selector]).toContainEqual(expect.objectContaining({ $ref: '#/components/schemas/PresetSelectorDto' }));
    expect(Object.keys(document.components.schemas.PresetSelectorDto.properties)).toEqual(['names', 'tags', 'exclude']);
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['states', 'fromCurrentState']));
    expect(Object.keys(document.paths['/api/v1/presets/import'].post.requestBody.content)).toEqual(expect.arrayContaining(['application/json', 'application/yaml']));
  });

  it('creates from the original Go CLI\'s states and fromCurrentState bodies', async () => {
    const { body } = await request(http).post('/api/v1/presets').send({ name: 'from-states', description: 'd', states: { 'backup-manager': true, 'code-smell': false }, tags: ['quality'] }).expect(201);
    expect(body).toMatchObject({ id: 'from-states', selector: { names: ['backup-manager'], tags: ['quality'], exclude: ['code-smell'] }, scenarios: ['backup-manager'] });
    expect(body.preset).toEqual({ id: 'from-states', name: 'from-states', description: 'd', states: { 'backup-manager': true } });
    const typo = await request(http).post('/api/v1/presets').send({ name: 'typo', states: { 'backup-manger': true } }).expect(400);
    expect(typo.body.message).toMatch(/unknown scenario "backup-manger"; did you mean "backup-manager"\?/);
    await request(http).post('/api/v1/presets').send({ name: 'not-bool', states: { 'backup-manager': 'yes' } }).expect(400);
    await request(http).post('/api/v1/scenarios/log-cleanup/activate').expect(200);
    const current = await request(http).post('/api/v1/presets').send({ name: 'current', description: '', fromCurrentState: true }).expect(201);
    expect(current.body).toMatchObject({ selector: { names: ['log-cleanup'] }, preset: { states: { 'log-cleanup': true } } });
    await request(http).post('/api/v1/scenarios/log-cleanup/deactivate').expect(200);
    expect(await presetIds()).not.toContain('typo');
  });

  it('lists the applied presets at /presets/active (not taken for a preset id)', async () => {
    expect((await request(http).get('/api/v1/presets/active').expect(200)).body).toEqual({ activePresets: [] });
    await request(http).post('/api/v1/presets/from-states/apply').expect(200);
    const { body } = await request(http).get('/api/v1/presets/active').expect(200);
    expect(body.activePresets).toEqual([expect.objectContaining({ id: 'from-states', description: 'd', isActive: true })]);
    await request(http).post('/api/v1/presets/from-states/remove').expect(200);
  });

  it.each([['application/yaml'], ['application/x-yaml'], ['text/yaml; charset=utf-8']])('imports a raw YAML body sent as %s', async (type) => {
    const name = `raw-${type.replace(/[^a-z]/g, '')}`;
    const yaml = `apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: ${name}}\nspec:\n  selector: {tags: [backup]}\n`;
    const { body } = await request(http).post('/api/v1/presets/import').set('content-type', type).send(yaml).expect(201);
    expect(body.imported).toEqual([expect.objectContaining({ id: name, scenarios: ['backup-manager', 'data-backup-manager'] })]);
  });

  it('imports a Preset manifest sent as the JSON body itself, with ?overwrite', async () => {
    const manifest = { apiVersion: 'maintenance/v1', kind: 'Preset', metadata: { name: 'raw-json' }, spec: { selector: { names: ['code-smell'] } } };
    await request(http).post('/api/v1/presets/import').send(manifest).expect(201);
    await request(http).post('/api/v1/presets/import').send(manifest).expect(409);
    manifest.spec.selector.names = ['log-cleanup'];
    await request(http).post('/api/v1/presets/import?overwrite=true').send(manifest).expect(201);
    expect((await request(http).get('/api/v1/presets/raw-json')).body.scenarios).toEqual(['log-cleanup']);
    const broken = await request(http).post('/api/v1/presets/import?source=p.yaml').set('content-type', 'application/yaml').send('apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: odd}\nspec: {selector: {tags: [a]}, extra: 1}\n').expect(400);
    expect(broken.body.message).toMatch(/^p\.yaml:4: spec\.extra/);
    await request(http).post('/api/v1/presets/import').send({ colour: 'red' }).expect(400);
  });

  it('refuses a 10 MB body', async () => {
    const before = await presetIds();
    await request(http).post('/api/v1/presets/import').set('content-type', 'application/json').send(JSON.stringify({ document: 'x'.repeat(10_000_000) })).expect(413);
    expect(await presetIds()).toEqual(before);
  });
});
