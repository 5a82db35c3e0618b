'use client';
// A run's timeline: every node's head height over the run (a step line per node; on BFT a
// dashed line for the highest finalized height), each fault shaded as a band from when it was
// applied to when it was healed, a dashed line at each heal and, under it, a bar for the time
// the network took to recover. Above the plot, strips for when the heads were on different
// branches and for the longest stall; a ring where a node reorganised (two branches of one
// height draw as one line, so the strip and rings are what show a PoA fork). The x axis is
// seconds since the run started, so two runs drawn with the same `axisMs` line up.
import { memo, useId, useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import type { RunHistory } from '../../../wire/run-history.ts';
import type { Names } from '../chaos/chaosModel.ts';
import { nameOf } from '../chaos/chaosModel.ts';
import { nodeColorMap } from '../common/nodeColors.ts';
import { stepLinePath, type Point } from '../common/stepLine.ts';
import { useElementWidth } from '../common/useElementWidth.ts';
import { runChartData, type StepPoint } from './runChart.ts';
import { describeFault, faultLabel, faultsInOrder, recoveryOf } from './runModel.ts';
import type { RunStats } from './runStats.ts';
import styles from './runs.module.css';

const HEIGHT = 280;
const PAD = { left: 56, right: 14, top: 34, bottom: 38 };
/** Stalls shorter than this are ordinary gaps between blocks: reported in words, not drawn. */
const DRAWN_STALL_MS = 3_000;

/** A step line run on to the axis' end (each height holds until the next change). */
function linePath(points: readonly StepPoint[], endMs: number, x: (t: number) => number, y: (h: number) => number): string {
  if (points.length === 0) return '';
  const pts: Point[] = [...points, [endMs, points[points.length - 1][1]]];
  return stepLinePath(pts, x, y);
}

/** "0 s", "30 s", "1:30" … for the time axis. */
function tickLabel(sec: number): string {
  if (sec < 120) return `${sec} s`;
  return `${Math.floor(sec / 60)}:${String(sec % 60).padStart(2, '0')}`;
}

/** "21.9 s". */
function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A bar over a stretch of time at one y, with a hover text: forks, stalls, recoveries. */
function Strip({ x0, x1, y, h, className, testId, title }: { x0: number; x1: number; y: number; h: number; className: string; testId?: string; title: string }) {
  return (
    <rect x={x0} y={y} width={Math.max(2, x1 - x0)} height={h} className={className} data-testid={testId}>
      <title>{title}</title>
    </rect>
  );
}

interface ChartProps {
  history: RunHistory;
  names: Names;
  /** The time axis' length, ms (the longer of two compared runs); default the run's own length. */
  axisMs?: number;
  /** The height axis' top (the higher of two compared runs); default the run's own highest block. */
  heightMax?: number;
  stats: RunStats | null;
  recoveries: Parameters<typeof recoveryOf>[1];
  width: number;
}

const ChartSvg = memo(function ChartSvg({ history, names, axisMs, heightMax, stats, recoveries, width }: ChartProps) {
  const clipId = useId();
  const plotW = Math.max(10, width - PAD.left - PAD.right);
  const data = useMemo(() => runChartData(history, plotW), [history, plotW]);
  const endMs = data.durationMs;
  const axis = Math.max(axisMs ?? endMs, endMs);
  const colors = useMemo(() => nodeColorMap(history.nodes.map((id) => ({ id, name: nameOf(names, id) }))), [history.nodes, names]);
  const top = Math.max(data.maxHeight, heightMax ?? 0);
  const pad = Math.max(1, Math.ceil((top - data.minHeight) * 0.05));
  const x = scaleLinear()
    .domain([0, axis])
    .range([PAD.left, PAD.left + plotW]);
  const y = scaleLinear()
    .domain([Math.max(0, data.minHeight - pad), top + pad])
    .range([HEIGHT - PAD.bottom, PAD.top]);
  const start = history.startedAt;
  const plotTop = PAD.top;
  const plotBottom = HEIGHT - PAD.bottom;
  const secTicks = scaleLinear()
    .domain([0, axis / 1000])
    .ticks(Math.max(2, Math.floor(plotW / 70)))
    .filter(Number.isInteger);
  const faults = faultsInOrder({ history });
  const n = data.nodes.length;
  const engineName = history.engine.toUpperCase();
  const stall = stats?.longestStall && stats.longestStall.ms >= DRAWN_STALL_MS ? stats.longestStall : null;
  const linePoints = new Map(data.nodes.map((l) => [l.nodeId, l.points]));
  /** A node's height at a time (ms since start) on its drawn line, for placing its reorg ring. */
  const heightAt = (nodeId: string, t: number, fallback: number) => {
    const pts = linePoints.get(nodeId) ?? [];
    let h = fallback;
    for (const [pt, ph] of pts) if (pt <= t) h = ph;
    return h;
  };
  return (
    <svg
      width={width}
      height={HEIGHT}
      role="img"
      aria-label={`Block height of each node over the ${engineName} run, with ${faults.length} fault${faults.length === 1 ? '' : 's'} shaded`}
      className="chart"
    >
      {y
        .ticks(5)
        .filter(Number.isInteger)
        .map((h) => (
          <g key={`h${h}`}>
            <line x1={PAD.left} x2={PAD.left + plotW} y1={y(h)} y2={y(h)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(h) + 4} textAnchor="end" className="chart-label">
              {h}
            </text>
          </g>
        ))}
      <text transform={`translate(12 ${(plotTop + plotBottom) / 2}) rotate(-90)`} textAnchor="middle" className={styles.axisTitle}>
        block height
      </text>
      {secTicks.map((s) => (
        <text key={`t${s}`} x={x(s * 1000)} y={plotBottom + 14} textAnchor="middle" className="chart-label">
          {tickLabel(s)}
        </text>
      ))}
      <text x={PAD.left + plotW / 2} y={HEIGHT - 4} textAnchor="middle" className={styles.axisTitle}>
        time since the run started
      </text>
      {faults.map((f, i) => {
        const x0 = x(f.appliedAt - start);
        const x1 = x((f.healedAt ?? history.endedAt) - start);
        // A fault that began while the one before was still in force: its label goes inside the band, below the other's.
        const prev = faults[i - 1];
        const overlaps = prev !== undefined && (prev.healedAt ?? history.endedAt) > f.appliedAt;
        return (
          <g key={`f${f.id}`} data-testid="fault-band" data-fault-id={f.id}>
            <title>{`#${i + 1} ${faultLabel(f.kind)}: ${describeFault(f, names)}`}</title>
            <rect x={x0} y={plotTop} width={Math.max(2, x1 - x0)} height={plotBottom - plotTop} className={styles.band} />
            <text x={x0 + 3} y={overlaps ? plotTop + 14 : plotTop - 18} className={styles.bandLabel}>
              {`#${i + 1} ${faultLabel(f.kind)}`}
            </text>
          </g>
        );
      })}
      <clipPath id={clipId}>
        <rect x={PAD.left} y={0} width={plotW + 1} height={HEIGHT} />
      </clipPath>
      <g clipPath={`url(#${clipId})`}>
        {data.nodes.map((line, i) => (
          <path
            key={line.nodeId}
            d={linePath(line.points, endMs, x, y)}
            fill="none"
            stroke={colors.get(line.nodeId) ?? 'currentColor'}
            strokeWidth={n > 1 ? Math.max(1.5, 2 + (n - 1 - i) * (5 / n)) : 2}
            strokeLinejoin="round"
            data-node={nameOf(names, line.nodeId)}
          />
        ))}
        {data.finalized.length > 0 && (
          <path d={linePath(data.finalized, endMs, x, y)} fill="none" stroke="var(--text)" strokeWidth={1.5} strokeDasharray="5 4" data-testid="run-finalized-line" />
        )}
      </g>
      {faults.map((f) => {
        if (f.healedAt === null) return null;
        const hx = x(f.healedAt - start);
        const rec = recoveryOf(f, recoveries);
        const barY = plotBottom - 7;
        return (
          <g key={`h${f.id}`}>
            <line x1={hx} x2={hx} y1={plotTop} y2={plotBottom} className={styles.healLine} data-testid="heal-marker" />
            {rec.kind === 'recovered' && (
              <Strip
                x0={hx}
                x1={x(rec.recoveredAt - start)}
                y={barY}
                h={6}
                className={styles.recoverySpan}
                testId="recovery-span"
                title={`recovered ${rec.sec} s after the heal`}
              />
            )}
            {rec.kind === 'not-recovered' && (
              <Strip x0={hx} x1={x(history.endedAt - start)} y={barY} h={6} className={styles.recoveryMissing} title="not recovered by the end of the run" />
            )}
          </g>
        );
      })}
      {[
        ...(stats?.forkedSpans ?? []).map((f) => ({
          ...f,
          y: plotTop - 7,
          className: styles.forkSpan,
          testId: 'fork-span',
          title: `heads on different branches for ${secs(f.to - f.from)}`,
        })),
        ...(stall ? [{ ...stall, y: plotTop - 12, className: styles.stallSpan, testId: 'stall-span', title: `longest stall: ${secs(stall.ms)} without progress` }] : []),
      ].map((b) => (
        <Strip key={`${b.testId}${b.from}`} x0={x(b.from - start)} x1={x(b.to - start)} y={b.y} h={4} className={b.className} testId={b.testId} title={b.title} />
      ))}
      {stats?.reorgs.map((r, i) => (
        <circle key={`r${i}`} cx={x(r.at - start)} cy={y(heightAt(r.nodeId, r.at - start, r.toHeight))} r={5} className={styles.reorgMark} data-testid="reorg-mark">
          <title>{`${nameOf(names, r.nodeId)} reorganised ${r.depth} block${r.depth === 1 ? '' : 's'} deep (at height ${r.toHeight})`}</title>
        </circle>
      ))}
    </svg>
  );
});

/** The chart with its key: what each colour, dash, band and bar means. */
export function RunChart({ history, names, axisMs, heightMax, stats, recoveries }: Omit<ChartProps, 'width'>) {
  const [ref, width] = useElementWidth<HTMLDivElement>(700);
  const colors = useMemo(() => nodeColorMap(history.nodes.map((id) => ({ id, name: nameOf(names, id) }))), [history.nodes, names]);
  const finality = history.engine === 'bft' && history.finalized.length > 0;
  const sorted = useMemo(() => [...history.nodes].sort((a, b) => nameOf(names, a).localeCompare(nameOf(names, b), undefined, { numeric: true })), [history.nodes, names]);
  return (
    <div className="panel" data-testid="run-chart">
      <div ref={ref} className="chart-box">
        <ChartSvg history={history} names={names} axisMs={axisMs} heightMax={heightMax} stats={stats} recoveries={recoveries} width={width} />
      </div>
      <ul className="legend" aria-label="Chart key">
        {sorted.map((id) => (
          <li key={id}>
            <span className="swatch" style={{ background: colors.get(id) }} aria-hidden="true" />
            {nameOf(names, id)} head
          </li>
        ))}
        {finality && (
          <li title="The highest block any node had finalized (BFT: it can never be reverted)">
            <span className="swatch swatch-dashed" aria-hidden="true" />
            finalized height
          </li>
        )}
        <li>
          <span className={styles.keyBand} aria-hidden="true" />
          fault in force (applied → healed)
        </li>
        <li>
          <span className={styles.keyHeal} aria-hidden="true" />
          heal
        </li>
        <li>
          <span className={styles.keyRecovery} aria-hidden="true" />
          recovery (heal → all nodes past the heal&apos;s highest block{history.engine === 'poa' ? ', on one chain' : ''})
        </li>
        {stats && stats.forkedSpans.length > 0 && (
          <li>
            <span className={styles.keyFork} aria-hidden="true" />
            forked (heads on different branches)
          </li>
        )}
        {stats && stats.reorgs.length > 0 && (
          <li>
            <span className={styles.keyReorg} aria-hidden="true" />
            reorg (a node dropped blocks for another branch)
          </li>
        )}
        {stats?.longestStall && stats.longestStall.ms >= DRAWN_STALL_MS && (
          <li>
            <span className={styles.keyStall} aria-hidden="true" />
            longest stall ({finality ? 'no block finalized' : 'no node’s head rose'})
          </li>
        )}
      </ul>
    </div>
  );
}
