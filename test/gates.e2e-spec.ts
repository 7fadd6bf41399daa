/**
 * SPEC 4, end to end: WindowClosed and ResourcePressure hold back new activations only. Scenarios that
 * run when a deny window opens and the host gets busy keep running, while a new activation is refused
 * with the first gate in SPEC order. A real demo fleet, a real orchestrator, the host probe turned busy.
 */
import request from 'supertest';
import { eventually, startTestSystem, type TestSystem } from './support/system';

describe('gates hold back new activations only', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({
      specs: [
        { id: 'backup-manager', service: { tags: ['backup'] } },
        { id: 'database-vacuum', service: { tags: ['vacuum'] } },
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'dependency-audit', service: { tags: ['security'] } },
      ],
      // No resync during the test: every pass below is one the test causes and waits for.
      env: { RESYNC_INTERVAL: '1h' },
    });
  });
  afterAll(() => system.stop());

  const scenario = async (id: string) => (await request(system.server.app.getHttpServer()).get(`/api/v1/scenarios/${id}`).expect(200)).body;

  it('keeps running scenarios active when a deny window opens and the host gets busy, and refuses new ones', async () => {
    const http = system.server.app.getHttpServer();
    const { reconciler } = system.server.orchestrator;
    // backup-manager is in the deny window's preset (off-hours); security-scanner is not.
    await request(http).post('/api/v1/scenarios/backup-manager/activate').expect(200);
    await request(http).post('/api/v1/scenarios/security-scanner/activate').expect(200);
    expect([system.fleet.stateOf('backup-manager'), system.fleet.stateOf('security-scanner')]).toEqual(['active', 'active']);
    const running = () => ['backup-manager', 'security-scanner'].map((id) => ({ posts: system.fleet.stats(id).posts, history: system.fleet.stats(id).history }));
    const runningBefore = running();

    system.host.value = { cpuLoadPercent: 99, memoryPercent: 99 };
    await request(http).post('/api/v1/schedules').send({ name: 'freeze', preset: 'off-hours', cron: '* * * * *', duration: '5m', kind: 'deny' }).expect(201);
    // A resync reads every scenario again and plans with the window open and the host busy.
    await reconciler.resync();
    const pass = new Promise((resolve) => reconciler.once('pass', resolve));
    reconciler.request();
    await pass;

    for (const id of ['backup-manager', 'security-scanner']) {
      expect(await scenario(id)).toMatchObject({ id, isActive: true, desiredState: 'active', reason: null });
      expect(system.fleet.stateOf(id)).toBe('active');
    }
    // Not one call went to them: nothing deactivated them, even for a moment.
    expect(running()).toEqual(runningBefore);

    // New activations are refused, each by the first gate in SPEC order that blocks it.
    const vacuum = await request(http).post('/api/v1/scenarios/database-vacuum/activate').expect(409);
    expect(vacuum.body).toMatchObject({ reason: 'WindowClosed', message: expect.stringContaining('freeze') });
    const audit = await request(http).post('/api/v1/scenarios/dependency-audit/activate').expect(409);
    expect(audit.body).toMatchObject({ reason: 'ResourcePressure' });
    expect([system.fleet.stateOf('database-vacuum'), system.fleet.stateOf('dependency-audit')]).toEqual(['inactive', 'inactive']);

    // The refused ones go once the window closes and the host is quiet again; the running ones never stopped.
    await request(http).delete('/api/v1/schedules/freeze').expect(200);
    system.host.value = { cpuLoadPercent: 5, memoryPercent: 5 };
    await request(http).post('/api/v1/scenarios/database-vacuum/activate').expect(200);
    await eventually(() => system.fleet.stateOf('database-vacuum') === 'active', 'database-vacuum activated after the window closed');
    expect(running()).toEqual(runningBefore);
  });
});
