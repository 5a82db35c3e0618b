'use client';
// The height chart's drawing: d3 scales place the window's time and heights, d3's own ticks
// (thinned so labels never touch) label both axes, chaos faults are shaded bands behind the
// lines, and a vertical cursor follows the pointer or the arrow keys. What the cursor points
// at is reported up (onCursor), where the tooltip and legend show the values.
import { memo, useCallback, type KeyboardEvent, type PointerEvent } from 'react';
import type { HeightSeries } from '../../../wire/explorer-api.ts';
import { KIND_LABELS } from '../chaos/chaosModel.ts';
import type { FaultBand } from './faultBands.ts';
import { chartScales, heightAxisTicks, stepPath, timeAxisTicks, type ChartDomain } from './heightSeries.ts';

export const CHART_HEIGHT = 220;
export const CHART_PAD = { left: 52, right: 12, top: 10, bottom: 26 };
/** A fault band narrower than this carries no written kind (its hover title still names it). */
const MIN_BAND_LABEL_PX = 64;
/** How far one arrow key press moves the cursor: a sixtieth of the window. */
const KEY_STEPS = 60;

export interface HeightChartSvgProps {
  series: HeightSeries[];
  finalized: Array<[number, number]> | undefined;
  colors: Map<string, string>;
  width: number;
  domain: ChartDomain;
  bands: FaultBand[];
  cursor: number | null;
  onCursor: (t: number | null) => void;
  label: string;
}

export const HeightChartSvg = memo(function HeightChartSvg({ series, finalized, colors, width, domain, bands, cursor, onCursor, label }: HeightChartSvgProps) {
  const { x, y } = chartScales(domain, { width, height: CHART_HEIGHT, pad: CHART_PAD });
  const [plotLeft, plotRight] = x.range();
  const [plotBottom, plotTop] = y.range();
  const { t0, t1 } = domain;
  const clamp = useCallback((t: number) => Math.min(t1, Math.max(t0, t)), [t0, t1]);
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
    onCursor(px < plotLeft || px > plotRight ? null : clamp(x.invert(px).getTime()));
  };
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const step = (t1 - t0) / KEY_STEPS;
    const from = cursor ?? t1;
    const to = { ArrowLeft: from - step, ArrowRight: from + step, Home: t0, End: t1 }[e.key];
    if (to !== undefined) onCursor(clamp(to));
    else if (e.key === 'Escape') onCursor(null);
    else return;
    e.preventDefault();
  };
  // Drawn widest first, so lines that overlap (nodes in agreement) still show every colour.
  const n = series.length;
  return (
    <svg
      width={width}
      height={CHART_HEIGHT}
      role="img"
      aria-label={`${label}. Arrow keys move a cursor that reads each node's height.`}
      className="chart"
      tabIndex={0}
      onPointerMove={onPointerMove}
      onPointerLeave={() => onCursor(null)}
      onKeyDown={onKeyDown}
      onBlur={() => onCursor(null)}
      data-testid="height-chart-svg"
    >
      {bands.map((b) => {
        const bandWidth = Math.max(2, x(b.to) - x(b.from));
        return (
          <g key={b.id}>
            <rect
              x={x(b.from)}
              y={plotTop}
              width={bandWidth}
              height={plotBottom - plotTop}
              className={b.active ? 'chart-fault chart-fault-active' : 'chart-fault'}
              data-testid="fault-band"
              data-kind={b.kind}
              data-active={b.active}
            >
              <title>{`${b.active ? 'Active' : 'Past'} fault #${b.id}: ${b.label}`}</title>
            </rect>
            {/* The kind written in the band when it is wide enough to hold it; the title says the rest. */}
            {bandWidth >= MIN_BAND_LABEL_PX && (
              <text x={x(b.from) + 4} y={plotTop + 12} className="chart-fault-label" aria-hidden="true">
                {KIND_LABELS[b.kind]}
              </text>
            )}
          </g>
        );
      })}
      {heightAxisTicks(y).map(({ value, px }) => (
        <g key={value}>
          <line x1={plotLeft} x2={plotRight} y1={px} y2={px} className="chart-grid" />
          <text x={plotLeft - 6} y={px + 4} textAnchor="end" className="chart-label" data-testid="y-label">
            {value}
          </text>
        </g>
      ))}
      {timeAxisTicks(x).map(({ t, px, label: text }) => (
        <text key={t} x={px} y={CHART_HEIGHT - 8} textAnchor="middle" className="chart-label" data-testid="x-label">
          {text}
        </text>
      ))}
      <text x={plotRight} y={CHART_HEIGHT - 8} textAnchor="end" className="chart-label">
        now
      </text>
      <clipPath id="height-chart-clip">
        <rect x={plotLeft} y={0} width={plotRight - plotLeft + 1} height={CHART_HEIGHT} />
      </clipPath>
      <g clipPath="url(#height-chart-clip)">
        {series.map((ser, i) => (
          <path
            key={ser.nodeId}
            d={stepPath(ser.points, x, y, t0, t1)}
            fill="none"
            stroke={colors.get(ser.nodeId) ?? 'currentColor'}
            strokeWidth={n > 1 ? Math.max(1.5, 2 + (n - 1 - i) * (6 / n)) : 2}
            strokeLinejoin="round"
            data-node={ser.name}
          />
        ))}
        {finalized && finalized.length > 0 && (
          <path
            d={stepPath(finalized, x, y, t0, t1)}
            fill="none"
            stroke="var(--text)"
            strokeWidth={1.5}
            strokeDasharray="5 4"
            strokeLinejoin="round"
            data-testid="finalized-line"
          />
        )}
      </g>
      {cursor !== null && <line x1={x(cursor)} x2={x(cursor)} y1={plotTop} y2={plotBottom} className="chart-cursor" data-testid="chart-cursor" />}
    </svg>
  );
});
