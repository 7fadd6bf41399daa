import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { requestJson } from '../../test/support/fleet';
import { type ScenarioServer, type ScenarioServerOptions, startScenarioServer } from './scenario-server';
import { LEGACY_STATE_ENDPOINT } from './wire';

const STATE = '/api/maintenance/state';
const started: ScenarioServer[] = [];

async function scenario(options: Partial<ScenarioServerOptions> = {}): Promise<ScenarioServer> {
  const server = await startScenarioServer({ id: 'demo', ...options });
  started.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

/** The error code a refused fetch carries (undici wraps it in `cause`). */
async function connectionError(url: string): Promise<string | undefined> {
  try {
    await fetch(url);
    return undefined;
  } catch (error: unknown) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code;
  }
}

describe('scenario server: the wire', () => {
  it('starts inactive and round-trips a state set with the maintenanceState key', async () => {
    const s = await scenario();
    expect(await requestJson(s.url + STATE)).toEqual({
      status: 200,
      body: expect.objectContaining({ maintenanceState: 'inactive', state: 'inactive', canToggle: true, health: 'healthy' }),
    });
    const set = await requestJson(s.url + STATE, { maintenanceState: 'active' });
    expect(set).toEqual({ status: 200, body: expect.objectContaining({ success: true, maintenanceState: 'active' }) });
    expect((await requestJson(s.url + STATE)).body).toMatchObject({ maintenanceState: 'active' });
    expect(s.state).toBe('active');
  });

  it('accepts the state key alone and both keys together, as the orchestrator sends them', async () => {
    const s = await scenario({ initialState: 'active' });
    expect((await requestJson(s.url + STATE, { state: 'inactive' })).status).toBe(200);
    expect(s.state).toBe('inactive');
    expect((await requestJson(s.url + STATE, { maintenanceState: 'active', state: 'active' })).status).toBe(200);
    expect(s.state).toBe('active');
  });

  it.each([
    ['not JSON', '{nope'],
    ['an array', '[]'],
    ['no state key', '{"other":1}'],
    ['an unknown state', '{"maintenanceState":"on"}'],
    ['keys that disagree', '{"maintenanceState":"active","state":"inactive"}'],
  ])('answers 400 to %s and keeps its state', async (_label, body) => {
    const s = await scenario();
    const reply = await requestJson(s.url + STATE, body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ success: false });
    expect(s.state).toBe('inactive');
  });

  it('reports its state on /health', async () => {
    const s = await scenario({ initialState: 'active' });
    expect((await requestJson(`${s.url}/health`)).body).toMatchObject({ status: 'healthy', maintenanceState: 'active' });
  });

  it('serves only the legacy route when legacyOnly, so the default route 404s', async () => {
    const s = await scenario({ legacyOnly: true });
    expect((await requestJson(s.url + STATE)).status).toBe(404);
    expect((await requestJson(s.url + STATE, { state: 'active' })).status).toBe(404);
    expect((await requestJson(s.url + LEGACY_STATE_ENDPOINT, { state: 'active' })).status).toBe(200);
    expect((await requestJson(s.url + LEGACY_STATE_ENDPOINT)).body).toMatchObject({ maintenanceState: 'active' });
  });

  it('serves a custom stateEndpoint', async () => {
    const s = await scenario({ stateEndpoint: '/maintenance' });
    expect((await requestJson(`${s.url}/maintenance`, { state: 'active' })).status).toBe(200);
    expect((await requestJson(s.url + STATE)).status).toBe(404);
  });

  it('omits maintenanceState when silent, so the orchestrator sees Unknown', async () => {
    const s = await scenario({ silent: true, initialState: 'active' });
    const state = (await requestJson(s.url + STATE)).body as Record<string, unknown>;
    const health = (await requestJson(`${s.url}/health`)).body as Record<string, unknown>;
    expect(state).not.toHaveProperty('maintenanceState');
    expect(health).not.toHaveProperty('maintenanceState');
    expect(health.status).toBe('healthy');
  });
});

describe('scenario server: the protocol from the SDK', () => {
  it('serves the legacy route too when on the default route', async () => {
    const s = await scenario();
    expect((await requestJson(s.url + LEGACY_STATE_ENDPOINT, { state: 'active' })).status).toBe(200);
    expect((await requestJson(s.url + STATE)).body).toMatchObject({ maintenanceState: 'active', scenario: 'demo' });
  });

  it('refuses a call with an older X-Maintenance-Epoch with 409 and keeps its state', async () => {
    const s = await scenario();
    const post = (epoch: string, state: string) =>
      fetch(s.url + STATE, { method: 'POST', headers: { 'x-maintenance-epoch': epoch, 'x-maintenance-leader': `leader-${epoch}` }, body: JSON.stringify({ state }) });
    expect((await post('7', 'active')).status).toBe(200);
    const stale = await post('6', 'inactive');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ success: false, error: 'StaleEpoch', newestEpoch: 7, leader: 'leader-7' });
    expect(s.state).toBe('active');
    expect(s.stats()).toMatchObject({ posts: 2, epoch: 7, leader: 'leader-7' });
  });

  it('goes inactive on its own when its lease runs out, and records it in the history', async () => {
    const s = await scenario();
    const set = await requestJson(s.url + STATE, { maintenanceState: 'active', state: 'active', leaseSeconds: 0.2 });
    expect(set.body).toMatchObject({ maintenanceState: 'active', leaseExpiresAt: expect.any(String) });
    expect(s.stats().leaseExpiresAt).toBe((set.body as { leaseExpiresAt: string }).leaseExpiresAt);
    for (let waited = 0; s.state === 'active' && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.stats()).toMatchObject({ state: 'inactive', expiredLeases: 1, leaseExpiresAt: null });
    expect(s.stats().history.map((change) => change.via)).toEqual(['post', 'lease']);
  });

  it('stays active without a lease, as before leases existed', async () => {
    const s = await scenario();
    await requestJson(s.url + STATE, { state: 'active' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await requestJson(s.url + STATE)).body).not.toHaveProperty('leaseExpiresAt');
    expect(s.state).toBe('active');
  });
});

describe('scenario server: failure knobs', () => {
  it('answers 500 to every POST with failRate 1 and does not apply it', async () => {
    const s = await scenario({ failRate: 1 });
    for (let i = 0; i < 3; i += 1) {
      expect((await requestJson(s.url + STATE, { state: 'active' })).status).toBe(500);
    }
    expect(s.state).toBe('inactive');
    expect(s.stats()).toMatchObject({ posts: 3, failedPosts: 3, history: [] });
    expect((await requestJson(s.url + STATE)).status).toBe(200);
  });

  it('fails the fraction the random source says', async () => {
    const rolls = [0.1, 0.9];
    const s = await scenario({ failRate: 0.5, random: () => rolls.shift() ?? 0 });
    expect((await requestJson(s.url + STATE, { state: 'active' })).status).toBe(500);
    expect((await requestJson(s.url + STATE, { state: 'active' })).status).toBe(200);
  });

  it('delays every wire request but not the control routes', async () => {
    // A long delay, so that even a loaded test machine answers an undelayed route well within it.
    const s = await scenario({ delayMs: 600 });
    let began = Date.now();
    await requestJson(s.url + STATE);
    expect(Date.now() - began).toBeGreaterThanOrEqual(590);
    began = Date.now();
    await requestJson(s.url + STATE, { state: 'active' });
    expect(Date.now() - began).toBeGreaterThanOrEqual(590);
    began = Date.now();
    await requestJson(`${s.url}/__demo/stats`);
    expect(Date.now() - began).toBeLessThan(590);
  });

  it('does not apply a POST whose client gave up before the delay ended', async () => {
    const s = await scenario({ delayMs: 300 });
    await expect(
      fetch(s.url + STATE, { method: 'POST', body: '{"state":"active"}', signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(s.state).toBe('inactive');
  });

  it('closes its port when down and reopens on the same port with its state kept', async () => {
    const s = await scenario();
    await requestJson(s.url + STATE, { state: 'active' });
    const port = s.port;
    await s.setDown(true);
    expect(await connectionError(s.url + STATE)).toBe('ECONNREFUSED');
    await s.setDown(false);
    expect(s.port).toBe(port);
    expect((await requestJson(s.url + STATE)).body).toMatchObject({ maintenanceState: 'active' });
  });

  it('drops an open keep-alive connection when it goes down', async () => {
    const s = await scenario();
    const agent = new Agent({ keepAlive: true });
    const socket = await new Promise<Socket>((resolve) => {
      const req = request(`${s.url}${STATE}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(req.socket as Socket));
      });
      req.end();
    });
    expect(socket.destroyed).toBe(false);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await s.setDown(true);
    await closed;
    agent.destroy();
  });

  it('starts down with a reserved port when asked', async () => {
    const s = await scenario({ down: true });
    expect(s.isDown).toBe(true);
    expect(s.port).toBeGreaterThan(0);
    expect(await connectionError(`${s.url}/health`)).toBe('ECONNREFUSED');
    await s.setDown(false);
    expect((await requestJson(`${s.url}/health`)).status).toBe(200);
  });
});

describe('scenario server: control routes', () => {
  it('counts requests and keeps a bounded history', async () => {
    const s = await scenario({ historyLimit: 3 });
    for (const state of ['active', 'inactive', 'active', 'inactive'] as const) await requestJson(s.url + STATE, { state });
    await requestJson(`${s.url}/health`);
    const stats = (await requestJson(`${s.url}/__demo/stats`)).body;
    expect(stats).toMatchObject({ id: 'demo', state: 'inactive', posts: 4, gets: 1 });
    const { history, lastPostAt } = stats as { history: { state: string }[]; lastPostAt: string };
    expect(history.map((change) => change.state)).toEqual(['inactive', 'active', 'inactive']);
    expect(Date.parse(lastPostAt)).not.toBeNaN();
  });

  it('logs every call on the state route on arrival with its epoch and leader, and refuses an older epoch (409) after a newer one', async () => {
    const s = await scenario();
    const post = (state: string, epoch: string, leader: string) =>
      fetch(s.url + STATE, { method: 'POST', headers: { 'content-type': 'application/json', 'x-maintenance-epoch': epoch, 'x-maintenance-leader': leader }, body: JSON.stringify({ state }) }).then((r) => r.status);
    expect(await post('active', '4', 'orch-a')).toBe(200);
    expect(await post('inactive', '5', 'orch-b')).toBe(200);
    expect(await post('active', '4', 'orch-a')).toBe(409);
    expect(s.state).toBe('inactive');
    await fetch(s.url + STATE, { headers: { 'x-maintenance-epoch': '5', 'x-maintenance-leader': 'orch-b' } });
    const { calls } = s.stats();
    expect(calls.map(({ method, epoch, leader, status }) => ({ method, epoch, leader, status }))).toEqual([
      { method: 'POST', epoch: 4, leader: 'orch-a', status: 200 },
      { method: 'POST', epoch: 5, leader: 'orch-b', status: 200 },
      { method: 'POST', epoch: 4, leader: 'orch-a', status: 409 },
      { method: 'GET', epoch: 5, leader: 'orch-b', status: 200 },
    ]);
    expect(calls[0].seq).toBeLessThan(calls[1].seq);
  });

  it('changes behaviour and state at run time through /__demo/config', async () => {
    const s = await scenario();
    const reply = await requestJson(`${s.url}/__demo/config`, { failRate: 1, delayMs: 5, state: 'active' });
    expect(reply).toEqual({ status: 200, body: expect.objectContaining({ failRate: 1, delayMs: 5, state: 'active' }) });
    expect((await requestJson(s.url + STATE, { state: 'inactive' })).status).toBe(500);
    expect((await requestJson(`${s.url}/__demo/config`, { failRate: 2 })).status).toBe(400);
    expect((await requestJson(`${s.url}/__demo/config`, { silent: 'yes' })).status).toBe(400);
  });

  it('refuses bad options at construction', async () => {
    await expect(startScenarioServer({ id: 'x', failRate: 1.5 })).rejects.toThrow(/failRate/);
    await expect(startScenarioServer({ id: 'x', delayMs: -1 })).rejects.toThrow(/delayMs/);
  });
});
