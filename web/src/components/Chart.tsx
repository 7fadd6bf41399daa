/** A uPlot time-series chart that follows its container's width; uPlot draws on canvas, so callers add a text summary. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line: its label and the CSS custom property that holds its colour (so themes restyle charts too). */
export interface ChartSeries {
  label: string;
  colorVar: string;
  stepped?: boolean;
}

/** Props: `data[0]` is unix seconds, then one array per series. */
export interface ChartProps {
  title: string;
  series: ChartSeries[];
  data: uPlot.AlignedData;
  /** Least top of the y axis, e.g. 100 for percentages (load can pass 100%, so the axis grows past it). */
  yMax?: number;
  height?: number;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function options(props: ChartProps, width: number): uPlot.Options {
  const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid'), width: 1 }, ticks: { stroke: cssVar('--grid'), width: 1 } };
  return {
    width,
    height: props.height ?? 170,
    scales: { x: { time: true }, y: { range: (_self, _min, max) => [0, Math.max(props.yMax ?? 1, Math.ceil(max))] } },
    axes: [axis, { ...axis, size: 40 }],
    series: [
      {},
      ...props.series.map((line) => ({
        label: line.label,
        stroke: cssVar(line.colorVar),
        width: 2,
        paths: line.stepped ? uPlot.paths.stepped!({ align: 1 }) : undefined,
      })),
    ],
    // A static legend: the hover read-out shows "--" until pointed at, which reads as missing data.
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/** The chart; recreated only when its series change, otherwise fed new data. */
export function Chart(props: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = props.series.map((line) => line.label).join('|');

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const created = new uPlot(options(props, element.clientWidth || 300), props.data, element);
    plot.current = created;
    const observer = new ResizeObserver(() => created.setSize({ width: element.clientWidth, height: props.height ?? 170 }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      created.destroy();
      plot.current = null;
    };
  }, [seriesKey]);

  useEffect(() => {
    plot.current?.setData(props.data);
  }, [props.data]);

  return <div class="chart" ref={container} role="img" aria-label={props.title} />;
}
