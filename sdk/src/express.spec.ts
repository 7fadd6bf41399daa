import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expressMiddleware } from './express';
import { MaintenanceSwitch } from './maintenance-switch';
import { LEGACY_STATE_PATH, STATE_PATH } from './protocol';

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real Express app on 127.0.0.1 with the SDK's middleware, optionally behind express.json(). */
async function app(withJsonParser: boolean, maintenance = new MaintenanceSwitch()): Promise<string> {
  const application = express();
  if (withJsonParser) application.use(express.json());
  application.use(expressMiddleware(maintenance));
  application.get('/hello', (_req, res) => void res.json({ hello: 'world' }));
  const server = await new Promise<Server>((resolve) => {
    const listening = application.listen(0, '127.0.0.1', () => resolve(listening));
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.each([
  ['without a body parser', false],
  ['behind express.json()', true],
])('Express adapter %s', (_label, withJsonParser) => {
  it('serves both state paths and both keys, and passes other routes on', async () => {
    const maintenance = new MaintenanceSwitch();
    const url = await app(withJsonParser, maintenance);
    expect(await post(url + STATE_PATH, { maintenanceState: 'active', leaseSeconds: 30 })).toEqual({
      status: 200,
      body: expect.objectContaining({ success: true, maintenanceState: 'active', leaseExpiresAt: expect.any(String) }),
    });
    expect((await post(url + LEGACY_STATE_PATH, { state: 'inactive' })).body).toMatchObject({ maintenanceState: 'inactive', previousState: 'active' });
    expect(await (await fetch(url + LEGACY_STATE_PATH)).json()).toEqual({ maintenanceState: 'inactive', state: 'inactive' });
    expect(await (await fetch(`${url}/hello`)).json()).toEqual({ hello: 'world' });
    maintenance.close();
  });

  it('refuses an older epoch with 409 and a bad body with 400', async () => {
    const maintenance = new MaintenanceSwitch();
    const url = await app(withJsonParser, maintenance);
    await post(url + STATE_PATH, { state: 'active' }, { 'x-maintenance-epoch': '10' });
    expect((await post(url + STATE_PATH, { state: 'inactive' }, { 'x-maintenance-epoch': '9' })).status).toBe(409);
    expect((await post(url + STATE_PATH, { state: 'sideways' })).status).toBe(400);
    expect(maintenance.state).toBe('active');
  });
});
