/**
 * The one API contract (contract/openapi.json and its types, contract/api.d.ts) agrees with the server: the
 * committed files are what generating from the DTOs gives now, the document equals the one the server
 * publishes, and real answers of the main routes validate against the document's response schemas, strictly
 * (a field the DTO does not declare is a failure). The clients' side is the typecheck (`npm run typecheck`).
 */
import request from 'supertest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { startTestSystem, type TestSystem } from './support/system';

const ROOT = join(__dirname, '..');

/** The subset of JSON Schema (OpenAPI 3.0 flavour) that @nestjs/swagger writes for the DTOs. */
interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
}
type Operation = { responses: Record<string, { content?: Record<string, { schema: Schema }> }> };
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/**
 * Every way `value` breaks `schema`, as `path: problem` lines. Strict on objects: a property the schema does
 * not declare is an error unless additionalProperties allows it, so a field the server sends but no DTO
 * declares fails here.
 */
function violations(document: Document, schema: Schema, value: unknown, at = '$'): string[] {
  if (value === null && schema.nullable) return [];
  if (schema.$ref) return violations(document, document.components.schemas[schema.$ref.replace('#/components/schemas/', '')], value, at);
  if (schema.allOf) return schema.allOf.flatMap((part) => violations(document, part, value, at));
  if (schema.oneOf) return schema.oneOf.some((part) => violations(document, part, value, at).length === 0) ? [] : [`${at}: matches none of oneOf`];
  if (value === null) return [`${at}: null, but not nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`];
  const type = schema.type ?? (schema.properties ? 'object' : undefined);
  switch (type) {
    case 'string':
    case 'boolean':
      return typeof value === type ? [] : [`${at}: ${typeof value}, expected ${type}`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${typeof value}, expected number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)}, expected integer`];
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, index) => violations(document, schema.items ?? {}, item, `${at}[${index}]`)) : [`${at}: expected array`];
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected object`];
      const record = value as Record<string, unknown>;
      const properties = schema.properties ?? {};
      const problems = (schema.required ?? []).filter((name) => !(name in record)).map((name) => `${at}.${name}: required, missing`);
      for (const [name, field] of Object.entries(record)) {
        if (properties[name]) problems.push(...violations(document, properties[name], field, `${at}.${name}`));
        else if (typeof schema.additionalProperties === 'object') problems.push(...violations(document, schema.additionalProperties, field, `${at}.${name}`));
        else if (schema.additionalProperties !== true) problems.push(`${at}.${name}: not declared by the schema`);
      }
      return problems;
    }
    default:
      return [];
  }
}

/** The JSON schema of an operation's success answer. */
function responseSchema(document: Document, method: string, path: string, status: number): Schema {
  const schema = document.paths[path]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the document declares no JSON ${status} answer for ${method.toUpperCase()} ${path}`);
  return schema;
}

/** Runs the generator in check mode: resolves to its exit code and output. */
function checkGenerated(): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/generate-contract.js', '--check'], { cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('the API contract', () => {
  const document = JSON.parse(readFileSync(join(ROOT, 'contract', 'openapi.json'), 'utf8')) as Document;
  let system: TestSystem;
  let http: Server;
  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha', service: { tags: ['db'] } }, { id: 'beta' }] });
    http = system.server.app.getHttpServer();
  });
  afterAll(() => system.stop());

  it('is committed as generated: contract/ equals what the DTOs give now (`npm run contract` regenerates)', async () => {
    const result = await checkGenerated();
    expect(result.output).toContain('up to date');
    expect(result.code).toBe(0);
  });

  it('is the document the server publishes', async () => {
    const served = (await request(http).get('/api/docs-json').expect(200)).body as Document;
    expect(served).toEqual(document);
  });

  it('describes the real answers of the main routes, field by field', async () => {
    const calls: [method: 'get' | 'post', path: string, url: string, status: number, body?: object][] = [
      ['get', '/api/v1/scenarios', '/api/v1/scenarios', 200],
      ['get', '/api/v1/scenarios/{id}', '/api/v1/scenarios/alpha', 200],
      ['post', '/api/v1/scenarios/{id}/activate', '/api/v1/scenarios/alpha/activate', 200, { ttl: '1h', reason: 'contract' }],
      ['get', '/api/v1/desired-state', '/api/v1/desired-state', 200],
      ['get', '/api/v1/status', '/api/v1/status', 200],
      ['get', '/api/v1/presets', '/api/v1/presets', 200],
      ['get', '/api/v1/presets/active', '/api/v1/presets/active', 200],
      ['post', '/api/v1/presets', '/api/v1/presets', 201, { name: 'contract-db', tags: ['db'] }],
      ['get', '/api/v1/presets/{id}', '/api/v1/presets/contract-db', 200],
      ['post', '/api/v1/presets/{id}/apply', '/api/v1/presets/contract-db/apply', 200, {}],
      ['post', '/api/v1/presets/{id}/remove', '/api/v1/presets/contract-db/remove', 200, {}],
      ['post', '/api/v1/plan', '/api/v1/plan', 200, { presets: ['contract-db'] }],
      ['post', '/api/v1/plan', '/api/v1/plan', 200, { at: '+2h' }],
      ['get', '/api/v1/scenarios/{id}/explain', '/api/v1/scenarios/alpha/explain', 200],
      ['get', '/api/v1/scenarios/{id}/explain', '/api/v1/scenarios/alpha/explain?at=tomorrow%2002:00&tz=Europe/Berlin', 200],
      ['get', '/api/v1/timeline', '/api/v1/timeline', 200],
      ['post', '/api/v1/scenarios/{id}/deactivate', '/api/v1/scenarios/alpha/deactivate', 200, {}],
      ['get', '/api/v1/activity', '/api/v1/activity', 200],
      ['get', '/api/v1/schedules', '/api/v1/schedules', 200],
      ['get', '/api/v1/timers', '/api/v1/timers', 200],
      ['get', '/health', '/health', 200],
      ['post', '/api/v1/stop-all', '/api/v1/stop-all', 200, { reason: 'contract' }],
      ['get', '/api/v1/status', '/api/v1/status', 200],
      ['get', '/api/v1/desired-state', '/api/v1/desired-state', 200],
      ['post', '/api/v1/resume', '/api/v1/resume', 200, {}],
      ['get', '/api/v1/history', '/api/v1/history', 200],
      ['get', '/api/v1/policy', '/api/v1/policy', 200],
      ['post', '/api/v1/apply', '/api/v1/apply', 200, { dryRun: true, manifests: 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: contract-applied}\nspec: {selector: {names: [beta]}}\n' }],
      ['post', '/api/v1/presets/import', '/api/v1/presets/import', 201, { document: 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: contract-imported}\nspec: {selector: {tags: [db]}}\n' }],
    ];
    for (const [method, path, url, status, body] of calls) {
      const call = method === 'get' ? request(http).get(url) : request(http).post(url).send(body ?? {});
      const reply = await call.expect(status);
      expect({ route: `${method.toUpperCase()} ${url}`, problems: violations(document, responseSchema(document, method, path, status), reply.body) }).toEqual({ route: `${method.toUpperCase()} ${url}`, problems: [] });
    }
  });

  it('has a validator that refuses what the schema does not say', async () => {
    const schema = responseSchema(document, 'get', '/api/v1/scenarios/{id}', 200);
    const scenario = (await request(http).get('/api/v1/scenarios/beta').expect(200)).body as Record<string, unknown>;
    expect(violations(document, schema, scenario)).toEqual([]);
    expect(violations(document, schema, { ...scenario, undeclared: 1 })).toEqual(['$.undeclared: not declared by the schema']);
    const { isActive: _dropped, ...missing } = scenario;
    expect(violations(document, schema, missing)).toEqual(['$.isActive: required, missing']);
    expect(violations(document, schema, { ...scenario, weight: 'medium' })).toEqual(['$.weight: "medium" not in ["light","heavy"]']);
    expect(violations(document, schema, { ...scenario, conditions: [{ type: 'Ready' }] })).toContain('$.conditions[0].status: required, missing');
  });
});
