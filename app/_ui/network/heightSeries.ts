// Pure helpers for the height-over-time chart: extend the series from a live node-status push,
// drop what slid out of the window, and place it with d3 scales. Kept apart from React so they
// are unit-tested.
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import type { HeightSeries, HeightsResponse, NodeStatus } from '../../../wire/explorer-api.ts';
import { stepLinePath } from '../common/stepLine.ts';

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
  return changed ? { ...res, since: Math.max(res.since, since), series: trimmed } : res;
}

/**
 * Append the network's finalized height at `now` when it rose (a live `network:consensus`
 * push), trimmed like the node series. PoA (no finalized series and no finalized height)
 * stays without one; the line never goes down (finality is final).
 */
export function extendFinalized(res: HeightsResponse, finalizedHeight: number | null | undefined, now: number, windowMs: number): HeightsResponse {
  if (finalizedHeight === null || finalizedHeight === undefined) return res;
  const points = res.finalized ?? [];
  const last = points[points.length - 1];
  if (last && last[1] >= finalizedHeight) return res;
  const next: Array<[number, number]> = [...points, [Math.max(now, last ? last[0] : now), finalizedHeight]];
  const firstInside = next.findIndex((p) => p[0] >= now - windowMs);
  const cut = firstInside <= 0 ? 0 : firstInside - 1;
  return { ...res, finalized: next.slice(cut) };
}

export interface ChartDomain {
  t0: number;
  t1: number;
  h0: number;
  h1: number;
}

/** Time and height bounds of the visible window; heights padded so flat lines are not on the edge. */
export function chartDomain(series: HeightSeries[], now: number, windowMs: number): ChartDomain {
  const t0 = now - windowMs;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.points.length; i++) {
      const h = s.points[i][1];
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

export interface ChartBox {
  width: number;
  height: number;
  pad: { left: number; right: number; top: number; bottom: number };
}

export interface ChartScales {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
}

/** d3 scales from the window's time and heights to the plot area inside the chart's padding. */
export function chartScales(d: ChartDomain, box: ChartBox): ChartScales {
  const right = box.pad.left + Math.max(10, box.width - box.pad.left - box.pad.right);
  return {
    x: scaleLinear().domain([d.t0, d.t1]).range([box.pad.left, right]),
    y: scaleLinear()
      .domain([d.h0, d.h1])
      .range([box.height - box.pad.bottom, box.pad.top]),
  };
}

/** Whole-number heights for the grid lines, about `count` of them. */
export function heightTicks(y: ScaleLinear<number, number>, count: number): number[] {
  return y.ticks(count).filter(Number.isInteger);
}

/** A step line of one node's heights (each holds until the next change), clipped at the window's left edge and run on to `tEnd`. */
export function stepPath(points: Array<[number, number]>, x: (t: number) => number, y: (h: number) => number, t0: number, tEnd: number): string {
  if (points.length === 0) return '';
  const clipped: Array<[number, number]> = points.map(([t, h]) => [Math.max(t, t0), h]);
  clipped.push([tEnd, points[points.length - 1][1]]);
  return stepLinePath(clipped, x, y);
}
