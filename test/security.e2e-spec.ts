/**
 * Issue 16's inbound attacks, replayed against a real orchestrator (real demo fleet, real SQLite, real HTTP)
 * and shown refused: anonymous exposure, role escalation, tokens in URLs, browser attacks (text/plain,
 * DNS rebinding, foreign Origin), registration take-over and paths, caps, and the rate limit.
 */
import { spawn } from 'node:child_process';
import * as http from 'node:http';
import { join } from 'node:path';
import { AnonymousExposureRefused, loadConfig } from '../src/config/config';
import { startChild } from './support/child';
import { eventually, startTestSystem, type TestSystem } from './support/system';

const TOKENS = 'boss:admin:admin-secret-1,ops:operator:operator-secret-1,eye:viewer:viewer-secret-1,alpha:scenario:scenario-secret-1,ops2:operator:operator-secret-2';
const BEARER = { admin: 'admin-secret-1', operator: 'operator-secret-1', viewer: 'viewer-secret-1', scenario: 'scenario-secret-1', fresh: 'operator-secret-2' };

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** A raw request, so Host, Origin and Content-Type are exactly what an attacker would send. */
function send(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => {
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON (an event stream); the status says enough
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const json = (role: keyof typeof BEARER, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${BEARER[role]}`, 'content-type': 'application/json', ...extra });

describe('inbound security with tokens', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha' }, { id: 'bravo' }], env: { MAINTENANCE_TOKENS: TOKENS, MAX_REGISTRATIONS: '2', MAX_EVENT_CLIENTS: '2', RATE_LIMIT: '5/min' } });
  }, 30_000);
  afterAll(() => system?.stop());

  it('answers 401 JSON without a valid token, and 403 naming the role when it is too low', async () => {
    const none = await send(system.url, 'POST', '/api/v1/resume');
    expect(none).toEqual({ status: 401, body: { statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('valid token') } });
    const scenario = await send(system.url, 'POST', '/api/v1/resume', json('scenario'), '{}');
    expect(scenario.status).toBe(403);
    expect(scenario.body).toMatchObject({ statusCode: 403, error: 'Forbidden', message: expect.stringContaining('operator') });
    const viewer = await send(system.url, 'PUT', '/api/v1/policy', json('viewer'), '{"spec":{}}');
    expect(viewer.body).toMatchObject({ statusCode: 403, requiredRole: 'admin' });
  });

  it('judges every request of a keep-alive connection by its own header: a connection admitted once admits nothing else', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const ports = new Set<number>();
    const on = (method: string, path: string, headers: Record<string, string>, body?: string) =>
      new Promise<{ status: number; role?: unknown }>((resolve, reject) => {
        const req = http.request(new URL(path, system.url), { method, agent, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(body.length) } : {}) } }, (res) => {
          ports.add(res.socket.localPort as number);
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, role: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>).requiredRole : undefined }));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      expect(await on('GET', '/api/v1/status', json('viewer'))).toEqual({ status: 200, role: undefined });
      expect((await on('GET', '/api/v1/status', { authorization: 'Bearer viewer-secret-2' })).status).toBe(401);
      expect((await on('GET', '/api/v1/status', {})).status).toBe(401);
      expect(await on('PUT', '/api/v1/policy', json('viewer'), '{"spec":{}}')).toEqual({ status: 403, role: 'admin' });
      expect(await on('PUT', '/api/v1/policy', json('operator'), '{"spec":{}}')).toEqual({ status: 403, role: 'admin' });
      expect((await on('GET', '/api/v1/status', json('viewer'))).status).toBe(200);
      expect(ports.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('takes ?token= on GET /api/v1/events only', async () => {
    expect((await send(system.url, 'GET', `/api/v1/status?token=${BEARER.viewer}`)).status).toBe(401);
    expect((await send(system.url, 'POST', `/api/v1/stop-all?token=${BEARER.admin}`)).status).toBe(401);
    const events = await new Promise<number>((resolve) => {
      const req = http.get(new URL(`/api/v1/events?token=${BEARER.viewer}`, system.url), (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', () => undefined);
    });
    expect(events).toBe(200);
  });

  it('lets an operator apply a MaintenanceState but not a Policy (admin only)', async () => {
    const policy = 'apiVersion: maintenance/v1\nkind: Policy\nmetadata: {name: p}\nspec: {}\n';
    const refused = await send(system.url, 'POST', '/api/v1/apply', json('operator'), JSON.stringify({ manifests: policy, dryRun: true }));
    expect(refused.body).toMatchObject({ statusCode: 403, requiredRole: 'admin' });
    const state = 'apiVersion: maintenance/v1\nkind: MaintenanceState\nmetadata: {name: s}\nspec: {presets: [], overrides: {}}\n';
    expect((await send(system.url, 'POST', '/api/v1/apply', json('operator'), JSON.stringify({ manifests: state, dryRun: true }))).status).toBe(200);
  });

  it('refuses a registration that takes over a file-discovered id (409), names a path (400), or is not the scenario token own id (403)', async () => {
    const port = system.fleet.scenarios[0].port;
    const takeover = await send(system.url, 'POST', '/api/v1/registrations', json('admin'), JSON.stringify({ id: 'bravo', endpoint: `http://127.0.0.1:${port}`, ttlSeconds: 60 }));
    expect(takeover.status).toBe(409);
    const withPath = await send(system.url, 'POST', '/api/v1/registrations', json('admin'), JSON.stringify({ id: 'pathy', endpoint: `http://127.0.0.1:${port}/internal/admin/reset`, ttlSeconds: 60 }));
    expect(withPath.status).toBe(400);
    expect(withPath.body.message).toMatch(/origin only/);
    const other = await send(system.url, 'POST', '/api/v1/registrations', json('scenario'), JSON.stringify({ id: 'someone-else', endpoint: `http://127.0.0.1:${port}`, ttlSeconds: 60 }));
    expect(other.status).toBe(403);
    const week = await send(system.url, 'POST', '/api/v1/registrations', json('admin'), JSON.stringify({ id: 'long-lived', endpoint: `http://127.0.0.1:${port}`, ttlSeconds: 7 * 24 * 3600 }));
    expect(week.status).toBe(400);
  });

  it('caps registrations at MAX_REGISTRATIONS (429) while renewals go on', async () => {
    const port = system.fleet.scenarios[0].port;
    const register = (id: string) => send(system.url, 'POST', '/api/v1/registrations', json('admin'), JSON.stringify({ id, endpoint: `http://127.0.0.1:${port}`, ttlSeconds: 60 }));
    expect((await register('cap-one')).status).toBe(200);
    expect((await register('cap-two')).status).toBe(200);
    const third = await register('cap-three');
    expect(third.status).toBe(429);
    expect(third.body.message).toMatch(/MAX_REGISTRATIONS/);
    expect((await register('cap-one')).status).toBe(200);
    await send(system.url, 'DELETE', '/api/v1/registrations/cap-one', json('admin'));
    await send(system.url, 'DELETE', '/api/v1/registrations/cap-two', json('admin'));
  });

  it('refuses event clients beyond MAX_EVENT_CLIENTS with 503 JSON', async () => {
    const open: http.ClientRequest[] = [];
    const connect = () =>
      new Promise<{ status: number; body: string }>((resolve) => {
        const req = http.get(new URL('/api/v1/events', system.url), { headers: { authorization: `Bearer ${BEARER.viewer}` } }, (res) => {
          if (res.statusCode === 200) return resolve({ status: 200, body: '' });
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        });
        open.push(req);
      });
    expect((await connect()).status).toBe(200);
    expect((await connect()).status).toBe(200);
    const third = await connect();
    expect(third.status).toBe(503);
    expect(JSON.parse(third.body)).toMatchObject({ statusCode: 503, message: expect.stringContaining('MAX_EVENT_CLIENTS') });
    open.forEach((req) => req.destroy());
  });

  it('rate limits an actor on mutating routes (429 JSON) but never stop-all or resume', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await send(system.url, 'POST', '/api/v1/scenarios/alpha/deactivate', json('fresh'), '{}')).status);
    expect(statuses.slice(0, 5).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await send(system.url, 'POST', '/api/v1/scenarios/alpha/deactivate', json('fresh'), '{}');
    expect(limited.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('RATE_LIMIT') });
    for (let i = 0; i < 8; i++) {
      expect((await send(system.url, 'POST', '/api/v1/stop-all', json('fresh'), '{"reason":"drill"}')).status).toBe(200);
      expect((await send(system.url, 'POST', '/api/v1/resume', json('fresh'), '{}')).status).toBe(200);
    }
  });
});

describe('browser attacks on an anonymous loopback orchestrator', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha' }] });
  }, 30_000);
  afterAll(() => system?.stop());

  it('refuses a cross-origin text/plain POST with 415 and changes nothing', async () => {
    await send(system.url, 'POST', '/api/v1/stop-all', { 'content-type': 'application/json' }, '{"reason":"setup"}');
    const attack = await send(system.url, 'POST', '/api/v1/resume', { 'content-type': 'text/plain', origin: 'http://evil.example' }, '{}');
    expect(attack).toEqual({ status: 415, body: expect.objectContaining({ statusCode: 415, error: 'Unsupported Media Type' }) });
    const state = await send(system.url, 'GET', '/api/v1/desired-state');
    expect(state.body.emergencyStop).not.toBeNull();
    expect((await send(system.url, 'POST', '/api/v1/resume', { 'content-type': 'application/json' }, '{}')).status).toBe(200);
  });

  it('refuses a foreign Host with 421 (DNS rebinding) and a foreign Origin on a mutation with 403', async () => {
    const rebinding = await send(system.url, 'GET', '/api/v1/status', { host: 'attacker.example' });
    expect(rebinding.body).toMatchObject({ statusCode: 421, error: 'Misdirected Request' });
    const foreign = await send(system.url, 'POST', '/api/v1/stop-all', { origin: 'http://evil.example' });
    expect(foreign.body).toMatchObject({ statusCode: 403, message: expect.stringContaining('Origin') });
    const own = new URL(system.url);
    expect((await send(system.url, 'POST', '/api/v1/resume', { origin: `http://${own.host}` })).status).toBe(200);
    expect((await send(system.url, 'GET', '/api/v1/status', { host: `localhost:${own.port}` })).status).toBe(200);
  });

  it('accepts YAML only where the route documents it', async () => {
    const yaml = 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: yaml-one}\nspec: {scenarios: [alpha]}\n';
    // Past the guard (the parser answers on the manifest itself); on /apply the same bytes are 415.
    expect((await send(system.url, 'POST', '/api/v1/presets/import', { 'content-type': 'application/yaml' }, yaml)).status).not.toBe(415);
    expect((await send(system.url, 'POST', '/api/v1/apply', { 'content-type': 'application/yaml' }, yaml)).status).toBe(415);
  });

  it('drops an /events client that stops reading once 1 MB is waiting for it', async () => {
    const activity = system.server.orchestrator.activity;
    const before = activity.listenerCount('entry');
    const req = http.get(new URL('/api/v1/events?activityOnly=true', system.url));
    const response = await new Promise<http.IncomingMessage>((resolve) => req.on('response', resolve));
    response.pause(); // a client that never reads
    req.on('error', () => undefined);
    await eventually(() => activity.listenerCount('entry') === before + 1, 'the stream to subscribe');
    // Real entries, through the real log and SQLite: 16 MB, far beyond what the kernel's socket buffers hold.
    for (let i = 0; i < 4_000; i++) activity.record({ category: 'system', message: `flood ${i} ${'x'.repeat(4_000)}` }, { batch: true });
    await activity.flush();
    await eventually(() => activity.listenerCount('entry') === before, 'the slow client to be dropped', 20_000);
    req.destroy();
  }, 60_000);

  it('says anonymous in /status', async () => {
    expect((await send(system.url, 'GET', '/api/v1/status')).body.anonymous).toBe(true);
  });
});

describe('anonymous exposure', () => {
  it('refuses to bind off loopback without tokens, naming MAINTENANCE_TOKENS, unless ALLOW_ANONYMOUS=true', () => {
    expect(() => loadConfig({ MAINTENANCE_HOST: '0.0.0.0' })).toThrow(AnonymousExposureRefused);
    expect(() => loadConfig({ MAINTENANCE_HOST: '0.0.0.0' })).toThrow(/MAINTENANCE_TOKENS/);
    expect(loadConfig({ MAINTENANCE_HOST: '0.0.0.0', ALLOW_ANONYMOUS: 'true' }).allowAnonymous).toBe(true);
    expect(loadConfig({ MAINTENANCE_HOST: '0.0.0.0', MAINTENANCE_TOKENS: 'boss:admin-secret-1' }).tokens[0]).toMatchObject({ name: 'boss', role: 'admin' });
    expect(() => loadConfig({ MAINTENANCE_TOKENS: 'boss:root:admin-secret-1:x' })).not.toThrow();
    expect(() => loadConfig({ MAINTENANCE_TOKENS: 'x' })).toThrow(/MAINTENANCE_TOKENS/);
  });

  it('serves 0.0.0.0 anonymously with ALLOW_ANONYMOUS=true, warning at start and saying so in /status', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'mo-anon-'));
    const child = await startChild({ MAINTENANCE_HOST: '0.0.0.0', ALLOW_ANONYMOUS: 'true', LOG_LEVEL: 'info', SCENARIOS_DIR: dir, DATA_DIR: dir });
    try {
      const port = new URL(child.url).port;
      const status = await send(`http://127.0.0.1:${port}`, 'GET', '/api/v1/status');
      expect(status.body.anonymous).toBe(true);
      expect(child.output()).toMatch(/ALLOW_ANONYMOUS=true: serving 0\.0\.0\.0 without tokens/);
    } finally {
      child.process.kill('SIGTERM');
    }
  }, 30_000);

  it('exits 1 from the built server when asked to serve 0.0.0.0 anonymously', async () => {
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'src', 'launch.js')], {
      env: { PATH: process.env.PATH ?? '', MAINTENANCE_HOST: '0.0.0.0', MAINTENANCE_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/MAINTENANCE_TOKENS/);
  }, 30_000);
});

describe('TOKENS_FILE with hashes from `token hash`', () => {
  it('accepts the secret whose hash the CLI printed, with its role, and nothing else', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const secretHash = execFileSync(process.execPath, [join(__dirname, '..', 'bin', 'run.js'), 'token', 'hash'], { input: 'file-viewer-secret\n' }).toString().trim();
    expect(secretHash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const file = join(mkdtempSync(join(tmpdir(), 'mo-tokens-')), 'tokens.yaml');
    writeFileSync(file, `- name: filer\n  role: viewer\n  secretHash: "${secretHash}"\n`);
    const system = await startTestSystem({ specs: [{ id: 'alpha' }], env: { TOKENS_FILE: file } });
    try {
      const bearer = { authorization: 'Bearer file-viewer-secret' };
      expect((await send(system.url, 'GET', '/api/v1/whoami', bearer)).body).toEqual({ actor: 'filer', role: 'viewer', anonymous: false });
      expect((await send(system.url, 'GET', '/api/v1/status', bearer)).status).toBe(200);
      expect((await send(system.url, 'POST', '/api/v1/stop-all', bearer)).body).toMatchObject({ statusCode: 403, requiredRole: 'operator' });
      expect((await send(system.url, 'GET', '/api/v1/status', { authorization: 'Bearer file-viewer-secreT' })).status).toBe(401);
    } finally {
      await system.stop();
    }
    writeFileSync(file, '- name: broken\n  role: viewer\n  secretHash: "plain-text"\n');
    expect(() => loadConfig({ TOKENS_FILE: file })).toThrow(/^TOKENS_FILE: .*secretHash/);
  }, 30_000);
});
