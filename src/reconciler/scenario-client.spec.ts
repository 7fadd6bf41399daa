import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startScenarioServer, type ScenarioServer } from '../../examples/demo-scenario/scenario-server';
import { Cancellation, HttpScenarioClient, readMaintenanceState, reasonGiven } from './scenario-client';

/** A real scenario server on 127.0.0.1 that fails every call with this status and body. */
async function failingWith(status: number, body: string, contentType = 'application/json'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('HttpScenarioClient against the demo scenario', () => {
  const servers: ScenarioServer[] = [];
  const client = new HttpScenarioClient(300);
  afterAll(async () => {
    client.close();
    await Promise.all(servers.map((server) => server.stop()));
  });
  const start = async (options: Parameters<typeof startScenarioServer>[0]) => {
    const server = await startScenarioServer({ port: 0, ...options });
    servers.push(server);
    return { server, address: { id: options.id, endpoint: server.url, stateEndpoint: '/api/maintenance/state' } };
  };

  it('sets and reads the state', async () => {
    const { server, address } = await start({ id: 'plain' });
    expect(await client.setState(address, 'active')).toEqual({ ok: true, reported: 'active' });
    expect(server.state).toBe('active');
    expect(await client.getState(address)).toEqual({ ok: true, reported: 'active' });
  });

  it('falls back to /api/v1/maintenance/state on 404', async () => {
    const { server, address } = await start({ id: 'legacy', legacyOnly: true });
    expect(await client.setState(address, 'active')).toMatchObject({ ok: true });
    expect(server.state).toBe('active');
    expect(await client.getState(address)).toEqual({ ok: true, reported: 'active' });
  });

  it('follows an endpoint that moved (a rescan found a new port)', async () => {
    const first = await start({ id: 'moving' });
    const second = await start({ id: 'moving' });
    expect(await client.setState(first.address, 'active')).toMatchObject({ ok: true });
    expect(await client.setState({ ...first.address, endpoint: second.server.url }, 'active')).toMatchObject({ ok: true });
    expect([first.server.state, second.server.state]).toEqual(['active', 'active']);
    // A path in the endpoint prefixes the state route; the demo serves none, so the call reaches a 404 there.
    const prefixed = await client.setState({ ...first.address, endpoint: `${first.server.url}/prefix/` }, 'inactive');
    expect(prefixed).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 404/) });
    expect(first.server.state).toBe('active');
  });

  it('walks away from a call when it is cancelled, before or while it is in flight', async () => {
    const { server, address } = await start({ id: 'cancelled', delayMs: 250 });
    const midway = new Cancellation();
    const call = client.setState(address, 'active', midway);
    setTimeout(() => midway.cancel(), 30);
    expect(await call).toEqual({ ok: false, unreachable: false, aborted: true, error: 'the call was abandoned' });
    const early = new Cancellation();
    early.cancel();
    expect(await client.setState(address, 'active', early)).toMatchObject({ ok: false, aborted: true });
    // The demo scenario applies a POST only if its client still waits when the delay ends.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.state).toBe('inactive');
  });

  it('reports unknown when the scenario says nothing about its state', async () => {
    const { address } = await start({ id: 'silent', silent: true });
    expect(await client.getState(address)).toEqual({ ok: true, reported: 'unknown' });
  });

  it('fails an action on a 500, a timeout, and a closed port, saying which', async () => {
    const failing = await start({ id: 'failing', failRate: 1 });
    expect(await client.setState(failing.address, 'active')).toMatchObject({ ok: false, unreachable: false, error: `HTTP 500 from ${failing.server.url}: injected failure (failRate)` });
    const slow = await start({ id: 'slow', delayMs: 2_000 });
    expect(await client.setState(slow.address, 'active')).toMatchObject({ ok: false, unreachable: true, error: `no complete answer within 300 ms from ${slow.server.url}` });
    const down = await start({ id: 'down', down: true });
    expect(await client.setState(down.address, 'active')).toMatchObject({ ok: false, unreachable: true, error: `connection refused by ${down.server.url}` });
  });

  it('never echoes a failing body: the status, the endpoint without credentials, and at most 200 characters of a JSON message', async () => {
    const secret = 'DB_PASSWORD=hunter2';
    const cases: [number, string, string, string][] = [
      [500, `${secret}\nstack trace...`, 'text/plain', ''],
      [500, JSON.stringify({ detail: secret, stack: secret }), 'application/json', ''],
      [503, JSON.stringify({ message: `warming up\n\u0000${'.'.repeat(400)}`, env: secret }), 'application/json', `: warming up ${'.'.repeat(189)}`],
      [502, JSON.stringify({ error: 'upstream down', secret }), 'application/json', ': upstream down'],
      [500, JSON.stringify([secret]), 'application/json', ''],
    ];
    for (const [status, body, type, reason] of cases) {
      const server = await failingWith(status, body, type);
      const endpoint = server.url.replace('http://', 'http://ops:s3cret@');
      const result = await client.setState({ id: `failing-${status}-${reason.length}`, endpoint, stateEndpoint: '/state' }, 'active');
      await server.close();
      expect(result).toEqual({ ok: false, unreachable: false, aborted: false, error: `HTTP ${status} from ${server.url}${reason}` });
      expect(JSON.stringify(result)).not.toMatch(/hunter2|s3cret/);
    }
  });

  it('takes a reason from a JSON message or error string only', () => {
    expect(reasonGiven('{"message":"a","error":"b"}')).toBe(': a');
    expect(reasonGiven('{"error":{"message":"nested"}}')).toBe('');
    expect(reasonGiven('{"message":"   "}')).toBe('');
    expect(reasonGiven('"just a string"')).toBe('');
    expect(reasonGiven('null')).toBe('');
    expect(reasonGiven('x'.repeat(1000))).toBe('');
  });

  it('reads maintenanceState from a body or says unknown', () => {
    expect(readMaintenanceState('{"maintenanceState":"inactive"}')).toBe('inactive');
    expect(readMaintenanceState('{"data":{"maintenanceState":"active"}}')).toBe('active');
    expect(readMaintenanceState('{"maintenanceState":"sleepy"}')).toBe('unknown');
    expect(readMaintenanceState('not json')).toBe('unknown');
  });
});
