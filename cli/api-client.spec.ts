import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiClient } from './api-client';
import { ApiError, UnreachableError } from './errors';

/** A stand-in server that records requests and answers from a table, to test the client's wire handling. */
async function fakeServer(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => resolve(text));
  });
}

describe('ApiClient', () => {
  const seen: { method?: string; url?: string; auth?: string; actor?: string | string[]; contentType?: string; body: string }[] = [];
  let server: { url: string; close: () => Promise<void> };

  beforeAll(async () => {
    server = await fakeServer(async (request, response) => {
      const { authorization: auth, 'x-maintenance-actor': actor, 'content-type': contentType } = request.headers;
      seen.push({ method: request.method, url: request.url, auth, actor, contentType, body: await readBody(request) });
      const json = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (request.url?.includes('/activate')) return json(409, { statusCode: 409, error: 'Conflict', message: 'blocked', code: 'Refused', reason: 'Conflict', scenario: 'x' });
      if (request.url?.includes('/export')) return void response.writeHead(200, { 'content-type': 'application/yaml' }).end('kind: Preset\n');
      if (request.url?.includes('/events')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(': connected\n\nevent: activity\ndata: {"id":7}\n\n');
        return void response.end();
      }
      if (request.url?.includes('/html')) return void response.writeHead(502).end('<html>Bad gateway</html>');
      return json(200, { ok: true });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => (seen.length = 0));

  it('builds URLs under /api/v1 (keeping a path prefix), encodes ids and sends the token', async () => {
    const client = new ApiClient({ url: `${server.url}/proxy/`, token: 's3cret' });
    await client.listScenarios({ state: 'active', tag: undefined });
    await client.deactivate('a b/c', { reason: 'why' });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/proxy/api/v1/scenarios?state=active', auth: 'Bearer s3cret' });
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/proxy/api/v1/scenarios/a%20b%2Fc/deactivate', body: '{"reason":"why"}' });
  });

  it('names its user in X-Maintenance-Actor on every request, the event stream included, made header-safe', async () => {
    const client = new ApiClient({ url: server.url, actor: 'John Smith' });
    await client.status();
    await client.resume();
    for await (const _ of await client.events()) void _;
    expect(seen.map((request) => request.actor)).toEqual(['John_Smith', 'John_Smith', 'John_Smith']);
    await new ApiClient({ url: server.url }).status();
    expect(seen.at(-1)?.actor).toBeUndefined();
  });

  it('sends stop-all without a reason as a POST with no body at all, and with one as JSON', async () => {
    const client = new ApiClient({ url: server.url });
    await client.stopAll();
    await client.stopAll('incident 42');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/stop-all', body: '', contentType: undefined });
    expect(seen[1]).toMatchObject({ method: 'POST', url: '/api/v1/stop-all', body: '{"reason":"incident 42"}', contentType: 'application/json' });
  });

  it('turns an error status into an ApiError carrying the JSON body', async () => {
    const error = await new ApiClient({ url: server.url }).activate('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, body: { reason: 'Conflict', code: 'Refused' } });
  });

  it('makes up a JSON error body from a non-JSON answer', async () => {
    const client = new ApiClient({ url: `${server.url}/html` });
    await expect(client.status()).rejects.toMatchObject({ status: 502, body: { statusCode: 502, message: 'HTTP 502 Bad Gateway: <html>Bad gateway</html>' } });
  });

  it('returns text for export and events as a stream', async () => {
    const client = new ApiClient({ url: server.url });
    expect(await client.exportPreset('p')).toBe('kind: Preset\n');
    const events = [];
    for await (const event of await client.events({ category: 'api' })) events.push(event);
    expect(events).toEqual([{ event: 'activity', data: '{"id":7}' }]);
    expect(seen.at(-1)?.url).toBe('/api/v1/events?category=api&activityOnly=true');
  });

  it('reports a closed port as unreachable', async () => {
    const closed = await fakeServer(() => undefined);
    await closed.close();
    const error = await new ApiClient({ url: closed.url }).status().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreachableError);
    expect((error as UnreachableError).reason).toBe('connection refused');
  });

  it('refuses URLs that are not http(s)', () => {
    expect(() => new ApiClient({ url: 'ftp://x' })).toThrow(/not an http/);
    expect(() => new ApiClient({ url: 'nonsense' })).toThrow(/not a valid URL/);
  });
});
