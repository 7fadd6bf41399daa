/** The SDK against the real orchestrator: a scenario with no port on file registers, is driven, and leaves. */
import { eventually, startTestSystem, type TestSystem } from '../../test/support/system';
import { RegistrationClient } from '../../sdk/src';
import { startRegisteredScenario, type RegisteredScenario } from './main';

const TOKEN = 's3cret';

async function api(system: TestSystem, method: string, path: string, token = TOKEN): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(system.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a registered SDK scenario driven by the real orchestrator', () => {
  let system: TestSystem;
  let scenario: RegisteredScenario | null = null;
  beforeAll(async () => {
    system = await startTestSystem({ specs: [], env: { MAINTENANCE_TOKENS: `sdk:${TOKEN}` } });
  });
  afterAll(async () => {
    await scenario?.stop();
    await system.stop();
  });

  it('registers with the bearer token, renews before the TTL, is activated through the SDK route, and unregisters on stop', async () => {
    const work: string[] = [];
    scenario = await startRegisteredScenario({ id: 'log-shipper', orchestratorUrl: system.url, ttlSeconds: 2, token: TOKEN, onWork: (event) => void work.push(event) });
    expect(scenario.registered).toEqual({ ok: true, expiresAt: expect.any(String) });
    const listed = await api(system, 'GET', '/api/v1/registrations');
    expect(listed.body.registrations).toEqual([expect.objectContaining({ id: 'log-shipper', endpoint: scenario.url, ttlSeconds: 2 })]);
    // Twice the TTL: only the heartbeat keeps the registration (and so the scenario) listed.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect((await api(system, 'GET', '/api/v1/scenarios/log-shipper')).body).toMatchObject({ id: 'log-shipper', endpoint: scenario.url });

    expect((await api(system, 'POST', '/api/v1/scenarios/log-shipper/activate')).body).toMatchObject({ success: true, newState: 'active' });
    expect(scenario.maintenance.state).toBe('active');
    expect((await api(system, 'POST', '/api/v1/scenarios/log-shipper/deactivate')).body).toMatchObject({ success: true, newState: 'inactive' });
    expect(work).toEqual(['start', 'stop']);

    await scenario.stop();
    scenario = null;
    expect((await api(system, 'GET', '/api/v1/registrations')).body.registrations).toEqual([]);
  });

  it('reports a wrong token as the orchestrator refusing it', async () => {
    const client = new RegistrationClient({ orchestratorUrl: system.url, id: 'intruder', endpoint: 'http://127.0.0.1:1', token: 'wrong', onError: () => undefined });
    const outcome = await client.start();
    await client.stop();
    expect(outcome).toEqual({ ok: false, error: expect.stringContaining('answered 401') });
    await eventually(async () => ((await api(system, 'GET', '/api/v1/registrations')).body.registrations as unknown[]).length === 0, 'no registration');
  });
});
