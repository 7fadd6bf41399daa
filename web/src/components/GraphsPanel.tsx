/** Host CPU and memory over the last hour, and active scenarios over time, from GET /history. */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import type { History } from '../api/types';
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

function Graphs({ history }: { history: History }) {
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
      {/* The canvas is not readable by assistive technology; the latest values are, as text. */}
      <p class="graph-now">
        Now: CPU load {last.cpuLoadPercent}% · memory {last.memoryPercent}%
      </p>
      <Chart title="Host CPU load and memory, percent, last hour" series={LOAD_SERIES} data={load} yMax={100} />
      <h3 class="graph-title">Scenarios</h3>
      <p class="graph-now">
        Now: {last.active} active · {last.desiredActive} desired active · {last.blocked} blocked
      </p>
      <Chart title="Active, desired active and blocked scenarios, last hour" series={FLEET_SERIES} data={fleet} yMax={1} />
    </>
  );
}

/** The panel. */
export function GraphsPanel() {
  const resource = useDashboard().history;
  const state = useResource(resource);
  return (
    <Panel id="resources" title="Resources, last hour">
      <Loaded state={state} retry={() => resource.refresh()} what="the history">
        {(history) => <Graphs history={history} />}
      </Loaded>
    </Panel>
  );
}
