// Pure helpers for the height-over-time chart: extend the series from a live node-status push
// and drop what slid out of the window. Kept apart from React so they are unit-tested.
import type { HeightSeries, HeightsResponse, NodeStatus } from '../../../wire/explorer-api.ts';

/**
 * Append each node's current height at `now` when it moved (a step chart needs only changes),
 * start a series for a node seen for the first time, and trim points older than the window
 * (keeping the last one before it, so each line still starts at the left edge).
 */
export function extendHeights(res: HeightsResponse, nodes: NodeStatus[], now: number, windowMs: number): HeightsResponse {
  const since = now - windowMs;
  const byId = new Map(res.series.map((s) => [s.nodeId, s]));
  let changed = false;
  const series: HeightSeries[] = res.series.map((s) => s);
  for (const n of nodes) {
    if (n.height === null) continue;
    const s = byId.get(n.id);
    if (!s) {
      series.push({ nodeId: n.id, name: n.name, points: [[now, n.height]] });
      changed = true;
      continue;
    }
    const last = s.points[s.points.length - 1];
    if (!last || last[1] !== n.height) {
      const at = Math.max(now, last ? last[0] : now);
      const i = series.indexOf(s);
      series[i] = { ...s, points: [...s.points, [at, n.height]] };
      changed = true;
    }
  }
  const trimmed = series.map((s) => {
    const firstInside = s.points.findIndex((p) => p[0] >= since);
    const cut = firstInside === -1 ? s.points.length - 1 : firstInside - 1;
    if (cut <= 0) return s;
    changed = true;
    return { ...s, points: s.points.slice(cut) };
  });
  return changed ? { since: Math.max(res.since, since), series: trimmed } : res;
}

export interface ChartScale {
  t0: number;
  t1: number;
  h0: number;
  h1: number;
}

/** Time and height bounds of the visible window; heights padded so flat lines are not on the edge. */
export function chartScale(series: HeightSeries[], now: number, windowMs: number): ChartScale {
  const t0 = now - windowMs;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.points.length; i++) {
      const [t, h] = s.points[i];
      const next = s.points[i + 1];
      if (next && next[0] < t0) continue; // wholly before the window
      if (h < lo) lo = h;
      if (h > hi) hi = h;
    }
  }
  if (!Number.isFinite(lo)) return { t0, t1: now, h0: 0, h1: 1 };
  const pad = Math.max(1, Math.ceil((hi - lo) * 0.05));
  return { t0, t1: now, h0: Math.max(0, lo - pad), h1: hi + pad };
}

/** An SVG path of a step line (height holds until the next change), clipped at the left edge. */
export function stepPath(points: Array<[number, number]>, x: (t: number) => number, y: (h: number) => number, t0: number, tEnd: number): string {
  if (points.length === 0) return '';
  let d = '';
  for (let i = 0; i < points.length; i++) {
    const [t, h] = points[i];
    const px = x(Math.max(t, t0));
    const py = y(h);
    if (i === 0) d += `M${px.toFixed(1)},${py.toFixed(1)}`;
    else d += `H${px.toFixed(1)}V${py.toFixed(1)}`;
  }
  return d + `H${x(tEnd).toFixed(1)}`;
}
