/**
 * Who the activity log says acted, against a real orchestrator and real demo scenarios: in anonymous
 * loopback mode a client names its user in `X-Maintenance-Actor` (`local:<name>`); with tokens the token's
 * name is the actor and the header counts for nothing.
 */
import { startTestSystem, type TestSystem } from './support/system';

interface Entry {
  actor: string;
  message: string;
  scenario: string | null;
}

/** A mutating call with optional extra headers; answers status and JSON body. */
async function post(system: TestSystem, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${system.url}/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The newest activity entry about an intent on `scenario` (category api). */
async function lastIntent(system: TestSystem, scenario: string, headers: Record<string, string> = {}): Promise<Entry> {
  const response = await fetch(`${system.url}/api/v1/activity?category=api&scenario=${scenario}&limit=1`, { headers });
  const { entries } = (await response.json()) as { entries: Entry[] };
  return entries[0];
}

describe('the actor recorded in anonymous loopback mode', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha' }, { id: 'bravo' }] });
  }, 30_000);

  afterAll(async () => {
    await system?.stop();
  });

  afterEach(async () => {
    await post(system, '/resume', {});
    await post(system, '/scenarios/alpha/deactivate', {});
  });

  it('is local:<name> when the request names its user in X-Maintenance-Actor', async () => {
    const reply = await post(system, '/scenarios/alpha/activate', { reason: 'vacuum' }, { 'X-Maintenance-Actor': 'alice' });
    expect(reply.status).toBe(200);
    await expect(lastIntent(system, 'alpha')).resolves.toMatchObject({ actor: 'local:alice', message: expect.stringContaining('activate requested') });
  });

  it('is local without the header', async () => {
    await post(system, '/scenarios/alpha/activate', {});
    await expect(lastIntent(system, 'alpha')).resolves.toMatchObject({ actor: 'local' });
  });

  it('records the name with an emergency stop, where the dashboard shows it', async () => {
    const reply = await post(system, '/stop-all', { reason: 'disk full' }, { 'X-Maintenance-Actor': 'bob.smith@example' });
    expect(reply.status).toBe(200);
    const status = (await (await fetch(`${system.url}/api/v1/status`)).json()) as { emergencyStop: { actor: string } };
    expect(status.emergencyStop.actor).toBe('local:bob.smith@example');
  });

  it.each([
    ['a space', 'alice smith'],
    ['a colon, which would forge a second level', 'alice:admin'],
    ['a quote', 'alice"'],
    ['more than 64 characters', 'a'.repeat(65)],
    ['a leading dash', '-alice'],
    ['nothing at all', ''],
  ])('ignores a name with %s and records local, never refusing the request', async (_, name) => {
    const reply = await post(system, '/scenarios/alpha/activate', {}, { 'X-Maintenance-Actor': name });
    expect(reply.status).toBe(200);
    await expect(lastIntent(system, 'alpha')).resolves.toMatchObject({ actor: 'local' });
  });
});

describe('the actor recorded with tokens', () => {
  let system: TestSystem;
  const auth = { authorization: 'Bearer s3cret-token' };

  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha' }], env: { MAINTENANCE_TOKENS: 'ops:s3cret-token' } });
  }, 30_000);

  afterAll(async () => {
    await system?.stop();
  });

  it('is the token name; X-Maintenance-Actor cannot stand in for it', async () => {
    const reply = await post(system, '/scenarios/alpha/activate', {}, { ...auth, 'X-Maintenance-Actor': 'mallory' });
    expect(reply.status).toBe(200);
    await expect(lastIntent(system, 'alpha', auth)).resolves.toMatchObject({ actor: 'ops' });
    await post(system, '/scenarios/alpha/deactivate', {}, auth);
  });

  it('still needs the token: the header alone is 401', async () => {
    const reply = await post(system, '/scenarios/alpha/activate', {}, { 'X-Maintenance-Actor': 'ops' });
    expect(reply.status).toBe(401);
  });
});
