/** Host CPU and memory over the last hour, and active scenarios over time, from GET /history. */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import type { History, ScenarioList, Status } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { useResource } from '../live/resource';
import { Chart } from './Chart';
import { Loaded, Panel } from './Panel';

const LOAD_SERIES = [
  { label: 'CPU load %', colorVar: '--chart-cpu' },
  { label: 'Memory %', colorVar: '--chart-memory' },
];
const FLEET_SERIES = [
  { label: 'Active', colorVar: '--chart-active', stepped: true },
  { label: 'Desired active', colorVar: '--chart-desired', stepped: true },
  { label: 'Blocked', colorVar: '--chart-blocked', stepped: true },
];

/**
 * The scenario counts of right now, from the same live status as the header (and the scenario list for
 * "desired active"), not from the last history sample, which is up to a sample interval old.
 */
function FleetNow({ status, scenarios }: { status: Status | null; scenarios: ScenarioList | null }) {
  if (!status) return null;
  const desired = scenarios ? scenarios.scenarios.filter((scenario) => scenario.desiredState === 'active').length : null;
  return (
    <p class="graph-now" data-testid="fleet-now">
      Now: {status.activeScenarios} active{desired === null ? '' : ` · ${desired} desired active`} · {status.blockedScenarios ?? 0} blocked
    </p>
  );
}

function Graphs({ history, status, scenarios }: { history: History; status: Status | null; scenarios: ScenarioList | null }) {
  const { samples } = history;
  const times = useMemo(() => samples.map((sample) => new Date(sample.at).getTime() / 1000), [samples]);
  const load = useMemo<uPlot.AlignedData>(() => [times, samples.map((s) => s.cpuLoadPercent), samples.map((s) => s.memoryPercent)], [times, samples]);
  const fleet = useMemo<uPlot.AlignedData>(() => [times, samples.map((s) => s.active), samples.map((s) => s.desiredActive), samples.map((s) => s.blocked)], [times, samples]);
  const last = samples[samples.length - 1];
  if (samples.length < 2) {
    return <p class="empty">Collecting samples: one every {history.intervalSeconds} s, graphs appear after the second.</p>;
  }
  return (
    <>
      <h3 class="graph-title">Host load</h3>
      {/* The canvas is not readable by assistive technology; the latest values are, as text. Host load is
          only ever sampled, so it says so rather than "Now". */}
      <p class="graph-now">
        Last sample: CPU load {last.cpuLoadPercent}% · memory {last.memoryPercent}%
      </p>
      <Chart title="Host CPU load and memory, percent, last hour" series={LOAD_SERIES} data={load} yMax={100} />
      <h3 class="graph-title">Scenarios</h3>
      <FleetNow status={status} scenarios={scenarios} />
      <Chart title="Active, desired active and blocked scenarios, last hour" series={FLEET_SERIES} data={fleet} yMax={1} />
    </>
  );
}

/** The panel. */
export function GraphsPanel() {
  const dashboard = useDashboard();
  const resource = dashboard.history;
  const state = useResource(resource);
  const status = useResource(dashboard.status).data;
  const scenarios = useResource(dashboard.scenarios).data;
  return (
    <Panel id="resources" title="Resources, last hour">
      <Loaded state={state} retry={() => resource.refresh()} what="the history">
        {(history) => <Graphs history={history} status={status} scenarios={scenarios} />}
      </Loaded>
    </Panel>
  );
}
