'use client';
// Height over the last minutes, one step line per node: a node that stalls goes flat, a node
// that falls behind drops below the others, a fork shows as lines that stop overlapping. On
// an engine with finality (BFT) a dashed line shows the network's finalized height beside them.
import { memo, useMemo } from 'react';
import Link from 'next/link';
import type { HeightSeries, NodeStatus } from '../../../wire/explorer-api.ts';
import { nodeColorMap } from '../common/nodeColors.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useElementWidth } from '../common/useElementWidth.ts';
import { useNow } from '../common/useNow.ts';
import { chartDomain, chartScales, heightTicks, stepPath } from './heightSeries.ts';
import { useHeights } from './useHeights.ts';

const HEIGHT = 220;
const PAD = { left: 52, right: 12, top: 10, bottom: 24 };

const ChartSvg = memo(function ChartSvg({
  series,
  colors,
  width,
  now,
  windowMs,
  finalized,
}: {
  series: HeightSeries[];
  colors: Map<string, string>;
  width: number;
  now: number;
  windowMs: number;
  finalized: Array<[number, number]> | undefined;
}) {
  const domain = chartDomain(finalized?.length ? [...series, { nodeId: 'finalized', name: 'finalized', points: finalized }] : series, now, windowMs);
  const { x, y } = chartScales(domain, { width, height: HEIGHT, pad: PAD });
  const [plotLeft, plotRight] = x.range();
  const yTicks = heightTicks(y, 4);
  const minutes = Math.round(windowMs / 60_000);
  // Drawn widest first, so lines that overlap (nodes in agreement) still show every colour.
  const n = series.length;
  return (
    <svg width={width} height={HEIGHT} role="img" aria-label={`Block height of each node over the last ${minutes} minutes`} className="chart">
      {yTicks.map((h) => (
        <g key={h}>
          <line x1={PAD.left} x2={width - PAD.right} y1={y(h)} y2={y(h)} className="chart-grid" />
          <text x={PAD.left - 6} y={y(h) + 4} textAnchor="end" className="chart-label">
            {h}
          </text>
        </g>
      ))}
      {Array.from({ length: minutes + 1 }, (_, i) => {
        const t = domain.t0 + i * 60_000;
        return (
          <text key={i} x={x(t)} y={HEIGHT - 6} textAnchor={i === 0 ? 'start' : i === minutes ? 'end' : 'middle'} className="chart-label">
            {i === minutes ? 'now' : `−${minutes - i} min`}
          </text>
        );
      })}
      <clipPath id="height-chart-clip">
        <rect x={plotLeft} y={0} width={plotRight - plotLeft + 1} height={HEIGHT} />
      </clipPath>
      <g clipPath="url(#height-chart-clip)">
        {series.map((ser, i) => (
          <path
            key={ser.nodeId}
            d={stepPath(ser.points, x, y, domain.t0, now)}
            fill="none"
            stroke={colors.get(ser.nodeId) ?? 'currentColor'}
            strokeWidth={n > 1 ? Math.max(1.5, 2 + (n - 1 - i) * (6 / n)) : 2}
            strokeLinejoin="round"
            data-node={ser.name}
          />
        ))}
        {finalized && finalized.length > 0 && (
          <path
            d={stepPath(finalized, x, y, domain.t0, now)}
            fill="none"
            stroke="var(--text)"
            strokeWidth={1.5}
            strokeDasharray="5 4"
            strokeLinejoin="round"
            data-testid="finalized-line"
          />
        )}
      </g>
    </svg>
  );
});

export function HeightChart({ nodes, minutes = 5 }: { nodes: NodeStatus[]; minutes?: number }) {
  const { data, error, isPending } = useHeights(minutes);
  const now = useNow();
  const [ref, width] = useElementWidth<HTMLDivElement>(600);
  const colors = useMemo(() => nodeColorMap(nodes.length ? nodes : (data?.series ?? []).map((s) => ({ id: s.nodeId, name: s.name }))), [nodes, data?.series]);
  const series = useMemo(() => [...(data?.series ?? [])].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [data?.series]);
  const heightOf = new Map(nodes.map((n) => [n.id, n.height]));
  let body;
  if (data && series.length > 0) body = <ChartSvg series={series} colors={colors} width={width} now={now} windowMs={minutes * 60_000} finalized={data.finalized} />;
  else if (isPending) body = <Loading what="height history" />;
  else if (error && !data) body = <ErrorState error={error} what="the height history (the chart fills in from live updates)" />;
  else body = <Empty>No height samples yet.</Empty>;
  return (
    <div className="panel" data-testid="height-chart">
      <div ref={ref} className="chart-box">
        {body}
      </div>
      {series.length > 0 && (
        <ul className="legend">
          {series.map((s) => (
            <li key={s.nodeId}>
              <span className="swatch" style={{ background: colors.get(s.nodeId) }} aria-hidden="true" />
              <Link href={`/nodes/${encodeURIComponent(s.nodeId)}`}>{s.name}</Link>{' '}
              <span className="muted">{heightOf.get(s.nodeId) ?? s.points[s.points.length - 1]?.[1] ?? '—'}</span>
            </li>
          ))}
          {data?.finalized && data.finalized.length > 0 && (
            <li
              data-testid="finalized-legend"
              title="The highest finalized block (BFT: it can never be reverted): the history from the commits the control plane indexed, then live from the network verdict the banner also shows."
            >
              <span className="swatch swatch-dashed" aria-hidden="true" />
              finalized <span className="muted">{data.finalized[data.finalized.length - 1][1]}</span>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
