import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistrationClient, type RegistrationOptions } from './registration-client';

/** One call the stand-in orchestrator received. */
interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown> | null;
}

/** A small real HTTP server that records calls and answers like the orchestrator's registrations route. */
async function orchestrator(status = 200): Promise<{ url: string; calls: Recorded[]; server: Server }> {
  const calls: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text === '' ? null : (JSON.parse(text) as Record<string, unknown>);
      calls.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization, body });
      const expiresAt = new Date(Date.now() + Number(body?.ttlSeconds ?? 0) * 1000).toISOString();
      const reply = status === 200 ? { success: true, registration: { ...body, expiresAt } } : { statusCode: status, message: ['ttlSeconds must not be less than 1'] };
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  started.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, server };
}

const started: Server[] = [];
const clients: RegistrationClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.stop()));
  await Promise.all(started.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function client(options: Partial<RegistrationOptions> & { orchestratorUrl: string }): RegistrationClient {
  const made = new RegistrationClient({ id: 'vacuum', endpoint: 'http://127.0.0.1:15010', onError: () => undefined, ...options });
  clients.push(made);
  return made;
}

async function eventually(check: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RegistrationClient against a real HTTP server', () => {
  it('registers with id, origin endpoint and ttlSeconds, and the bearer token', async () => {
    const { url, calls } = await orchestrator();
    const outcome = await client({ orchestratorUrl: `${url}/`, ttlSeconds: 60, token: 'secret-1', tags: ['database'] }).start();
    expect(outcome).toEqual({ ok: true, expiresAt: expect.any(String) });
    expect(calls).toEqual([{
      method: 'POST',
      path: '/api/v1/registrations',
      authorization: 'Bearer secret-1',
      body: { id: 'vacuum', endpoint: 'http://127.0.0.1:15010', ttlSeconds: 60, tags: ['database'] },
    }]);
  });

  it('renews before the TTL passes, again and again', async () => {
    const { url, calls } = await orchestrator();
    const heartbeat = client({ orchestratorUrl: url, ttlSeconds: 1 });
    expect(heartbeat.renewEveryMs).toBeLessThan(1000);
    await heartbeat.start();
    await eventually(() => calls.length >= 3);
    expect(calls.every((call) => call.method === 'POST' && call.body?.id === 'vacuum')).toBe(true);
  });

  it('unregisters with DELETE on stop and sends nothing after', async () => {
    const { url, calls } = await orchestrator();
    const heartbeat = client({ orchestratorUrl: url, ttlSeconds: 1, id: 'log rotation' });
    await heartbeat.start();
    await heartbeat.stop();
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', path: '/api/v1/registrations/log%20rotation' });
    const count = calls.length;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(calls).toHaveLength(count);
  });

  it('reports a refused registration and keeps beating, since the orchestrator may come round', async () => {
    const { url, calls } = await orchestrator(400);
    const errors: string[] = [];
    const heartbeat = client({ orchestratorUrl: url, ttlSeconds: 1, onError: (error) => void errors.push(error.message) });
    const outcome = await heartbeat.start();
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining('answered 400') });
    await eventually(() => calls.length >= 2);
    expect(errors[0]).toMatch(/POST \/api\/v1\/registrations answered 400/);
  });

  it('reports an orchestrator that is not there', async () => {
    const { url, server } = await orchestrator();
    await new Promise((resolve) => server.close(resolve));
    const outcome = await client({ orchestratorUrl: url }).start();
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
  });

  it.each([
    ['an endpoint with a path', { endpoint: 'http://127.0.0.1:15010/api' }, /origin only/],
    ['an endpoint with credentials', { endpoint: 'http://user:pw@127.0.0.1:15010' }, /credentials/],
    ['a TTL that is not an integer', { ttlSeconds: 1.5 }, /ttlSeconds/],
    ['a TTL of zero', { ttlSeconds: 0 }, /ttlSeconds/],
    ['an orchestrator URL that is not one', { orchestratorUrl: 'localhost:3250' }, /orchestratorUrl|http/],
  ])('refuses %s at construction', (_label, options, message) => {
    expect(() => new RegistrationClient({ orchestratorUrl: 'http://127.0.0.1:3250', id: 'x', endpoint: 'http://127.0.0.1:1', ...options })).toThrow(message);
  });
});
