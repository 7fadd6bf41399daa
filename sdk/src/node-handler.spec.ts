import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MaintenanceSwitch, type MaintenanceSwitchOptions } from './maintenance-switch';
import { createNodeHandler, type StateRouteOptions } from './node-handler';
import { LEGACY_STATE_PATH, STATE_PATH } from './protocol';

const servers: Server[] = [];
const switches: MaintenanceSwitch[] = [];

afterEach(async () => {
  switches.splice(0).forEach((maintenance) => maintenance.close());
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real scenario on 127.0.0.1: the SDK's handler first, then the scenario's own routes. */
async function scenario(options: MaintenanceSwitchOptions = {}, route: StateRouteOptions = {}): Promise<{ url: string; maintenance: MaintenanceSwitch }> {
  const maintenance = new MaintenanceSwitch(options);
  const handle = createNodeHandler(maintenance, route);
  const server = createServer((req, res) => {
    if (handle(req, res)) return;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('own route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  switches.push(maintenance);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, maintenance };
}

async function call(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits (polling) until `check` holds; the lease tests wait for the real clock, never assert how fast. */
async function eventually(check: () => Promise<boolean>, limitMs = 5_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('node handler: the state route over real HTTP', () => {
  it.each([STATE_PATH, LEGACY_STATE_PATH])('serves %s with either payload key', async (path) => {
    const { url } = await scenario();
    expect(await call(url + path)).toEqual({ status: 200, body: { maintenanceState: 'inactive', state: 'inactive' } });
    expect(await call(url + path, { maintenanceState: 'active' })).toEqual({
      status: 200,
      body: { success: true, maintenanceState: 'active', state: 'active', previousState: 'inactive' },
    });
    expect((await call(url + path, { state: 'inactive' })).body).toMatchObject({ maintenanceState: 'inactive', previousState: 'active' });
    expect((await call(url + path, { maintenanceState: 'active', state: 'active' })).body).toMatchObject({ maintenanceState: 'active' });
    expect((await call(`${url}${path}?verbose=1`)).body).toMatchObject({ maintenanceState: 'active' });
  });

  it('leaves every other path to the scenario, and serves only the paths it is given', async () => {
    const { url } = await scenario({}, { paths: ['/maintenance'] });
    expect(await (await fetch(`${url}/other`)).text()).toBe('own route');
    expect(await (await fetch(url + STATE_PATH)).text()).toBe('own route');
    expect((await call(`${url}/maintenance`, { state: 'active' })).status).toBe(200);
  });

  it('answers bad bodies with 400 JSON and a body over 64 KiB with 413, changing nothing', async () => {
    const { url, maintenance } = await scenario();
    expect(await call(url + STATE_PATH, '{"state":"on"}')).toEqual({ status: 400, body: expect.objectContaining({ success: false, error: 'InvalidBody' }) });
    expect((await call(url + STATE_PATH, { state: 'active', pad: 'x'.repeat(70_000) })).status).toBe(413);
    expect(maintenance.state).toBe('inactive');
  });

  it('goes inactive on its own when a 0.2 s lease is not renewed, and calls onExpire', async () => {
    const expired: Date[] = [];
    const { url } = await scenario({ onExpire: ({ leaseExpiresAt }) => void expired.push(leaseExpiresAt) });
    const set = await call(url + STATE_PATH, { maintenanceState: 'active', state: 'active', leaseSeconds: 0.2 });
    expect(Date.parse(set.body.leaseExpiresAt as string)).not.toBeNaN();
    expect((await call(url + STATE_PATH)).body).toHaveProperty('leaseExpiresAt', set.body.leaseExpiresAt);
    await eventually(async () => (await call(url + STATE_PATH)).body.maintenanceState === 'inactive');
    expect((await call(url + STATE_PATH)).body).not.toHaveProperty('leaseExpiresAt');
    expect(expired.map((at) => at.toISOString())).toEqual([set.body.leaseExpiresAt]);
  });

  it('stays active while renewals keep coming, each one moving leaseExpiresAt on', async () => {
    const { url, maintenance } = await scenario();
    let last = (await call(url + STATE_PATH, { state: 'active', leaseSeconds: 0.4 })).body.leaseExpiresAt as string;
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const renewed = (await call(url + STATE_PATH, { state: 'active', leaseSeconds: 0.4 })).body;
      expect(renewed).toMatchObject({ maintenanceState: 'active', previousState: 'active' });
      expect(Date.parse(renewed.leaseExpiresAt as string)).toBeGreaterThan(Date.parse(last));
      last = renewed.leaseExpiresAt as string;
    }
    // The renewals spanned more than one lease: without them the scenario would have gone inactive.
    expect(maintenance.state).toBe('active');
  });

  it('keeps an activation without leaseSeconds active (the old behaviour)', async () => {
    const { url } = await scenario();
    await call(url + STATE_PATH, { state: 'active' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(url + STATE_PATH)).body).toEqual({ maintenanceState: 'active', state: 'active' });
  });

  it('refuses a call with an older X-Maintenance-Epoch with 409 JSON and records the leader', async () => {
    const { url, maintenance } = await scenario();
    const newer = { 'X-Maintenance-Epoch': '3', 'X-Maintenance-Leader': 'replica-b' };
    expect((await call(url + STATE_PATH, { state: 'active' }, newer)).status).toBe(200);
    const stale = await call(url + LEGACY_STATE_PATH, { state: 'inactive' }, { 'X-Maintenance-Epoch': '2', 'X-Maintenance-Leader': 'replica-a' });
    expect(stale).toEqual({ status: 409, body: expect.objectContaining({ error: 'StaleEpoch', epoch: 2, newestEpoch: 3, leader: 'replica-b' }) });
    expect(maintenance.state).toBe('active');
    expect(maintenance.fence).toEqual({ epoch: 3, leader: 'replica-b' });
  });
});
