/**
 * GET /metrics from a running orchestrator against a real fleet: the exposition passes `promtool check
 * metrics`, and after real activations, a gate refusal, a dead scenario, a schedule and a stop-all, every
 * metric says what the fleet and the API say.
 */
import request from 'supertest';
import type { Server } from 'node:http';
import { parseExposition, promtool, samplesOf, valueOf, type Sample } from '../src/metrics/testing/exposition';
import { eventually, startTestSystem, type TestSystem } from './support/system';

type ScenarioJson = { id: string; weight: string; isActive: boolean; desiredState: string; reason: string | null; activeUntil: string | null; observedState: string; endpoint: string | null };

const specs = [
  { id: 'alpha', service: { weight: 'light' as const } },
  { id: 'bravo', service: { weight: 'heavy' as const } },
  { id: 'charlie', service: { weight: 'heavy' as const } },
  { id: 'delta', service: { weight: 'heavy' as const } },
  { id: 'echo', down: true },
];
const GATES = ['EmergencyStop', 'WindowClosed', 'Conflict', 'ConcurrencyLimit', 'ResourcePressure', 'Cooldown', 'AwaitingConfirmation'];

describe('GET /metrics against a real fleet', () => {
  let system: TestSystem;
  let http: Server;
  const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
    const reply = await request(http).get('/metrics').expect(200);
    return { text: reply.text, samples: parseExposition(reply.text) };
  };
  const scenarios = async (): Promise<ScenarioJson[]> => (await request(http).get('/api/v1/scenarios').expect(200)).body.scenarios;

  beforeAll(async () => {
    system = await startTestSystem({ specs, env: { RESYNC_INTERVAL: '1h' } });
    http = system.server.app.getHttpServer();
    await request(http).post('/api/v1/scenarios/alpha/activate').send({ ttl: '1h', reason: 'metrics test' }).expect(200);
    await request(http).post('/api/v1/scenarios/bravo/activate').send({}).expect(200);
    await request(http).post('/api/v1/scenarios/charlie/activate').send({}).expect(200);
    // maxHeavy is 2 by default: the third heavy scenario is refused by the ConcurrencyLimit gate.
    const refused = await request(http).post('/api/v1/scenarios/delta/activate').send({}).expect(409);
    expect(refused.body.reason).toBe('ConcurrencyLimit');
    await eventually(async () => valueOf((await scrape()).samples, 'maintenance_workqueue_retries_total')! > 0, 'a retry of the dead scenario');
  });
  afterAll(() => system.stop());

  it('serves the text exposition that promtool accepts', async () => {
    const reply = await request(http).get('/metrics').expect(200);
    expect(reply.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const checked = await promtool(['check', 'metrics'], reply.text);
    expect({ code: checked.code, problems: checked.stdout + checked.stderr }).toEqual({ code: 0, problems: '' });
  });

  it('says per scenario what the API and the scenarios themselves say', async () => {
    const { samples } = await scrape();
    const views = await scenarios();
    expect(samplesOf(samples, 'maintenance_scenario_info').map((s) => s.labels.scenario).sort()).toEqual(views.map((v) => v.id));
    for (const view of views) {
      const id = { scenario: view.id };
      expect([view.id, samplesOf(samples, 'maintenance_scenario_info', id)[0].labels.weight]).toEqual([view.id, view.weight]);
      expect([view.id, valueOf(samples, 'maintenance_scenario_active', id)]).toEqual([view.id, view.isActive ? 1 : 0]);
      expect([view.id, valueOf(samples, 'maintenance_scenario_desired_active', id)]).toEqual([view.id, view.desiredState === 'active' ? 1 : 0]);
      expect([view.id, valueOf(samples, 'maintenance_scenario_reachable', id)]).toEqual([view.id, view.observedState === 'unreachable' ? 0 : 1]);
      const expiry = view.activeUntil ? Date.parse(view.activeUntil) / 1000 : undefined;
      expect([view.id, valueOf(samples, 'maintenance_scenario_ttl_expiry_timestamp_seconds', id)]).toEqual([view.id, expiry]);
      const blocked = samplesOf(samples, 'maintenance_scenario_blocked', id).map((s) => s.labels.gate);
      expect([view.id, blocked]).toEqual([view.id, view.reason && GATES.includes(view.reason) ? [view.reason] : []]);
      if (view.id !== 'echo') expect([view.id, view.isActive]).toEqual([view.id, system.fleet.stateOf(view.id) === 'active']);
    }
    const active = (id: string) => valueOf(samples, 'maintenance_scenario_active', { scenario: id });
    expect(['alpha', 'bravo', 'charlie', 'delta', 'echo'].map(active)).toEqual([1, 1, 1, 0, 0]);
    expect(valueOf(samples, 'maintenance_scenario_blocked', { scenario: 'delta', gate: 'ConcurrencyLimit' })).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_in_sync', { scenario: 'delta' })).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_in_sync', { scenario: 'alpha' })).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_in_sync', { scenario: 'echo' })).toBe(0);
    expect(valueOf(samples, 'maintenance_discovered_scenarios')).toBe(specs.length);
  });

  it('counts every call the scenarios received, by action and result, and shows which scenario keeps failing', async () => {
    const { samples } = await scrape();
    // Every call that reached a scenario succeeded here; only echo's (it is down) failed, without reaching it.
    const succeeded = samplesOf(samples, 'maintenance_scenario_transitions_total', { result: 'success' });
    const posts = specs.filter((spec) => !spec.down).reduce((sum, { id }) => sum + system.fleet.stats(id).posts, 0);
    expect(succeeded.reduce((sum, s) => sum + s.value, 0)).toBe(posts);
    // Start-up drives everything inactive once; alpha, bravo and charlie were then activated once each.
    expect(valueOf(samples, 'maintenance_scenario_transitions_total', { action: 'activate', result: 'success' })).toBe(3);
    const echoFailures = valueOf(samples, 'maintenance_scenario_transitions_total', { action: 'deactivate', result: 'failure' });
    expect(echoFailures).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'maintenance_workqueue_retries_total')).toBe(echoFailures);
    // Only echo (whose calls fail) has a failures series; the others have none at all.
    expect(samplesOf(samples, 'maintenance_scenario_consecutive_failures').map((s) => s.labels.scenario)).toEqual(['echo']);
    expect(valueOf(samples, 'maintenance_scenario_consecutive_failures', { scenario: 'echo' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'maintenance_scenario_action_duration_seconds_count', { action: 'activate' })).toBe(3);
  });

  it('counts passes, gate blocks and scans', async () => {
    const { samples } = await scrape();
    const passes = valueOf(samples, 'maintenance_reconcile_total', { result: 'success' })!;
    expect(passes).toBeGreaterThan(0);
    expect(valueOf(samples, 'maintenance_reconcile_total', { result: 'error' })).toBe(0);
    expect(valueOf(samples, 'maintenance_reconcile_errors_total')).toBe(0);
    expect(valueOf(samples, 'maintenance_reconcile_duration_seconds_count')).toBe(passes);
    expect(valueOf(samples, 'maintenance_gate_blocked_total', { gate: 'ConcurrencyLimit' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'maintenance_gate_blocked_total', { gate: 'Conflict' })).toBe(0);
    expect(valueOf(samples, 'maintenance_discovery_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(valueOf(samples, 'maintenance_discovery_errors_total')).toBe(0);
    expect(valueOf(samples, 'maintenance_emergency_stop_active')).toBe(0);
    expect(valueOf(samples, 'maintenance_workqueue_depth')).toBeGreaterThanOrEqual(0);
  });

  it('shows each schedule as the schedules API does', async () => {
    await request(http).post('/api/v1/schedules').send({ name: 'nightly-freeze', preset: 'full', cron: '0 3 * * *', duration: '1h', kind: 'deny' }).expect(201);
    const { schedules } = (await request(http).get('/api/v1/schedules').expect(200)).body as { schedules: { name: string; open: boolean; nextOpen: string | null }[] };
    const { samples } = await scrape();
    for (const schedule of schedules) {
      const labels = { schedule: schedule.name };
      expect(valueOf(samples, 'maintenance_window_open', labels)).toBe(schedule.open ? 1 : 0);
      expect(valueOf(samples, 'maintenance_window_next_open_timestamp_seconds', labels)).toBe(schedule.nextOpen ? Date.parse(schedule.nextOpen) / 1000 : undefined);
    }
    expect(valueOf(samples, 'maintenance_window_info', { schedule: 'nightly-freeze', preset: 'full', kind: 'deny' })).toBe(1);
    await request(http).delete('/api/v1/schedules/nightly-freeze').expect(200);
    expect(samplesOf((await scrape()).samples, 'maintenance_window_open')).toEqual([]);
  });

  it('follows a stop-all and a resume', async () => {
    await request(http).post('/api/v1/stop-all').send({ reason: 'metrics test' }).expect(200);
    let { samples } = await scrape();
    expect(valueOf(samples, 'maintenance_emergency_stop_active')).toBe(1);
    expect(samplesOf(samples, 'maintenance_scenario_active').map((s) => s.value)).toEqual([0, 0, 0, 0, 0]);
    expect(samplesOf(samples, 'maintenance_scenario_desired_active').map((s) => s.value)).toEqual([0, 0, 0, 0, 0]);
    expect(system.fleet.scenarios.filter((s) => system.fleet.stateOf(s.id) === 'active')).toEqual([]);
    await request(http).post('/api/v1/resume').send({}).expect(200);
    ({ samples } = await scrape());
    expect(valueOf(samples, 'maintenance_emergency_stop_active')).toBe(0);
  });
});
