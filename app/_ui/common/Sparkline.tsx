'use client';
// A small step line of one metric over time (d3 scales and step curve), with its range written
// beside it.
import { memo } from 'react';
import { scaleLinear } from 'd3-scale';
import { stepLinePath } from './stepLine.ts';

const W = 360;
const H = 56;
const PAD = 4;

export const Sparkline = memo(function Sparkline({ points, label, testId }: { points: Array<[number, number]>; label: string; testId?: string }) {
  if (points.length === 0) return <div className="sparkline muted small">{label}: no samples yet</div>;
  const t0 = points[0][0];
  const t1 = Math.max(points[points.length - 1][0], t0 + 1);
  const values = points.map((p) => p[1]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // A flat series (lo === hi) sits at mid-height: a d3 scale maps an empty domain to the middle of its range.
  const x = scaleLinear()
    .domain([t0, t1])
    .range([PAD, W - PAD]);
  const y = scaleLinear()
    .domain([lo, hi])
    .range([H - PAD, PAD]);
  const d = stepLinePath(points, x, y);
  const last = points[points.length - 1][1];
  return (
    <figure className="sparkline" data-testid={testId}>
      <figcaption>
        <span className="strong">{label}</span>{' '}
        <span className="muted small">
          now {last}; range {lo}–{hi}
        </span>
      </figcaption>
      <svg width={W} height={H} role="img" aria-label={`${label} over time, from ${points[0][1]} to ${last}`}>
        <path d={d} className="spark-line" fill="none" />
      </svg>
    </figure>
  );
});
