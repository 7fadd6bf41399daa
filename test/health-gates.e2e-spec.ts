/**
 * SPEC 11 health gates against the real servers: Debian's Alertmanager and Prometheus, started here on free
 * loopback ports. The HealthCheckService reads them and the pure planner's HealthCheck gate blocks new
 * activations with what it read; silences, queries that go empty and stopped servers change the verdict.
 */
import { DEFAULT_POLICY, type Policy } from '../src/presets/schema';
import type { HealthCheckSpec } from '../src/health/health-check-spec';
import { HealthCheckService, type HealthCheckResult, type TimerPort } from '../src/health/health-check.service';
import { PrometheusMetrics } from '../src/metrics/prometheus-metrics';
import { parseExposition, valueOf } from '../src/metrics/testing/exposition';
import { plan, type PlannableScenario } from '../src/reconciler/planner';
import { unknownRecord } from '../src/reconciler/types';
import { startAlertmanager, startGaugeExporter, startPrometheus, type GaugeExporter, type MonitoringServer } from './support/monitoring-servers';
import { eventually } from './support/system';

jest.setTimeout(90_000);

const scenario: PlannableScenario = { id: 'backup', weight: 'light', canDeactivate: true, conflictsWith: [], endpoint: 'http://127.0.0.1:1', endpointProblem: null };

/** One planner pass that wants `backup` active (it is inactive), with the service's current verdict. */
function planWith(health: HealthCheckService, policy: Policy) {
  const result = plan({
    now: Date.now(),
    scenarios: [scenario],
    desired: new Map([['backup', { state: 'active', source: { kind: 'preset', preset: 'full' } }]]),
    observed: new Map([['backup', { ...unknownRecord(), state: 'inactive', lastAck: 'inactive' }]]),
    policy,
    emergencyStop: null,
    denyWindows: [],
    host: null,
    health: health.verdict(),
  });
  return { verdict: result.verdicts.get('backup'), actions: result.actions };
}

/** A service over fixed checks, driven by readNow() (no timers), as the loop would read it. */
function serviceFor(checks: HealthCheckSpec[]) {
  const policy: Policy = { ...DEFAULT_POLICY, healthChecks: checks };
  return { policy, health: new HealthCheckService(() => policy.healthChecks, { allowedHosts: [], timeoutMs: 2_000 }) };
}

/** The gate lets the scenario through: the pass activates it. */
function expectActivation(pass: ReturnType<typeof planWith>): void {
  expect(pass.verdict).toMatchObject({ target: 'active', reason: 'Progressing' });
  expect(pass.actions).toEqual([{ scenario: 'backup', action: 'activate', because: 'preset full' }]);
}

async function readUntil(health: HealthCheckService, done: (result: HealthCheckResult) => boolean, what: string): Promise<HealthCheckResult> {
  let last: HealthCheckResult | undefined;
  await eventually(async () => done((last = (await health.readNow())[0])), `${what} (last: ${last?.message})`, 30_000);
  return last as HealthCheckResult;
}

describe('Alertmanager health check (real Alertmanager)', () => {
  let alertmanager: MonitoringServer;
  beforeAll(async () => {
    alertmanager = await startAlertmanager();
  });
  afterAll(() => alertmanager?.stop());

  async function postAlert(labels: Record<string, string>): Promise<void> {
    const endsAt = new Date(Date.now() + 10 * 60_000).toISOString();
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels, endsAt }]) });
    expect(response.status).toBe(200);
  }

  it('fails while a matching alert is active, blocks the gate naming it, and passes once the alert is silenced', async () => {
    const { policy, health } = serviceFor([{ type: 'alertmanager', name: 'pages', url: alertmanager.url, matchers: ['severity="critical"'], intervalMs: 30_000, onError: 'block' }]);
    expect((await health.readNow())[0]).toMatchObject({ ok: true, failing: [] });
    expect(planWith(health, policy).actions).toEqual([{ scenario: 'backup', action: 'activate', because: 'preset full' }]);

    await postAlert({ alertname: 'DiskAlmostFull', severity: 'warning', instance: 'db-1' }); // does not match the matcher
    await postAlert({ alertname: 'HighErrorRate', severity: 'critical', service: 'api' });
    const failing = await readUntil(health, (result) => !result.ok, 'the check to fail');
    expect(failing.failing).toEqual(['HighErrorRate{service="api",severity="critical"}']);
    expect(failing.readAt).toEqual(expect.any(Number));
    const blocked = planWith(health, policy);
    expect(blocked.verdict).toMatchObject({ target: 'inactive', reason: 'HealthCheck' });
    expect(blocked.verdict?.message).toContain('alertmanager check "pages"');
    expect(blocked.verdict?.message).toContain('HighErrorRate{service="api",severity="critical"}');
    expect(blocked.actions).toEqual([]);

    const silence = {
      matchers: [{ name: 'alertname', value: 'HighErrorRate', isRegex: false, isEqual: true }],
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'health-gates test',
      comment: 'known incident',
    };
    const silenced = await fetch(`${alertmanager.url}/api/v2/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(silence) });
    expect(silenced.status).toBe(200);
    await readUntil(health, (result) => result.ok, 'the silenced alert to pass the check');
    expectActivation(planWith(health, policy));
  });

  it('runs each check on its own interval from a timer port, follows policy changes, and reports to the metrics', async () => {
    let now = 1_000_000;
    let tick: () => void = () => undefined;
    const timer: TimerPort = { now: () => now, setInterval: (callback) => ((tick = callback), 'handle'), clearInterval: () => undefined };
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    let policy: Policy = { ...DEFAULT_POLICY, healthChecks: [{ type: 'alertmanager', name: 'slow', url: alertmanager.url, matchers: ['severity="page"'], intervalMs: 60_000, onError: 'block' }] };
    const health = new HealthCheckService(() => policy.healthChecks, { allowedHosts: [], timer, observer: metrics });
    const readAt = () => health.results().map((result) => [result.check, result.readAt]);

    expect(planWith(health, policy).verdict?.message).toContain('alertmanager check "slow" has not been read yet');
    health.start();
    await eventually(() => health.results()[0].readAt === 1_000_000, 'the first read at start');
    now += 30_000;
    tick();
    await health.settled();
    expect(readAt()).toEqual([['slow', 1_000_000]]); // not due yet: its interval is 60s
    now += 30_000;
    tick();
    await eventually(() => health.results()[0].readAt === 1_060_000, 'the read once the interval passed');

    // A new check joins on the next tick; the removed one leaves the results and the metrics.
    policy = { ...policy, healthChecks: [{ type: 'prometheus', name: 'gone-server', url: 'http://127.0.0.1:1', query: 'up', intervalMs: 5_000, onError: 'allow' }] };
    tick();
    await eventually(() => health.results()[0]?.readAt === 1_060_000 && health.results()[0].check === 'gone-server', 'the new check read');
    health.stop();
    const samples = parseExposition(await metrics.render());
    expect(valueOf(samples, 'maintenance_health_check_up', { check: 'gone-server' })).toBe(0);
    expect(valueOf(samples, 'maintenance_health_check_failing', { check: 'gone-server' })).toBe(0);
    expect(valueOf(samples, 'maintenance_health_check_up', { check: 'slow' })).toBeUndefined();
  });

  it('fails with the status and a body summary when the URL answers an error, and follows onError', async () => {
    const url = `${alertmanager.url}/no-such-prefix`;
    const block = serviceFor([{ type: 'alertmanager', name: 'wrong-path', url, matchers: ['severity="critical"'], intervalMs: 30_000, onError: 'block' }]);
    const [result] = await block.health.readNow();
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/no-such-prefix\/api\/v2\/alerts/) });
    expect(planWith(block.health, block.policy).verdict?.message).toContain('alertmanager check "wrong-path" cannot be read: HTTP 404');
  });
});

describe('Prometheus health check (real Prometheus scraping an exporter of ours)', () => {
  let exporter: GaugeExporter;
  let prometheus: MonitoringServer;
  beforeAll(async () => {
    exporter = await startGaugeExporter('orders_queue_depth', 3);
    prometheus = await startPrometheus([exporter.target]);
  });
  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  const check = (onError: 'block' | 'allow', name = 'queue'): HealthCheckSpec => ({ type: 'prometheus', name, url: prometheus.url, query: 'orders_queue_depth > 100', intervalMs: 30_000, onError });

  it('passes while the query is empty, fails with the series and value once it is not, and passes again', async () => {
    const { policy, health } = serviceFor([check('block')]);
    // Wait for the first scrape so that an empty answer means "below the threshold", not "no data yet".
    await eventually(async () => (await (await fetch(`${prometheus.url}/api/v1/query?query=orders_queue_depth`)).json()).data.result.length === 1, 'the first scrape', 30_000);
    expect((await health.readNow())[0]).toMatchObject({ ok: true, failing: [] });

    exporter.set(250);
    const failing = await readUntil(health, (result) => !result.ok, 'the query to go non-empty');
    expect(failing.failing).toEqual(['orders_queue_depth{instance="' + exporter.target + '",job="exporter"} = 250']);
    const blocked = planWith(health, policy).verdict;
    expect(blocked).toMatchObject({ target: 'inactive', reason: 'HealthCheck' });
    expect(blocked?.message).toContain('query orders_queue_depth > 100 returned 1 series');
    expect(blocked?.message).toContain('= 250');

    exporter.set(3);
    await readUntil(health, (result) => result.ok, 'the query to go empty again');
    expectActivation(planWith(health, policy));
  });

  it('a query Prometheus rejects cannot be read, and says why', async () => {
    const { health } = serviceFor([{ ...check('block'), query: 'rate(orders_queue_depth[' } as HealthCheckSpec]);
    const [result] = await health.readNow();
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 400 from .*\/api\/v1\/query: .*parse error/) });
  });

  it('with Prometheus stopped, onError block holds activations and onError allow lets them through', async () => {
    const block = serviceFor([check('block', 'queue-block')]);
    const allow = serviceFor([check('allow', 'queue-allow')]);
    expect((await block.health.readNow())[0].ok).toBe(true);
    await prometheus.stop();

    const [blocking] = await block.health.readNow();
    expect(blocking).toMatchObject({ ok: false, error: expect.stringContaining('cannot reach') });
    expect(planWith(block.health, block.policy).verdict).toMatchObject({ target: 'inactive', reason: 'HealthCheck' });
    expect(planWith(block.health, block.policy).verdict?.message).toContain('prometheus check "queue-block" cannot be read: cannot reach');

    const [allowing] = await allow.health.readNow();
    expect(allowing).toMatchObject({ ok: true, error: expect.stringContaining('cannot reach') });
    expect(allowing.message).toContain('onError allow lets activations through');
    expectActivation(planWith(allow.health, allow.policy));
  });
});

describe('allowed hosts', () => {
  // 127.0.0.2 is not one of the loopback names the rule allows, and should the rule break, the call stays on this machine.
  it('a check on a host that neither loopback names nor ALLOWED_NOTIFY_HOSTS list is not called, and says so', async () => {
    const { policy, health } = serviceFor([{ type: 'prometheus', name: 'remote', url: 'http://127.0.0.2:9', query: 'up == 0', intervalMs: 30_000, onError: 'block' }]);
    const [result] = await health.readNow();
    expect(result).toMatchObject({ ok: false, error: 'host 127.0.0.2:9 is not allowed: only loopback and ALLOWED_NOTIFY_HOSTS (none set)' });
    expect(planWith(health, policy).verdict?.reason).toBe('HealthCheck');
  });
});
