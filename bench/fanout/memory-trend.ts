// Whether a series of memory samples grows: the least-squares slope, and the mean of the last
// third against the mean of the first third (robust to one GC-timing outlier at either end).

export interface Trend {
  samples: number;
  firstThirdMean: number | null;
  lastThirdMean: number | null;
  /** lastThirdMean − firstThirdMean. */
  growth: number | null;
  /** Least-squares slope per minute. */
  slopePerMinute: number | null;
}

export function trend(points: { at: number; value: number }[]): Trend {
  const n = points.length;
  if (n < 3) return { samples: n, firstThirdMean: null, lastThirdMean: null, growth: null, slopePerMinute: null };
  const third = Math.floor(n / 3);
  const mean = (xs: { value: number }[]) => xs.reduce((s, p) => s + p.value, 0) / xs.length;
  const first = mean(points.slice(0, third));
  const last = mean(points.slice(n - third));
  const t0 = points[0].at;
  const xs = points.map((p) => (p.at - t0) / 60_000);
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = mean(points);
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i] - mx) * (p.value - my);
    den += (xs[i] - mx) ** 2;
  });
  return { samples: n, firstThirdMean: first, lastThirdMean: last, growth: last - first, slopePerMinute: den > 0 ? num / den : null };
}
