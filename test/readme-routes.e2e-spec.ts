/**
 * README.md and the API cannot drift: every row of the README's REST API table is called against a real
 * server and must answer 2xx with the answer fields the row names; the request fields a row names must be
 * in the route's OpenAPI body schema; and every route the server documents must have its row. The
 * README's Policy example must be manifests/policy.yaml's spec.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { parseManifests } from '../src/presets/manifest';
import { quietWeekday, startTestSystem, type TestSystem } from './support/system';

const ROOT = join(__dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** One row of the table: a method, a path under /api/v1, and the fields it names. */
interface RouteRow {
  method: string;
  path: string;
  requestFields: string[];
  answerFields: string[];
}

/** The text of a `## Title` section, up to the next one. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The top-level keys of a `{...}` sketch such as `{"success":true,"scenario":id}` or `{ttl?, reason?}`. */
function sketchKeys(sketch: string): string[] {
  const inner = sketch.trim().replace(/^\{/, '').replace(/\}$/, '');
  const pieces: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of inner) {
    if (char === '[' || char === '{') depth++;
    if (char === ']' || char === '}') depth--;
    if (char === ',' && depth === 0) {
      pieces.push(current);
      current = '';
    } else current += char;
  }
  pieces.push(current);
  return pieces.map((piece) => /^\s*"?([A-Za-z_]\w*)"?\??/.exec(piece)?.[1]).filter((key): key is string => Boolean(key));
}

/** The first backticked `{...}` of a piece of a cell. */
function firstSketch(text: string): string | null {
  return /`(\{[^`]*\})`/.exec(text)?.[1] ?? null;
}

/** The rows of the README's REST API table. */
function readmeRoutes(): RouteRow[] {
  const rows = section('REST API').split('\n').filter((line) => /^\|\s*[A-Z]/.test(line) && !/^\|\s*method\s*\|/.test(line));
  return rows.flatMap((line) => {
    const [methods, pathCell, text = ''] = line.split(' | ').map((cell) => cell.replace(/^\|\s*/, '').trim());
    const path = /^`([^`]+)`$/.exec(pathCell)?.[1];
    if (!path) throw new Error(`README route row has no single backticked path: ${line}`);
    const [before, after] = text.includes('→') ? text.split('→', 2) : ['', null];
    const request = firstSketch(before);
    const answer = after === null ? null : firstSketch(after);
    return methods.split(',').map((method) => ({
      method: method.trim(),
      path,
      requestFields: request ? sketchKeys(request) : [],
      answerFields: answer ? sketchKeys(answer) : [],
    }));
  });
}

/** How to call one route for real: path parameters, a body, and what to set up or undo around the call. */
interface Sample {
  params?: Record<string, string>;
  body?: unknown | (() => Promise<unknown>);
  before?: () => Promise<unknown>;
  after?: () => Promise<unknown>;
  /** The answer is a stream: only its status and headers are read. */
  stream?: boolean;
}

const fleetSpecs = [
  { id: 'code-smell', service: { tags: ['quality'] } },
  { id: 'health-checker', service: { tags: ['essential'] } },
  { id: 'log-cleanup', service: { tags: ['essential'] } },
];

describe('README REST API table', () => {
  let system: TestSystem;
  let openapi: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>; components: { schemas: Record<string, Schema> } };
  beforeAll(async () => {
    system = await startTestSystem({ specs: fleetSpecs });
    openapi = await (await fetch(`${system.url}/api/docs-json`)).json();
  });
  afterAll(() => system.stop());

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.url}/api/v1${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return response;
  };
  const schedule = (name: string) => call('PUT', `/schedules/${name}`, { preset: 'security', cron: `0 2 * * ${quietWeekday()}`, duration: '1h' });
  const preset = (name: string) => call('POST', '/presets/import?overwrite=true', { apiVersion: 'maintenance/v1', kind: 'Preset', metadata: { name }, spec: { selector: { tags: ['quality'] } } });
  const endpoint = () => `http://127.0.0.1:${system.fleet.scenarios[0].port}`;

  /** A real call per route; a new README row with a path parameter or a required body needs its sample here. */
  const SAMPLES: Record<string, Sample> = {
    'GET /scenarios/{id}': { params: { id: 'code-smell' } },
    'GET /scenarios/{id}/explain': { params: { id: 'code-smell' } },
    'POST /scenarios/{id}/activate': { params: { id: 'code-smell' }, body: { ttl: 600, reason: 'readme' }, after: () => call('POST', '/scenarios/code-smell/deactivate') },
    'POST /scenarios/{id}/deactivate': { params: { id: 'code-smell' } },
    'GET /presets/{id}': { params: { id: 'full' } },
    'POST /presets/{id}/apply': { params: { id: 'minimal' }, body: { confirm: true } },
    'POST /presets/{id}/remove': { params: { id: 'minimal' }, body: { confirm: true } },
    'POST /presets': { body: { name: 'readme-selector', selector: { tags: ['quality'] } } },
    'POST /presets/import': { body: { document: 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: readme-imported}\nspec: {selector: {tags: [essential]}}\n' } },
    'GET /presets/{id}/export': { params: { id: 'full' } },
    'DELETE /presets/{id}': { params: { id: 'readme-doomed' }, before: () => preset('readme-doomed') },
    'PUT /desired-state': { body: { presets: [], overrides: {}, confirm: true } },
    'POST /plan': { body: { presets: ['minimal'] } },
    'POST /apply': { body: { manifests: 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec: {presets: []}\n', dryRun: true } },
    'POST /stop-all': { after: () => call('POST', '/resume') },
    'PUT /policy': { body: async () => ({ spec: (await (await call('GET', '/policy')).json()).policy }) },
    'POST /schedules': { body: { name: 'readme-window', preset: 'security', cron: `0 2 * * ${quietWeekday()}`, duration: '1h' }, before: () => call('DELETE', '/schedules/readme-window').catch(() => undefined) },
    'GET /schedules/{name}': { params: { name: 'readme-shown' }, before: () => schedule('readme-shown') },
    'PUT /schedules/{name}': { params: { name: 'readme-put' }, body: { preset: 'security', cron: `0 2 * * ${quietWeekday()}`, duration: '1h' } },
    'DELETE /notifiers/{name}': { params: { name: 'readme-doomed' }, before: () => call('POST', '/apply', { manifests: 'apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: readme-doomed}\nspec: {type: webhook, url: "http://127.0.0.1:9/hook", events: [emergency.stop]}\n' }) },
    'POST /notifiers/{name}/test': { params: { name: 'readme-tested' }, before: () => call('POST', '/apply', { manifests: 'apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: readme-tested}\nspec: {type: webhook, url: "http://127.0.0.1:9/hook", events: [emergency.stop]}\n' }) },
    'DELETE /schedules/{name}': { params: { name: 'readme-doomed' }, before: () => schedule('readme-doomed') },
    'GET /events': { stream: true },
    'POST /registrations': { body: async () => ({ id: 'readme-registered', endpoint: endpoint(), ttlSeconds: 60 }) },
    'DELETE /registrations/{id}': { params: { id: 'readme-unregistered' }, before: () => call('POST', '/registrations', { id: 'readme-unregistered', endpoint: endpoint(), ttlSeconds: 60 }) },
  };

  const rows = readmeRoutes();

  it('has a row for every route the server documents under /api/v1, and only those', () => {
    const documented = Object.entries(openapi.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path.slice('/api/v1'.length)}`))
      .sort();
    expect(rows.length).toBeGreaterThan(25);
    expect(rows.map((row) => `${row.method} ${row.path}`).sort()).toEqual(documented);
  });

  it.each(rows.map((row) => [`${row.method} ${row.path}`, row] as const))('%s answers as its row says', async (key, row) => {
    const sample = SAMPLES[key] ?? {};
    const path = row.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = sample.params?.[name];
      if (value === undefined) throw new Error(`no sample value for {${name}} of ${key}: add one to SAMPLES`);
      return encodeURIComponent(value);
    });
    if (row.requestFields.length) expect({ key, fields: row.requestFields.filter((field) => !bodyFields(openapi, row).includes(field)) }).toEqual({ key, fields: [] });
    await sample.before?.();
    const body = typeof sample.body === 'function' ? await (sample.body as () => Promise<unknown>)() : sample.body;
    if (sample.stream) {
      const abort = new AbortController();
      const response = await fetch(`${system.url}/api/v1${path}`, { signal: abort.signal });
      expect([key, response.status, response.headers.get('content-type')]).toEqual([key, 200, expect.stringMatching(/^text\/event-stream/)]);
      abort.abort();
      return;
    }
    const response = await call(row.method, path, body);
    if (row.answerFields.length) {
      const answer = await response.json();
      expect({ key, missing: row.answerFields.filter((field) => !(field in answer)) }).toEqual({ key, missing: [] });
    }
    await sample.after?.();
  });
});

/** A JSON schema as far as this test reads it. */
interface Schema {
  $ref?: string;
  properties?: Record<string, unknown>;
  allOf?: Schema[];
  oneOf?: Schema[];
}

/** The property names of a route's JSON request body, following $ref, allOf and oneOf. */
function bodyFields(openapi: { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>>; components: { schemas: Record<string, Schema> } }, row: RouteRow): string[] {
  const operation = openapi.paths[`/api/v1${row.path}`]?.[row.method.toLowerCase()];
  const schema = operation?.requestBody?.content['application/json']?.schema;
  const fields = (node: Schema | undefined): string[] => {
    if (!node) return [];
    if (node.$ref) return fields(openapi.components.schemas[node.$ref.replace('#/components/schemas/', '')]);
    return [...Object.keys(node.properties ?? {}), ...(node.allOf ?? []).flatMap(fields), ...(node.oneOf ?? []).flatMap(fields)];
  };
  return fields(schema);
}

describe('README Policy example', () => {
  it('is manifests/policy.yaml (its spec), and every manifest in the section parses', () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(section('Manifests'))?.[1];
    expect(block).toBeDefined();
    expect(() => parseManifests(block!, 'README.md')).not.toThrow();
    const policy = parseAllDocuments(block!).map((document) => document.toJS()).find((document) => document?.kind === 'Policy');
    const shipped = parse(readFileSync(join(ROOT, 'manifests/policy.yaml'), 'utf8'));
    expect(policy.spec).toEqual(shipped.spec);
  });
});
