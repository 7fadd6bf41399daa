/**
 * Rollout limits end to end (SPEC 4 and 10): `maxActive: "25%"` lets a quarter of the fleet run at once, and
 * `maxFailures` stops a change's rollout once more of its activations failed than it allows: its other
 * activations wait with FailureBudget until resume (or the next change). Real demo scenarios on loopback,
 * one of them made to fail every activation; a real orchestrator.
 */
import request from 'supertest';
import { demoSpecs } from './support/fleet';
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';

describe('rollout limits', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: demoSpecs(8), policy: { maxActive: '25%', maxHeavy: null } });
  }, 30_000);
  afterAll(() => system?.stop());

  const http = () => system.server.app.getHttpServer();
  const scenario = async (id: string) => (await request(http()).get(`/api/v1/scenarios/${id}`).expect(200)).body as { reason: string | null; message: string | null; isActive: boolean };
  const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `demo-${String(from + i).padStart(4, '0')}`);

  it('maxActive "25%" runs a quarter of the fleet at once and says what the percentage comes to', async () => {
    const result = await request(http()).post('/api/v1/presets/full/apply').send({ confirm: true }).expect(200);
    expect(result.body.activated).toEqual(['demo-0001', 'demo-0002']);
    expect(result.body.blocked).toHaveLength(6);
    expect(activeIds(system.fleet)).toEqual(['demo-0001', 'demo-0002']);
    expect(await scenario('demo-0005')).toMatchObject({ reason: 'ConcurrencyLimit', message: 'maxActive 25% (2 of 8 scenarios) reached (demo-0001, demo-0002)' });
  });

  it('refuses a malformed percentage with a clear error and keeps the policy in force', async () => {
    const refused = await request(http()).put('/api/v1/policy').send({ spec: { maxActive: '250%' } }).expect(400);
    expect(refused.body.message).toMatch(/maxActive: must be a count .* or a percentage such as "25%" \(from 0% to 100%\), got "250%"/);
    expect((await request(http()).get('/api/v1/policy').expect(200)).body.policy).toMatchObject({ maxActive: '25%' });
  });

  it('holds the rest of a change once its failures exceed maxFailures, until resume', async () => {
    await request(http()).post('/api/v1/presets/full/remove').send({ confirm: true }).expect(200);
    await eventually(() => activeIds(system.fleet).length === 0, 'every scenario inactive after the preset went');
    system.fleet.configure('demo-0001', { failRate: 1 });
    await request(http()).put('/api/v1/policy').send({ spec: { maxActive: 2, maxHeavy: null, maxFailures: '10%' } }).expect(200);

    const postsBefore = ids(3, 8).map((id) => system.fleet.stats(id).posts);
    // The first wave is demo-0001 (fails) and demo-0002; 10% of 8 activations allows none to fail.
    await request(http()).post('/api/v1/presets/full/apply').send({ confirm: true }).expect(200);
    await eventually(async () => (await scenario('demo-0008')).reason === 'FailureBudget', 'the rest of the change held by FailureBudget');
    const held = await scenario('demo-0003');
    expect(held).toMatchObject({ isActive: false, reason: 'FailureBudget' });
    expect(held.message).toBe('change "apply-preset full": 1 of 8 activations failed, more than maxFailures 10% (0 of 8) allows; the others wait until the next change or resume');
    expect(await scenario('demo-0001')).toMatchObject({ isActive: false, reason: 'FailureBudget' });

    // Held means held: across several resyncs and past the failed one's backoff, nothing else is tried.
    const failedPosts = system.fleet.stats('demo-0001').failedPosts;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(system.fleet.stats('demo-0001').failedPosts).toBe(failedPosts);
    expect(activeIds(system.fleet).filter((id) => id !== 'demo-0002')).toEqual([]);
    expect(ids(3, 8).map((id) => system.fleet.stats(id).posts)).toEqual(postsBefore);

    // resume ends the change: the held activations go on, within maxActive.
    await request(http()).post('/api/v1/resume').expect(200);
    await eventually(() => system.fleet.stateOf('demo-0003') === 'active', 'demo-0003 activated after resume');
    expect(await scenario('demo-0004')).toMatchObject({ reason: 'ConcurrencyLimit' });
    const activity = (await request(http()).get('/api/v1/activity?limit=200').expect(200)).body.entries as { message: string }[];
    expect(activity.map((entry) => entry.message)).toContainEqual(expect.stringContaining('held by the failure budget of apply-preset full go on'));
  }, 30_000);
});
