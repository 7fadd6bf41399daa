/**
 * A scrape of 10,000 scenarios through the real path (scenario views, the snapshot, the exposition with the
 * process metrics): every scenario has its series, and a second scrape agrees with the first. How long it
 * takes is a benchmark figure (bench/, figure 8), never a timed assertion here: test machines vary.
 */
import type { ScenarioView } from '../state/views';
import { fleetSnapshotSource } from './fleet-snapshot';
import { PrometheusMetrics } from './prometheus-metrics';
import { parseExposition, samplesOf } from './testing/exposition';

const FLEET = 10_000;
const GATES = ['ConcurrencyLimit', 'Conflict', 'WindowClosed'] as const;

/** A varied fleet: half active with a TTL, some blocked, some unreachable, a third heavy. */
function views(): ScenarioView[] {
  return Array.from({ length: FLEET }, (_, i): ScenarioView => {
    const active = i % 2 === 0;
    const blocked = i % 7 === 0 && !active;
    return {
      id: `scenario-${String(i).padStart(5, '0')}`, name: `scenario-${i}`, displayName: `Scenario ${i}`, description: '', tags: ['maintenance'],
      weight: i % 3 ? 'light' : 'heavy', endpoint: `http://127.0.0.1:${12000 + (i % 50000)}`, endpointSource: 'port', canDeactivate: true, conflictsWith: [],
      isActive: active, desiredState: active || blocked ? 'active' : 'inactive', targetState: active ? 'active' : 'inactive',
      observedState: i % 97 === 0 ? 'unreachable' : active ? 'active' : 'inactive', desiredSource: 'preset full',
      reason: blocked ? GATES[i % 3] : null, message: blocked ? 'held' : null, conditions: [],
      activeUntil: active ? new Date(2_000_000_000_000 + i * 1000).toISOString() : null, lastActive: null, leaseExpiresAt: null, inFlight: null, failures: 0, gone: false,
    };
  });
}

it(`scrapes ${FLEET} scenarios: one info series each, a blocked series per blocked one, the same on a second scrape`, async () => {
  const metrics = new PrometheusMetrics();
  const fleet = views();
  metrics.attach(
    fleetSnapshotSource({
      listScenarios: () => fleet,
      emergencyStop: () => false,
      windows: () => Array.from({ length: 20 }, (_, i) => ({ name: `window-${i}`, preset: 'full', kind: 'allow' as const, state: { open: i === 0, nextOpen: new Date(1_900_000_000_000 + i) } })),
      queueDepth: () => 0,
      clock: Date.now,
    }),
  );
  for (const view of fleet.slice(0, 100)) metrics.actionCompleted({ scenario: view.id, action: 'activate', durationMs: 12, result: { ok: false, unreachable: true, aborted: false, error: 'ECONNREFUSED' } }, true);
  const first = parseExposition(await metrics.render());
  expect(samplesOf(first, 'maintenance_scenario_info')).toHaveLength(FLEET);
  const blocked = fleet.filter((view) => view.reason !== null).length;
  expect(samplesOf(first, 'maintenance_scenario_blocked')).toHaveLength(blocked);
  const second = parseExposition(await metrics.render());
  expect(samplesOf(second, 'maintenance_scenario_info')).toEqual(samplesOf(first, 'maintenance_scenario_info'));
  expect(samplesOf(second, 'maintenance_scenario_blocked')).toEqual(samplesOf(first, 'maintenance_scenario_blocked'));
});
