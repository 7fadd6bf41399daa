/**
 * The reconcile loop against real demo scenarios on loopback: start-up, failures that must not stall the
 * fleet, every gate, TTL expiry and stop-all under a backlog.
 */
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';
import { demoSpecs, requestJson } from './support/fleet';

type Json = Record<string, any>;

async function post(system: TestSystem, path: string, body: unknown = {}): Promise<{ status: number; body: Json }> {
  return (await requestJson(`${system.url}/api/v1${path}`, body)) as { status: number; body: Json };
}
async function get(system: TestSystem, path: string): Promise<Json> {
  return (await requestJson(`${system.url}/api/v1${path}`)).body as Json;
}

describe('reconciler against a real fleet', () => {
  let system: TestSystem | null = null;
  afterEach(async () => {
    await system?.stop();
    system = null;
  });

  it('drives a scenario that is active at start-up inactive', async () => {
    system = await startTestSystem({ specs: demoSpecs(3, (spec, i) => ({ ...spec, initialState: i === 1 ? 'active' : 'inactive' })) });
    await eventually(() => system!.fleet.stateOf('demo-0002') === 'inactive', 'demo-0002 driven inactive');
    const scenario = await get(system, '/scenarios/demo-0002');
    expect(scenario).toMatchObject({ isActive: false, desiredState: 'inactive', observedState: 'inactive', reason: null });
  });

  it('keeps converging the others when one scenario is dead and one is slow', async () => {
    system = await startTestSystem({
      specs: demoSpecs(8, (spec, i) => ({ ...spec, down: i === 0, delayMs: i === 1 ? 5_000 : 0 })),
      env: { ACTION_TIMEOUT: '500ms' },
    });
    const reply = await post(system, '/presets/full/apply', { confirm: true });
    expect(reply.status).toBe(200);
    await eventually(() => activeIds(system!.fleet).length === 6, 'the six healthy scenarios active');
    expect(activeIds(system.fleet)).toEqual(['demo-0003', 'demo-0004', 'demo-0005', 'demo-0006', 'demo-0007', 'demo-0008']);
    const dead = await get(system, '/scenarios/demo-0001');
    expect(dead.reason).toBe('Unreachable');
    expect(dead.message).toContain('refused');
    await eventually(async () => (await get(system!, '/scenarios/demo-0002')).failures > 0, 'the slow call timed out');
    const slow = await get(system, '/scenarios/demo-0002');
    expect(slow.reason).toBe('Unreachable');
    expect(slow.message).toMatch(/no complete answer within 500 ms from http:\/\/127\.0\.0\.1:\d+/);
  });

  it('falls back to /api/v1/maintenance/state when the declared route is 404', async () => {
    system = await startTestSystem({ specs: [{ id: 'legacy', legacyOnly: true, service: { tags: ['old'] } }] });
    const reply = await post(system, '/scenarios/legacy/activate');
    expect(reply.body).toMatchObject({ success: true, newState: 'active' });
    expect(system.fleet.stateOf('legacy')).toBe('active');
  });

  it('blocks the second of two conflicting scenarios and names the first', async () => {
    system = await startTestSystem({
      specs: [
        { id: 'vacuum', service: { tags: ['db'], conflictsWith: ['backup'] } },
        { id: 'backup', service: { tags: ['db'] } },
        { id: 'lint', service: { tags: ['code'] } },
      ],
    });
    await post(system, '/scenarios/vacuum/activate');
    const reply = await post(system, '/presets/full/apply', { confirm: true });
    expect(reply.body.blocked).toEqual([expect.objectContaining({ scenario: 'backup', reason: 'Conflict', message: expect.stringContaining('vacuum') })]);
    expect(activeIds(system.fleet)).toEqual(['lint', 'vacuum']);
    const list = await get(system, '/scenarios');
    expect(list.scenarios.find((s: Json) => s.id === 'backup')).toMatchObject({ reason: 'Conflict', desiredState: 'active', isActive: false });
  });

  it('hands the single heavy slot over in id order when the holder is deactivated', async () => {
    system = await startTestSystem({
      specs: ['h-a', 'h-b', 'h-c'].map((id) => ({ id, service: { tags: ['heavy-work'], weight: 'heavy' as const } })),
      policy: { maxHeavy: 1 },
    });
    await post(system, '/presets/full/apply', { confirm: true });
    expect(activeIds(system.fleet)).toEqual(['h-a']);
    expect((await get(system, '/scenarios/h-b')).reason).toBe('ConcurrencyLimit');
    await post(system, '/scenarios/h-a/deactivate');
    await eventually(() => activeIds(system!.fleet).join() === 'h-b', 'h-b takes the slot');
  });

  it('waits under resource pressure with the figures, and goes when it clears', async () => {
    system = await startTestSystem({ specs: demoSpecs(1) });
    system.host.value = { cpuLoadPercent: 97, cpuSignal: 'psi-some-avg10', memoryPercent: 20 };
    const reply = await post(system, '/scenarios/demo-0001/activate');
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({ reason: 'ResourcePressure', message: expect.stringContaining('CPU pressure (PSI some avg10) 97%') });
    system.host.value = { cpuLoadPercent: 10, memoryPercent: 20 };
    await system.server.orchestrator.reconciler.resync();
    await eventually(() => system!.fleet.stateOf('demo-0001') === 'active', 'activation once the pressure is gone');
  });

  it('expires a TTL at that instant, with an activity entry', async () => {
    system = await startTestSystem({ specs: demoSpecs(1), env: { RESYNC_INTERVAL: '1h' } });
    const reply = await post(system, '/scenarios/demo-0001/activate', { ttl: '1s' });
    expect(reply.body).toMatchObject({ success: true, newState: 'active', activeUntil: expect.any(String) });
    await eventually(() => system!.fleet.stateOf('demo-0001') === 'inactive', 'TTL expiry', 5_000);
    const activity = await get(system, '/activity?scenario=demo-0001');
    expect(activity.entries.map((e: Json) => e.message).join('\n')).toMatch(/expired after 1s/);
  });

  it('asks for confirmation of a bulk change with the plan, and changes nothing without it', async () => {
    system = await startTestSystem({ specs: demoSpecs(5) });
    const refused = await post(system, '/presets/full/apply');
    expect(refused.status).toBe(428);
    expect(refused.body.plan.touched).toHaveLength(5);
    expect((await get(system, '/desired-state')).presets).toEqual([]);
    expect(activeIds(system.fleet)).toEqual([]);
  });

  it('stop-all abandons a backlog of slow activations and ends everything inactive', async () => {
    system = await startTestSystem({ specs: demoSpecs(24), env: { MAX_IN_FLIGHT: '8', ACTION_TIMEOUT: '10s' } });
    for (const scenario of system.fleet.scenarios) system.fleet.setDelay(scenario.id, 1_000);
    void post(system, '/presets/full/apply', { confirm: true });
    await eventually(() => activeIds(system!.fleet).length >= 8, 'the first activations landed', 10_000);
    const stop = await post(system, '/stop-all', { reason: 'incident 42' });
    expect(stop.body).toMatchObject({ emergencyStop: true, reason: 'incident 42', actor: 'local' });
    await eventually(() => activeIds(system!.fleet).length === 0, 'all inactive after stop-all', 15_000);
    const activationsSent = system.fleet.scenarios.filter((s) => system!.fleet.stats(s.id).history.some((h) => h.state === 'active')).length;
    expect(activationsSent).toBeLessThan(24); // the queued activations were abandoned, never sent
    const refused = await post(system, '/scenarios/demo-0001/activate');
    expect(refused.status).toBe(409);
    expect(refused.body.reason).toBe('EmergencyStop');
    await post(system, '/resume');
    expect(activeIds(system.fleet)).toEqual([]);
    expect((await get(system, '/status')).maintenanceState).toBe('inactive');
  });
});
