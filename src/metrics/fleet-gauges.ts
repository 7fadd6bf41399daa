/**
 * Gauges computed at scrape time from one fleet snapshot. Each scrape lists exactly the series of that
 * snapshot, so a scenario that left the fleet (or a gate that cleared) drops out of the exposition instead
 * of lingering, and the reconciler never touches 10,000 gauges per pass.
 */
import { Gauge, type GaugeConfiguration, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';
import type { FleetSnapshot, ScenarioSample, WindowSample } from './fleet-snapshot';

/** Reads the snapshot of the scrape in progress (null outside a scrape or before the fleet is attached). */
export type SnapshotReader = () => FleetSnapshot | null;

type Labels<T extends string> = Partial<Record<T, string | number>>;

/**
 * Handed to prom-client as every series' (absent) shared labels. Without it the exposition formatter makes a
 * fresh empty object per series and caches its text in a WeakMap keyed by that object: a WeakMap entry
 * per series per scrape, a sixth of a 10,000-scenario scrape.
 */
const NO_SHARED_LABELS = Object.freeze({});

/**
 * A gauge whose series are produced at scrape time. It hands prom-client the values directly instead of
 * setting them one by one: setting hashes every label set, which doubles the cost of a 10,000-scenario scrape.
 */
class SnapshotGauge<T extends string> extends Gauge<T> {
  constructor(
    config: GaugeConfiguration<T>,
    private readonly series: () => MetricValue<T>[],
  ) {
    super(config);
  }

  override async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    // The base object carries name, help and the exposition type; only its (empty) values are replaced.
    const base = await super.get();
    return { ...base, values: this.series() };
  }
}

/** One gauge filled from the snapshot by `fill`, which calls `set` once per series. */
function scrapeGauge<T extends string>(
  registry: Registry,
  read: SnapshotReader,
  config: { name: string; help: string; labelNames?: readonly T[] },
  fill: (snapshot: FleetSnapshot, set: (labels: Labels<T>, value: number) => void) => void,
): void {
  const series = (): MetricValue<T>[] => {
    const snapshot = read();
    const values: MetricValue<T>[] = [];
    if (snapshot) fill(snapshot, (labels, value) => values.push({ labels, value, sharedLabels: NO_SHARED_LABELS } as MetricValue<T>));
    return values;
  };
  new SnapshotGauge<T>({ name: config.name, help: config.help, labelNames: config.labelNames ?? [], registers: [registry] }, series);
}

/** A per-scenario 0/1 gauge. */
function scenarioFlag(registry: Registry, read: SnapshotReader, name: string, help: string, flag: (scenario: ScenarioSample) => boolean): void {
  scrapeGauge(registry, read, { name, help, labelNames: ['scenario'] }, (snapshot, set) => {
    for (const scenario of snapshot.scenarios) set({ scenario: scenario.id }, flag(scenario) ? 1 : 0);
  });
}

/** Registers every scrape-time gauge of the fleet, scenarios, windows and discovery. */
export function registerFleetGauges(registry: Registry, read: SnapshotReader): void {
  registerScenarioGauges(registry, read);
  registerWindowGauges(registry, read);
  scrapeGauge(registry, read, { name: 'maintenance_emergency_stop_active', help: '1 while an emergency stop (stop-all) is latched, until resume.' }, (snapshot, set) =>
    set({}, snapshot.emergencyStop ? 1 : 0),
  );
  scrapeGauge(registry, read, { name: 'maintenance_discovered_scenarios', help: 'Maintenance scenarios discovery lists now (Gone ones excluded).' }, (snapshot, set) =>
    set({}, snapshot.discovered),
  );
  scrapeGauge(registry, read, { name: 'maintenance_workqueue_depth', help: 'Scenario actions running or waiting in the executor queue.' }, (snapshot, set) =>
    set({}, snapshot.queueDepth),
  );
}

function registerScenarioGauges(registry: Registry, read: SnapshotReader): void {
  scrapeGauge(registry, read, { name: 'maintenance_scenario_info', help: 'Always 1: one series per discovered scenario, with its weight.', labelNames: ['scenario', 'weight'] }, (snapshot, set) => {
    for (const scenario of snapshot.scenarios) set({ scenario: scenario.id, weight: scenario.weight }, 1);
  });
  scenarioFlag(registry, read, 'maintenance_scenario_active', '1 when the scenario is observed active (what it reports, else what it last acknowledged).', (s) => s.active);
  scenarioFlag(registry, read, 'maintenance_scenario_desired_active', '1 when the declared state (presets, overrides, open windows) wants the scenario active, before gates.', (s) => s.desiredActive);
  scenarioFlag(
    registry,
    read,
    'maintenance_scenario_in_sync',
    '1 when the scenario is in the state the reconciler drives it to and nothing is pending; a gate hold counts as in sync.',
    (s) => s.inSync,
  );
  scenarioFlag(registry, read, 'maintenance_scenario_reachable', '0 when the scenario has no usable endpoint or did not answer its last call.', (s) => s.reachable);
  scrapeGauge(
    registry,
    read,
    { name: 'maintenance_scenario_blocked', help: '1 for the gate that holds a desired-active scenario back; absent when no gate blocks it.', labelNames: ['scenario', 'gate'] },
    (snapshot, set) => {
      for (const scenario of snapshot.scenarios) if (scenario.blockedBy) set({ scenario: scenario.id, gate: scenario.blockedBy }, 1);
    },
  );
  scrapeGauge(
    registry,
    read,
    { name: 'maintenance_scenario_consecutive_failures', help: 'Failed calls in a row to the scenario (reset by a success); absent while it has none.', labelNames: ['scenario'] },
    (snapshot, set) => {
      for (const scenario of snapshot.scenarios) if (scenario.failures > 0) set({ scenario: scenario.id }, scenario.failures);
    },
  );
  scrapeGauge(
    registry,
    read,
    { name: 'maintenance_scenario_ttl_expiry_timestamp_seconds', help: 'When the scenario\'s override lapses (Unix seconds); absent without a TTL.', labelNames: ['scenario'] },
    (snapshot, set) => {
      for (const scenario of snapshot.scenarios) if (scenario.ttlExpiry !== null) set({ scenario: scenario.id }, scenario.ttlExpiry);
    },
  );
}

function registerWindowGauges(registry: Registry, read: SnapshotReader): void {
  const windows = (snapshot: FleetSnapshot): WindowSample[] => snapshot.windows;
  scrapeGauge(registry, read, { name: 'maintenance_window_open', help: '1 while the schedule\'s maintenance window is open.', labelNames: ['schedule'] }, (snapshot, set) => {
    for (const window of windows(snapshot)) set({ schedule: window.schedule }, window.open ? 1 : 0);
  });
  scrapeGauge(
    registry,
    read,
    { name: 'maintenance_window_next_open_timestamp_seconds', help: 'Next opening of the schedule\'s window (Unix seconds); absent when none is known.', labelNames: ['schedule'] },
    (snapshot, set) => {
      for (const window of windows(snapshot)) if (window.nextOpen !== null) set({ schedule: window.schedule }, window.nextOpen);
    },
  );
  scrapeGauge(
    registry,
    read,
    { name: 'maintenance_window_info', help: 'Always 1: what each schedule does (kind allow|deny) and to which preset.', labelNames: ['schedule', 'preset', 'kind'] },
    (snapshot, set) => {
      for (const window of windows(snapshot)) set({ schedule: window.schedule, preset: window.preset, kind: window.kind }, 1);
    },
  );
}
