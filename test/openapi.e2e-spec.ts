/**
 * The OpenAPI document served at /api/docs-json: valid OpenAPI 3 by a real validator
 * (@apidevtools/swagger-parser), listing every route of SPEC 6 and every route the app serves, with the
 * DTOs' schemas; and the browsable page at /api/docs.
 */
import request from 'supertest';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { startTestSystem, type TestSystem } from './support/system';

type Operation = { summary?: string; parameters?: { name: string; in: string }[]; requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> }; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };

/** SPEC 6: the six original routes, plus /health, /metrics, and the probes of issue #8. */
const SPEC_ROUTES: [string, string][] = [
  ['get', '/api/v1/scenarios'],
  ['post', '/api/v1/scenarios/{id}/activate'],
  ['post', '/api/v1/scenarios/{id}/deactivate'],
  ['get', '/api/v1/presets'],
  ['post', '/api/v1/presets/{id}/apply'],
  ['get', '/api/v1/status'],
  ['get', '/health'],
  ['get', '/metrics'],
  ['get', '/healthz'],
  ['get', '/readyz'],
];

/**
 * Validates with @apidevtools/swagger-parser in a child Node process: its parser is an ES module, which Node
 * loads with require() but Jest's module runtime does not. Resolves to the validator's verdict.
 */
function validateOpenApi(document: Document): Promise<{ valid: boolean; error?: string; version?: string }> {
  const script = `
    let text = '';
    process.stdin.on('data', (chunk) => (text += chunk));
    process.stdin.on('end', () => {
      require('@apidevtools/swagger-parser')
        .validate(JSON.parse(text))
        .then((api) => console.log(JSON.stringify({ valid: true, version: api.openapi })))
        .catch((error) => console.log(JSON.stringify({ valid: false, error: error.message })));
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', script], { cwd: join(__dirname, '..') }, (error, stdout, stderr) => {
      if (error) reject(new Error(`the validator did not run: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as { valid: boolean; error?: string });
    });
    child.stdin?.end(JSON.stringify(document));
  });
}

/** Routes the HTTP server really serves (Express's router), as OpenAPI paths; the docs' own routes and catch-all middleware (request logging) excluded. */
function servedRoutes(system: TestSystem): string[] {
  const express = system.server.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } };
  return express.router.stack
    .filter((layer) => layer.route && !layer.route.path.startsWith('/api/docs') && layer.route.path !== '/' && !layer.route.path.includes('{*'))
    .flatMap((layer) => Object.keys(layer.route!.methods).map((method) => `${method} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`))
    .sort();
}

describe('OpenAPI document', () => {
  let system: TestSystem;
  let http: Server;
  let document: Document;
  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha' }] });
    http = system.server.app.getHttpServer();
    const reply = await request(http).get('/api/docs-json').expect(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    document = reply.body as Document;
  });
  afterAll(() => system.stop());

  it('is valid OpenAPI 3 according to swagger-parser', async () => {
    expect(document.openapi).toMatch(/^3\./);
    await expect(validateOpenApi(document)).resolves.toEqual({ valid: true, version: document.openapi });
    // And the validator is not a rubber stamp: a dangling $ref is refused.
    const broken = structuredClone(document);
    broken.paths['/api/v1/scenarios'].get.responses['200'].content!['application/json'].schema.$ref = '#/components/schemas/Missing';
    await expect(validateOpenApi(broken)).resolves.toMatchObject({ valid: false, error: expect.stringMatching(/Missing/) });
  });

  it('lists every route of SPEC 6 with a summary', () => {
    for (const [method, path] of SPEC_ROUTES) {
      expect([method, path, document.paths[path]?.[method]?.summary]).toEqual([method, path, expect.any(String)]);
    }
  });

  it('lists every route the server serves, and nothing it does not', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`)).sort();
    const served = servedRoutes(system);
    expect(served.length).toBeGreaterThan(25);
    expect(documented).toEqual(served);
  });

  it('describes bodies, queries and answers from the same DTOs the validation pipe uses', () => {
    const activate = document.paths['/api/v1/scenarios/{id}/activate'].post;
    expect(activate.parameters).toContainEqual(expect.objectContaining({ name: 'id', in: 'path' }));
    expect(activate.requestBody).toMatchObject({ required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/ActivateDto' } } } });
    expect(Object.keys(document.components.schemas.ActivateDto.properties ?? {})).toEqual(['ttl', 'reason', 'breakGlass']);
    expect(activate.responses['200'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/ScenarioChangeDto');
    expect(activate.responses['409'].content?.['application/json'].schema.$ref).toBe('#/components/schemas/ErrorResponseDto');
    const list = document.paths['/api/v1/scenarios'].get;
    expect(list.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(['query:state', 'query:tag', 'query:q', 'query:offset', 'query:limit']);
    const scenario = document.components.schemas.ScenarioDto.properties ?? {};
    for (const field of ['id', 'name', 'displayName', 'description', 'tags', 'weight', 'endpoint', 'isActive', 'desiredState', 'observedState', 'reason', 'message', 'conditions', 'activeUntil', 'lastActive']) {
      expect([field, field in scenario]).toEqual([field, true]);
    }
    // SPEC 6: an emergency stop is never refused for want of a reason.
    expect(document.components.schemas.StopAllDto.required ?? []).toEqual([]);
    const apply = document.paths['/api/v1/presets/{id}/apply'].post;
    expect(Object.keys(apply.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '404', '409', '428']));
  });

  it('serves the browsable page at /api/docs', async () => {
    const page = await request(http).get('/api/docs').redirects(1).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('maintenance-orchestrator API');
    expect(page.text).toMatch(/swagger-ui/);
  });
});
