'use client';
// A small step line of one metric over time, with its range written beside it.
import { memo } from 'react';

const W = 360;
const H = 56;
const PAD = 4;

export const Sparkline = memo(function Sparkline({ points, label, testId }: { points: Array<[number, number]>; label: string; testId?: string }) {
  if (points.length === 0) return <div className="sparkline muted small">{label}: no samples yet</div>;
  const t0 = points[0][0];
  const t1 = Math.max(points[points.length - 1][0], t0 + 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (const [, v] of points) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const span = hi - lo || 1;
  const x = (t: number) => PAD + ((t - t0) / (t1 - t0)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - ((v - lo) / span) * (H - 2 * PAD) * (hi === lo ? 0.5 : 1) - (hi === lo ? (H - 2 * PAD) / 2 : 0);
  let d = '';
  points.forEach(([t, v], i) => {
    d += i === 0 ? `M${x(t).toFixed(1)},${y(v).toFixed(1)}` : `H${x(t).toFixed(1)}V${y(v).toFixed(1)}`;
  });
  const last = points[points.length - 1][1];
  return (
    <figure className="sparkline" data-testid={testId}>
      <figcaption>
        <span className="strong">{label}</span> <span className="muted small">now {last}; range {lo}–{hi}</span>
      </figcaption>
      <svg width={W} height={H} role="img" aria-label={`${label} over time, from ${points[0][1]} to ${last}`}>
        <path d={d} className="spark-line" fill="none" />
      </svg>
    </figure>
  );
});
