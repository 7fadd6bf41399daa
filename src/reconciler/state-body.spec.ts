/**
 * SPEC 2, the scenario's side of the wire: the state call's body carries both `maintenanceState` and
 * `state`, since real scenarios read one key or the other. A plain HTTP server on 127.0.0.1 records what
 * arrives, including on the legacy route the client falls back to after a 404.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpScenarioClient, readLeaseExpiresAt } from './scenario-client';

/** One request as the server saw it. */
interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  body: string;
}

/** Records every request; answers 404 on the paths in `missing`, else 200 with the state it was sent. */
async function recordingServer(missing: string[] = []): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ method: req.method ?? '', path: req.url ?? '', contentType: req.headers['content-type'], body });
      if (missing.includes(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(body || '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the state call body', () => {
  const client = new HttpScenarioClient(2_000);
  afterAll(() => client.close());

  it.each(['active', 'inactive'] as const)('carries maintenanceState and state, both %s', async (state) => {
    const server = await recordingServer();
    try {
      const result = await client.setState({ id: 'recorded', endpoint: server.url, stateEndpoint: '/api/maintenance/state' }, state);
      expect(result).toEqual({ ok: true, reported: state });
      expect(server.received).toHaveLength(1);
      expect(server.received[0]).toMatchObject({ method: 'POST', path: '/api/maintenance/state', contentType: expect.stringMatching(/^application\/json/) });
      expect(JSON.parse(server.received[0].body)).toEqual({ maintenanceState: state, state });
    } finally {
      await server.close();
    }
  });

  it('sends the same body again on the legacy route after a 404', async () => {
    const server = await recordingServer(['/api/maintenance/state']);
    try {
      const result = await client.setState({ id: 'legacy', endpoint: server.url, stateEndpoint: '/api/maintenance/state' }, 'active');
      expect(result).toEqual({ ok: true, reported: 'active' });
      expect(server.received.map((request) => [request.method, request.path, JSON.parse(request.body)])).toEqual([
        ['POST', '/api/maintenance/state', { maintenanceState: 'active', state: 'active' }],
        ['POST', '/api/v1/maintenance/state', { maintenanceState: 'active', state: 'active' }],
      ]);
    } finally {
      await server.close();
    }
  });

  it('sends the activation lease in seconds on activations only, and reads the lease end the scenario reports', async () => {
    const leased = new HttpScenarioClient(2_000, 45_000);
    const server = await recordingServer();
    try {
      const address = { id: 'leased', endpoint: server.url, stateEndpoint: '/api/maintenance/state' };
      await leased.setState(address, 'active');
      await leased.setState(address, 'inactive');
      expect(server.received.map((request) => JSON.parse(request.body))).toEqual([
        { maintenanceState: 'active', state: 'active', leaseSeconds: 45 },
        { maintenanceState: 'inactive', state: 'inactive' },
      ]);
    } finally {
      leased.close();
      await server.close();
    }
  });
});

describe('leaseExpiresAt in a state body', () => {
  it.each([
    ['{"maintenanceState":"active","leaseExpiresAt":"2026-12-07T20:15:30.000Z"}', Date.parse('2026-12-07T20:15:30.000Z')],
    ['{"data":{"maintenanceState":"active","leaseExpiresAt":"2026-12-07T20:15:30Z"}}', Date.parse('2026-12-07T20:15:30.000Z')],
    ['{"maintenanceState":"active"}', null],
    ['{"maintenanceState":"active","leaseExpiresAt":"soon"}', null],
    ['{"maintenanceState":"active","leaseExpiresAt":12}', null],
    ['leaseExpiresAt, not JSON', null],
  ])('%s -> %p', (body, expected) => expect(readLeaseExpiresAt(body)).toBe(expected));
});
