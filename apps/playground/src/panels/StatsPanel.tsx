import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsSample } from '@peerstatejs/core/recorder';

type Series = readonly {
  readonly label: string;
  readonly color: string;
  readonly pick: (s: StatsSample) => number | null;
}[];

const CHARTS: readonly {
  readonly title: string;
  readonly unit: string;
  readonly series: Series;
}[] = [
  {
    title: 'Bitrate',
    unit: 'kbit/s',
    series: [
      { label: 'in', color: '#2563eb', pick: (s) => s.bitrateInKbps },
      { label: 'out', color: '#d97706', pick: (s) => s.bitrateOutKbps },
    ],
  },
  {
    title: 'Round-trip time',
    unit: 'ms',
    series: [{ label: 'RTT', color: '#7c3aed', pick: (s) => s.rttMs }],
  },
  {
    title: 'Packet loss',
    unit: '%',
    series: [{ label: 'loss', color: '#dc2626', pick: (s) => s.packetLossPct }],
  },
  {
    title: 'Frames per second',
    unit: 'fps',
    series: [
      { label: 'in', color: '#2563eb', pick: (s) => s.fpsIn },
      { label: 'out', color: '#d97706', pick: (s) => s.fpsOut },
    ],
  },
];

const WIDTH = 290;
const HEIGHT = 110;

/** One live uPlot chart; its data follows `samples` (the recording up to the cursor). */
function Chart({
  chart,
  samples,
}: {
  chart: (typeof CHARTS)[number];
  samples: readonly StatsSample[];
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [
    samples.map((sample) => sample.at / 1000),
    ...chart.series.map((series) => samples.map(series.pick)),
  ];

  useEffect(() => {
    if (!box.current) return;
    const instance = new uPlot(
      {
        width: WIDTH,
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false } },
        axes: [
          { size: 24, font: '10px system-ui', values: (_, ticks) => ticks.map((t) => `${t}s`) },
          { size: 40, font: '10px system-ui' },
        ],
        series: [
          {},
          ...chart.series.map((series) => ({
            label: series.label,
            stroke: series.color,
            width: 1.5,
            spanGaps: false,
          })),
        ],
      },
      [[], ...chart.series.map(() => [])],
      box.current,
    );
    plot.current = instance;
    return () => {
      instance.destroy();
      plot.current = null;
    };
  }, [chart]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const latest = samples.at(-1);
  return (
    <figure className="chart">
      <figcaption>
        {chart.title} <span className="muted">({chart.unit})</span>
        {chart.series.map((series) => {
          const value = latest ? series.pick(latest) : null;
          return (
            <span key={series.label} className="reading" style={{ color: series.color }}>
              {' '}
              {series.label}{' '}
              <output data-testid={`stat-${chart.title}-${series.label}`}>
                {value === null ? '—' : value}
              </output>
            </span>
          );
        })}
      </figcaption>
      <div ref={box} role="img" aria-label={`${chart.title} over time`} />
    </figure>
  );
}

export function StatsPanel({ samples }: { samples: readonly StatsSample[] }) {
  return (
    <div className="stats-panel">
      <p className="muted small-print">getStats once a second · {samples.length} sample(s)</p>
      <div className="charts">
        {CHARTS.map((chart) => (
          <Chart key={chart.title} chart={chart} samples={samples} />
        ))}
      </div>
    </div>
  );
}
