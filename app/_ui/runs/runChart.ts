// The run page's height chart data: every node's head height (and on BFT the finalized height)
// as step lines over the run's time, relative to its start so two runs share one axis. A long
// run holds thousands of readings; the chart needs a few points per pixel column, so each line
// is downsampled here, keeping every column's first, lowest, highest and last value (a stall,
// a drop after a reorg and a jump after catching up all stay visible). Pure, unit-tested.
import type { ChainReading, RunHistory } from '../../../wire/run-history.ts';

/** [ms since the run's start, height]. */
export type StepPoint = [number, number];

export interface NodeLine {
  nodeId: string;
  points: StepPoint[];
}

export interface RunChartData {
  /** Run length, ms: the time axis runs from 0 to here. */
  durationMs: number;
  nodes: NodeLine[];
  /** BFT: the highest height any node had finalized, over time; empty on PoA. */
  finalized: StepPoint[];
  minHeight: number;
  maxHeight: number;
}

/** One node's readings as a step line: only the points where its height changed. */
export function stepLine(readings: readonly ChainReading[], startedAt: number): StepPoint[] {
  const out: StepPoint[] = [];
  for (const r of readings) {
    const last = out[out.length - 1];
    if (last && last[1] === r.height) continue;
    out.push([Math.max(0, r.at - startedAt), r.height]);
  }
  return out;
}

/** The highest finalized height of any node over time (finality never goes back). */
export function finalizedLine(readings: readonly ChainReading[], startedAt: number): StepPoint[] {
  const out: StepPoint[] = [];
  let top = -1;
  for (const r of [...readings].sort((a, b) => a.at - b.at)) {
    if (r.height <= top) continue;
    top = r.height;
    const t = Math.max(0, r.at - startedAt);
    const last = out[out.length - 1];
    if (last && last[0] === t) last[1] = top;
    else out.push([t, top]);
  }
  return out;
}

/**
 * At most about 4 points per column of `columns` equal time slices of [0, durationMs]: each
 * column keeps its first, lowest, highest and last point in time order. A line already that
 * short is returned as is.
 */
export function downsampleSteps(points: readonly StepPoint[], durationMs: number, columns: number): StepPoint[] {
  const cols = Math.max(1, Math.floor(columns));
  if (points.length <= cols * 4 || durationMs <= 0) return [...points];
  const out: StepPoint[] = [];
  let i = 0;
  while (i < points.length) {
    const col = Math.min(cols - 1, Math.floor((points[i][0] / durationMs) * cols));
    let j = i;
    let lo = i;
    let hi = i;
    while (j + 1 < points.length && Math.min(cols - 1, Math.floor((points[j + 1][0] / durationMs) * cols)) === col) {
      j++;
      if (points[j][1] < points[lo][1]) lo = j;
      if (points[j][1] > points[hi][1]) hi = j;
    }
    for (const k of [...new Set([i, lo, hi, j])].sort((a, b) => a - b)) out.push(points[k]);
    i = j + 1;
  }
  return out;
}

/** The chart's lines for one run, each downsampled to `columns` columns (about the plot's width in pixels). */
export function runChartData(history: RunHistory, columns: number): RunChartData {
  const durationMs = Math.max(1, history.endedAt - history.startedAt);
  const byNode = new Map<string, ChainReading[]>(history.nodes.map((id) => [id, []]));
  for (const r of [...history.heads].sort((a, b) => a.at - b.at)) {
    const list = byNode.get(r.nodeId);
    if (list) list.push(r);
    else byNode.set(r.nodeId, [r]);
  }
  const nodes = [...byNode].map(([nodeId, rs]) => ({ nodeId, points: downsampleSteps(stepLine(rs, history.startedAt), durationMs, columns) }));
  const finalized = downsampleSteps(finalizedLine(history.finalized, history.startedAt), durationMs, columns);
  let minHeight = Infinity;
  let maxHeight = -Infinity;
  for (const line of [...nodes.map((n) => n.points), finalized]) {
    for (const [, h] of line) {
      if (h < minHeight) minHeight = h;
      if (h > maxHeight) maxHeight = h;
    }
  }
  if (!Number.isFinite(minHeight)) [minHeight, maxHeight] = [0, 1];
  return { durationMs, nodes, finalized, minHeight, maxHeight };
}
