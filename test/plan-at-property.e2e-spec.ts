/**
 * The property of issue 18: for random declarations (schedules of every kind in three zones, applied
 * presets, overrides with TTLs, a policy with limits and a cooldown) and a random instant T, `POST /plan
 * {at: T}` says exactly what the loop does when its (fake) clock reaches T: the same activations and
 * deactivations, and the same target, reason and message for every scenario. A real orchestrator and a
 * real fleet on loopback; only the clock is replaced.
 */
import fc from 'fast-check';
import request from 'supertest';
import type { Server } from 'node:http';
import { startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(240_000);

const BASE = Date.parse('2026-03-27T09:17:00Z'); // two days before Europe/Berlin springs forward
const SPECS = [
  { id: 'security-scanner', service: { tags: ['security'] } },
  { id: 'dependency-audit', service: { tags: ['security', 'audit'] } },
  { id: 'backup-manager', service: { tags: ['backup'] } },
  { id: 'log-rotation', service: { tags: ['rotation'] } },
  { id: 'performance-monitor', service: { tags: ['performance'] } },
];
const IDS = SPECS.map((spec) => spec.id);
const PRESETS = ['security', 'off-hours', 'performance', 'full'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'];

const scheduleArb = fc.record({
  kind: fc.constantFrom('allow', 'deny', 'blackout'),
  preset: fc.constantFrom(...PRESETS),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 15, 30, 45),
  days: fc.constantFrom('*', '1-5', '0,6', '5'),
  hours: fc.integer({ min: 1, max: 6 }),
  timeZone: fc.constantFrom(...ZONES),
});
const overrideArb = fc.record({ state: fc.constantFrom('active', 'inactive'), ttlMinutes: fc.option(fc.integer({ min: 1, max: 3 * 24 * 60 }), { nil: undefined }) });
const caseArb = fc.record({
  schedules: fc.array(scheduleArb, { maxLength: 4 }),
  presets: fc.subarray(PRESETS, { maxLength: 2 }),
  overrides: fc.dictionary(fc.constantFrom(...IDS), overrideArb, { maxKeys: 3 }),
  // Up to four days ahead (across the DST change), on any minute.
  aheadMinutes: fc.integer({ min: 0, max: 4 * 24 * 60 }),
});

describe('plan --at T is what the loop does at T', () => {
  let system: TestSystem;
  let http: Server;
  let now = BASE;
  beforeAll(async () => {
    system = await startTestSystem({ specs: SPECS, env: { RESYNC_INTERVAL: '1h', RATE_LIMIT: '100000/min' }, policy: { maxActive: 3, maxHeavy: 1, cooldownSeconds: 7200 }, overrides: { clock: () => now } });
    http = system.server.app.getHttpServer();
  });
  afterAll(() => system.stop());

  const settle = () => system.server.orchestrator.reconciler.waitForSettled(IDS, 10_000);

  /** Back to BASE with nothing declared and every scenario inactive. */
  async function reset(): Promise<void> {
    now = BASE;
    for (const schedule of (await request(http).get('/api/v1/schedules')).body.schedules) await request(http).delete(`/api/v1/schedules/${schedule.name}`).expect(200);
    await request(http).put('/api/v1/desired-state').send({ presets: [], overrides: {}, confirm: true }).expect(200);
    await settle();
  }

  it('holds for random declarations and instants', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (example) => {
        await reset();
        for (const [index, schedule] of example.schedules.entries()) {
          const body = { kind: schedule.kind, cron: `${schedule.minute} ${schedule.hour} * * ${schedule.days}`, duration: `${schedule.hours}h`, timeZone: schedule.timeZone, ...(schedule.kind === 'blackout' ? {} : { preset: schedule.preset }) };
          await request(http).put(`/api/v1/schedules/window-${index}`).send(body).expect(200);
        }
        const overrides = Object.fromEntries(Object.entries(example.overrides).map(([id, o]) => [id, { state: o.state, ...(o.ttlMinutes ? { ttl: `${o.ttlMinutes}m` } : {}) }]));
        await request(http).put('/api/v1/desired-state').send({ presets: example.presets, overrides, confirm: true }).expect(200);
        await settle();

        const at = BASE + example.aheadMinutes * 60_000;
        const planned = (await request(http).post('/api/v1/plan').send({ at: new Date(at).toISOString() }).expect(200)).body;

        now = at;
        const loop = system.server.orchestrator.reconciler;
        const actions = loop.runPass();
        const verdicts = Object.fromEntries([...loop.verdicts].map(([id, v]) => [id, { target: v.target, reason: v.reason, message: v.message }]));
        await settle();

        expect(planned.activate).toEqual(actions.filter((a) => a.action === 'activate').map((a) => a.scenario).sort());
        expect(planned.deactivate).toEqual(actions.filter((a) => a.action === 'deactivate').map((a) => a.scenario).sort());
        expect(Object.fromEntries(planned.scenarios.map((s: { id: string; target: string; reason: string | null; message: string | null }) => [s.id, { target: s.target, reason: s.reason, message: s.message }]))).toEqual(verdicts);
      }),
      { numRuns: 25, seed: 18, endOnFailure: true },
    );
  });
});
