// Pure helpers for the height-over-time chart: extend the series from a live node-status push,
// drop what slid out of the window, and place it with d3 scales. Kept apart from React so they
// are unit-tested.
import { scaleLinear, scaleTime, type ScaleLinear, type ScaleTime } from 'd3-scale';
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
  x: ScaleTime<number, number>;
  y: ScaleLinear<number, number>;
}

/** Least vertical room between two height labels (an 11 px label and some air). */
export const MIN_LABEL_GAP_PX = 18;

/** How many height grid lines a plot of this many pixels has room for. */
function heightTickCount(plotPx: number): number {
  return Math.max(2, Math.floor(plotPx / (2 * MIN_LABEL_GAP_PX)));
}

/**
 * d3 scales from the window's time and heights to the plot area inside the chart's padding.
 * The height domain is widened to round numbers (`nice`), so the top and bottom grid lines
 * sit on the plot's edges with a label each.
 */
export function chartScales(d: ChartDomain, box: ChartBox): ChartScales {
  const right = box.pad.left + Math.max(10, box.width - box.pad.left - box.pad.right);
  const bottom = box.height - box.pad.bottom;
  return {
    x: scaleTime<number, number>().domain([d.t0, d.t1]).range([box.pad.left, right]),
    y: scaleLinear()
      .domain([d.h0, d.h1])
      .range([bottom, box.pad.top])
      .nice(heightTickCount(bottom - box.pad.top)),
  };
}

export interface AxisTick {
  value: number;
  /** Where the label goes along the axis, in pixels. */
  px: number;
}

/**
 * The height axis' labels, top to bottom: d3's ticks for the plot's size, whole numbers only,
 * each value once (labels are keyed by value: a repeated value once left stale labels in the
 * DOM), and thinned so no two are closer than `minGapPx`.
 */
export function heightAxisTicks(y: ScaleLinear<number, number>, minGapPx = MIN_LABEL_GAP_PX): AxisTick[] {
  const [bottom, top] = y.range();
  const values = [...new Set(y.ticks(heightTickCount(bottom - top)).filter(Number.isInteger))].sort((a, b) => b - a);
  const out: AxisTick[] = [];
  for (const value of values) {
    const px = y(value);
    if (out.length === 0 || px - out[out.length - 1].px >= minGapPx) out.push({ value, px });
  }
  return out;
}

export interface TimeTick {
  t: number;
  px: number;
  label: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time label as precise as the tick step needs: 08:13:20, 08:13, or Nov 30 08:00 over days. */
export function timeLabel(t: number, stepMs: number, spanMs: number): string {
  const d = new Date(t);
  const clock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}${stepMs < 60_000 ? `:${pad2(d.getSeconds())}` : ''}`;
  return spanMs > 86_400_000 ? `${MONTHS[d.getMonth()]} ${d.getDate()} ${clock}` : clock;
}

/**
 * The time axis' labels: d3's time ticks (whole seconds, minutes, hours, days) as many as the
 * width holds without overlapping, and none so close to the right edge that it would run into
 * the 'now' label there.
 */
export function timeAxisTicks(x: ScaleTime<number, number>, labelPx = 72): TimeTick[] {
  const [left, right] = x.range();
  const [t0, t1] = x.domain().map(Number);
  const span = t1 - t0;
  const labelWidth = span > 86_400_000 ? labelPx * 1.6 : labelPx;
  const ticks = x.ticks(Math.max(2, Math.floor((right - left) / (labelWidth + 16)))).map(Number);
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : span;
  return ticks.map((t) => ({ t, px: x(t), label: timeLabel(t, step, span) })).filter((tick) => tick.px - left >= labelWidth / 2 && right - tick.px >= labelWidth);
}

/** Each series' height at time `t` (the step line's value there), null before its first point. */
export function heightAt(points: ReadonlyArray<readonly [number, number]>, t: number): number | null {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid][0] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : points[lo - 1][1];
}

/** A step line of one node's heights (each holds until the next change), clipped at the window's left edge and run on to `tEnd`. */
export function stepPath(points: Array<[number, number]>, x: (t: number) => number, y: (h: number) => number, t0: number, tEnd: number): string {
  if (points.length === 0) return '';
  const clipped: Array<[number, number]> = points.map(([t, h]) => [Math.max(t, t0), h]);
  clipped.push([tEnd, points[points.length - 1][1]]);
  return stepLinePath(clipped, x, y);
}
