/**
 * SPEC 12, the orchestrator's side of activation leases, in process against SDK-based demo scenarios on
 * loopback: activations carry `leaseSeconds`, the lease of every active scenario is renewed before it runs
 * out (none expires while the orchestrator lives), the scenario object shows `leaseExpiresAt`, and
 * ACTIVATION_LEASE=0 sends no lease at all.
 */
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';
import { demoSpecs, requestJson } from './support/fleet';

type Json = Record<string, any>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('activation leases, orchestrator side', () => {
  let system: TestSystem | null = null;
  afterEach(async () => {
    await system?.stop();
    system = null;
  });

  it('renews every active lease before it runs out, and shows when each one ends', async () => {
    // A 1.5 s lease and a slow resync: only renewals can keep these scenarios active for 5 s.
    system = await startTestSystem({ specs: demoSpecs(3), env: { ACTIVATION_LEASE: '1500ms', RESYNC_INTERVAL: '1h' } });
    const reply = await requestJson(`${system.url}/api/v1/presets/full/apply`, { confirm: true });
    expect(reply.status).toBe(200);
    expect(activeIds(system.fleet)).toHaveLength(3);
    await sleep(5_000);
    for (const id of ['demo-0001', 'demo-0002', 'demo-0003']) {
      const stats = system.fleet.stats(id);
      expect({ id, state: stats.state, expiredLeases: stats.expiredLeases }).toEqual({ id, state: 'active', expiredLeases: 0 });
      // The activation and at least one renewal per lease (1 start-up deactivation, 1 activation, >= 3 renewals).
      expect(stats.posts).toBeGreaterThanOrEqual(5);
      expect(stats.history.filter((change) => change.state === 'inactive')).toHaveLength(1); // only the start-up pass
    }
    const view = (await requestJson(`${system.url}/api/v1/scenarios/demo-0001`)).body as Json;
    const leaseEnd = Date.parse(view.leaseExpiresAt);
    expect(leaseEnd).toBeGreaterThan(Date.now());
    expect(leaseEnd).toBeLessThanOrEqual(Date.now() + 1_500);
    const timers = ((await requestJson(`${system.url}/api/v1/timers`)).body as Json).timers.map((timer: Json) => timer.name);
    expect(timers).toContain('reconciler.lease-renewal');

    await requestJson(`${system.url}/api/v1/scenarios/demo-0001/deactivate`, {});
    await eventually(() => system!.fleet.stateOf('demo-0001') === 'inactive', 'demo-0001 deactivated');
    const posts = system.fleet.stats('demo-0001').posts;
    await sleep(1_500);
    expect(system.fleet.stats('demo-0001').posts).toBe(posts); // nothing renews what should be inactive
    expect((await requestJson(`${system.url}/api/v1/scenarios/demo-0001`)).body).toMatchObject({ isActive: false, leaseExpiresAt: null });
  });

  it('stops renewing when the loop stops (a replica that is no longer leader), so leases run out', async () => {
    system = await startTestSystem({ specs: demoSpecs(2), env: { ACTIVATION_LEASE: '1500ms', RESYNC_INTERVAL: '1h' } });
    await requestJson(`${system.url}/api/v1/presets/full/apply`, { confirm: true });
    expect(activeIds(system.fleet)).toHaveLength(2);
    system.server.orchestrator.reconciler.stop();
    await eventually(() => activeIds(system!.fleet).length === 0, 'both leases run out', 5_000);
    expect(['demo-0001', 'demo-0002'].map((id) => system!.fleet.stats(id).expiredLeases)).toEqual([1, 1]);
  });

  it('sends no lease and renews nothing when ACTIVATION_LEASE is 0', async () => {
    system = await startTestSystem({ specs: demoSpecs(2), env: { ACTIVATION_LEASE: '0', RESYNC_INTERVAL: '1h' } });
    await requestJson(`${system.url}/api/v1/presets/full/apply`, { confirm: true });
    expect(activeIds(system.fleet)).toHaveLength(2);
    await sleep(2_000);
    const stats = system.fleet.stats('demo-0001');
    expect(stats).toMatchObject({ state: 'active', posts: 2, leaseExpiresAt: null });
    expect((await requestJson(`${system.url}/api/v1/scenarios/demo-0001`)).body).toMatchObject({ isActive: true, leaseExpiresAt: null });
  });
});
