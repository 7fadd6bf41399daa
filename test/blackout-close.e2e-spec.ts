/**
 * SPEC 10: when a deny window or blackout closes, every pending desired activation converges at that
 * instant. The orchestrator's clock is set three seconds before a blackout closes and RESYNC_INTERVAL is
 * an hour, so only the timer set for the window edge can run the pass that activates the scenarios.
 */
import request from 'supertest';
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';

const CLOSES = Date.parse('2026-12-27T00:00:00Z');

describe('a blackout closing', () => {
  let system: TestSystem;
  let offset = 0;
  const clock = (): number => Date.now() + offset;
  beforeAll(async () => {
    offset = CLOSES - 3_000 - Date.now();
    system = await startTestSystem({
      specs: [
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'dependency-audit', service: { tags: ['security'] } },
        { id: 'backup-manager', service: { tags: ['backup'] } },
      ],
      env: { RESYNC_INTERVAL: '1h' },
      overrides: { clock },
    });
  });
  afterAll(() => system.stop());

  it('activates every scenario that waited with WindowClosed in the pass fired by the closing edge', async () => {
    const http = system.server.app.getHttpServer();
    await request(http).post('/api/v1/schedules').send({ name: 'xmas-freeze', at: '2026-12-26T23:00:00Z', duration: '1h', kind: 'blackout' }).expect(201);
    await request(http).post('/api/v1/presets/security/apply').send({}).expect(200);
    expect(clock()).toBeLessThan(CLOSES);
    for (const id of ['security-scanner', 'dependency-audit']) {
      const scenario = (await request(http).get(`/api/v1/scenarios/${id}`).expect(200)).body;
      expect(scenario).toMatchObject({ desiredState: 'active', targetState: 'inactive', isActive: false, reason: 'WindowClosed', message: expect.stringContaining('blackout xmas-freeze') });
    }
    expect(activeIds(system.fleet)).toEqual([]);

    await eventually(() => activeIds(system.fleet).length === 2, 'both security scenarios activated after the blackout closed', 8_000);
    expect(activeIds(system.fleet)).toEqual(['dependency-audit', 'security-scanner']);
    const log = (await request(http).get('/api/v1/activity?limit=200').expect(200)).body.entries as { timestamp: string; message: string; scenario?: string }[];
    const closed = log.find((entry) => entry.message === 'window xmas-freeze closed');
    expect(closed).toBeDefined();
    expect(Date.parse(closed!.timestamp)).toBeGreaterThanOrEqual(CLOSES);
  });
});
