/** The metrics class on its own: what each observer call counts, and that a scrape of 10,000 scenarios stays fast. */
import type { ActionOutcome } from '../reconciler/executor';
import type { FleetSnapshot, ScenarioSample } from './fleet-snapshot';
import { PrometheusMetrics } from './prometheus-metrics';
import { metricTypes, parseExposition, samplesOf, valueOf } from './testing/exposition';

function outcome(scenario: string, action: ActionOutcome['action'], result: 'ok' | 'fail' | 'abort', durationMs = 20): ActionOutcome {
  if (result === 'ok') return { scenario, action, durationMs, result: { ok: true, reported: 'active' } as ActionOutcome['result'] };
  return { scenario, action, durationMs, result: { ok: false, unreachable: false, aborted: result === 'abort', error: 'HTTP 500' } };
}

function sample(id: string, patch: Partial<ScenarioSample> = {}): ScenarioSample {
  return { id, weight: 'light', active: false, desiredActive: false, inSync: true, blockedBy: null, reachable: true, failures: 0, ttlExpiry: null, ...patch };
}

function snapshot(scenarios: ScenarioSample[], patch: Partial<FleetSnapshot> = {}): FleetSnapshot {
  return { scenarios, windows: [], emergencyStop: false, discovered: scenarios.length, queueDepth: 0, ...patch };
}

async function scrape(metrics: PrometheusMetrics) {
  return parseExposition(await metrics.render());
}

describe('PrometheusMetrics', () => {
  it('keeps its own registry: two instances never share a series', async () => {
    const one = new PrometheusMetrics({ defaultMetrics: false });
    const two = new PrometheusMetrics({ defaultMetrics: false });
    one.passCompleted('success', 0.01);
    expect(valueOf(await scrape(one), 'maintenance_reconcile_total', { result: 'success' })).toBe(1);
    expect(valueOf(await scrape(two), 'maintenance_reconcile_total', { result: 'success' })).toBe(0);
  });

  it('counts passes by result, errors, and observes their duration', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.passCompleted('success', 0.002);
    metrics.passCompleted('error', 0.004);
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_reconcile_total', { result: 'success' })).toBe(1);
    expect(valueOf(samples, 'maintenance_reconcile_total', { result: 'error' })).toBe(1);
    expect(valueOf(samples, 'maintenance_reconcile_errors_total')).toBe(1);
    expect(valueOf(samples, 'maintenance_reconcile_duration_seconds_count')).toBe(2);
    expect(valueOf(samples, 'maintenance_reconcile_duration_seconds_sum')).toBeCloseTo(0.006);
  });

  it('counts transitions by action and result, never by scenario; aborted calls add no duration; retries count failures only', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.actionCompleted(outcome('backup', 'activate', 'ok', 40), false);
    metrics.actionCompleted(outcome('vacuum', 'activate', 'ok', 40), false);
    metrics.actionCompleted(outcome('backup', 'deactivate', 'fail', 60), true);
    metrics.actionCompleted(outcome('vacuum', 'activate', 'abort', 0), false);
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_scenario_transitions_total', { action: 'activate', result: 'success' })).toBe(2);
    expect(valueOf(samples, 'maintenance_scenario_transitions_total', { action: 'deactivate', result: 'failure' })).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_transitions_total', { action: 'activate', result: 'aborted' })).toBe(1);
    // Every action and result exists from the start, at 0, so rate() panels show them before the first event.
    expect(samplesOf(samples, 'maintenance_scenario_transitions_total')).toHaveLength(6);
    expect(samplesOf(samples, 'maintenance_scenario_transitions_total').every((s) => !('scenario' in s.labels))).toBe(true);
    expect(valueOf(samples, 'maintenance_scenario_action_duration_seconds_count', { action: 'activate' })).toBe(2);
    expect(valueOf(samples, 'maintenance_scenario_action_duration_seconds_sum', { action: 'deactivate' })).toBeCloseTo(0.06);
    expect(valueOf(samples, 'maintenance_workqueue_retries_total')).toBe(1);
  });

  it('starts every gate at 0 and counts blocks per gate; counts failed scans', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.gateBlocked('Conflict');
    metrics.gateBlocked('Conflict');
    metrics.scanCompleted({ ok: true, durationSeconds: 0.02 });
    metrics.scanCompleted({ ok: false, durationSeconds: 0.01 });
    const samples = await scrape(metrics);
    expect(samplesOf(samples, 'maintenance_gate_blocked_total')).toHaveLength(9);
    expect(valueOf(samples, 'maintenance_gate_blocked_total', { gate: 'Conflict' })).toBe(2);
    expect(valueOf(samples, 'maintenance_gate_blocked_total', { gate: 'HealthCheck' })).toBe(0);
    expect(valueOf(samples, 'maintenance_gate_blocked_total', { gate: 'Cooldown' })).toBe(0);
    expect(valueOf(samples, 'maintenance_discovery_duration_seconds_count')).toBe(2);
    expect(valueOf(samples, 'maintenance_discovery_errors_total')).toBe(1);
  });

  it('fills per-scenario gauges from one snapshot per scrape and drops series that left', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    let current = snapshot(
      [sample('a', { active: true, desiredActive: true, ttlExpiry: 2_000_000_000 }), sample('b', { weight: 'heavy', desiredActive: true, blockedBy: 'ConcurrencyLimit' }), sample('c', { reachable: false, inSync: false, failures: 3 })],
      { emergencyStop: true, queueDepth: 3, windows: [{ schedule: 'nightly', preset: 'off-hours', kind: 'allow', open: true, nextOpen: 1_900_000_000 }] },
    );
    let reads = 0;
    metrics.attach(() => (reads++, current));
    const samples = await scrape(metrics);
    expect(reads).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_info', { scenario: 'b' })).toBe(1);
    expect(samplesOf(samples, 'maintenance_scenario_info', { scenario: 'b' })[0].labels.weight).toBe('heavy');
    expect(valueOf(samples, 'maintenance_scenario_active', { scenario: 'a' })).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_desired_active', { scenario: 'b' })).toBe(1);
    expect(valueOf(samples, 'maintenance_scenario_blocked', { scenario: 'b', gate: 'ConcurrencyLimit' })).toBe(1);
    expect(samplesOf(samples, 'maintenance_scenario_blocked')).toHaveLength(1);
    expect(valueOf(samples, 'maintenance_scenario_reachable', { scenario: 'c' })).toBe(0);
    expect(valueOf(samples, 'maintenance_scenario_in_sync', { scenario: 'c' })).toBe(0);
    expect(samplesOf(samples, 'maintenance_scenario_consecutive_failures')).toEqual([expect.objectContaining({ labels: { scenario: 'c' }, value: 3 })]);
    expect(valueOf(samples, 'maintenance_scenario_ttl_expiry_timestamp_seconds', { scenario: 'a' })).toBe(2_000_000_000);
    expect(valueOf(samples, 'maintenance_scenario_ttl_expiry_timestamp_seconds', { scenario: 'b' })).toBeUndefined();
    expect(valueOf(samples, 'maintenance_emergency_stop_active')).toBe(1);
    expect(valueOf(samples, 'maintenance_workqueue_depth')).toBe(3);
    expect(valueOf(samples, 'maintenance_discovered_scenarios')).toBe(3);
    expect(valueOf(samples, 'maintenance_window_open', { schedule: 'nightly' })).toBe(1);
    expect(valueOf(samples, 'maintenance_window_next_open_timestamp_seconds', { schedule: 'nightly' })).toBe(1_900_000_000);
    expect(valueOf(samples, 'maintenance_window_info', { schedule: 'nightly', kind: 'allow', preset: 'off-hours' })).toBe(1);

    current = snapshot([sample('a')]);
    const after = await scrape(metrics);
    expect(samplesOf(after, 'maintenance_scenario_info').map((s) => s.labels.scenario)).toEqual(['a']);
    expect(samplesOf(after, 'maintenance_scenario_blocked')).toHaveLength(0);
    expect(samplesOf(after, 'maintenance_window_open')).toHaveLength(0);
  });

  it('exposes process and Node.js metrics by default, under their standard names', async () => {
    const types = metricTypes(await new PrometheusMetrics().render());
    expect(types.get('process_cpu_seconds_total')).toBe('counter');
    expect(types.get('process_resident_memory_bytes')).toBe('gauge');
    expect(types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(types.has('nodejs_active_handles_total')).toBe(false);
  });
  it('shows each health check as up and failing, and forgets a check that left the policy', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.healthCheckRead({ check: 'pages', ok: false, failing: ['HighErrorRate{}'], readAt: 1, message: 'failing' }, true);
    metrics.healthCheckRead({ check: 'queue', ok: true, failing: [], readAt: 1, message: 'cannot be read; onError allow', error: 'timed out' }, false);
    metrics.healthCheckRead({ check: 'errors', ok: false, failing: [], readAt: 1, message: 'cannot be read; onError block', error: 'HTTP 503' }, false);
    let samples = await scrape(metrics);
    // Failing means "holds activations back": an unreadable check with onError block does, with allow it does not.
    expect(valueOf(samples, 'maintenance_health_check_failing', { check: 'errors' })).toBe(1);
    expect(valueOf(samples, 'maintenance_health_check_up', { check: 'pages' })).toBe(1);
    expect(valueOf(samples, 'maintenance_health_check_failing', { check: 'pages' })).toBe(1);
    expect(valueOf(samples, 'maintenance_health_check_up', { check: 'queue' })).toBe(0);
    expect(valueOf(samples, 'maintenance_health_check_failing', { check: 'queue' })).toBe(0);
    metrics.healthCheckRemoved('pages');
    samples = await scrape(metrics);
    expect(samplesOf(samples, 'maintenance_health_check_up', { check: 'pages' })).toEqual([]);
    expect(metricTypes(await metrics.render()).get('maintenance_health_check_failing')).toBe('gauge');
  });

  it('counts notification deliveries by notifier and result', async () => {
    const metrics = new PrometheusMetrics({ defaultMetrics: false });
    metrics.notificationFinished('pager', 'success');
    metrics.notificationFinished('pager', 'success');
    metrics.notificationFinished('pager', 'failure');
    metrics.notificationFinished('chat', 'dropped');
    const samples = await scrape(metrics);
    expect(valueOf(samples, 'maintenance_notifications_total', { notifier: 'pager', result: 'success' })).toBe(2);
    expect(valueOf(samples, 'maintenance_notifications_total', { notifier: 'pager', result: 'failure' })).toBe(1);
    expect(valueOf(samples, 'maintenance_notifications_total', { notifier: 'chat', result: 'dropped' })).toBe(1);
  });
});
