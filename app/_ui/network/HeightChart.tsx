'use client';
// Height over time, one step line per node: a node that stalls goes flat, a node that falls
// behind drops below the others, a fork shows as lines that stop overlapping. On an engine
// with finality (BFT) a dashed line shows the network's finalized height beside them. The
// window (5 min, 1 h, all) is the reader's choice; chaos faults are shaded where they held;
// a cursor (pointer or arrow keys) reads every line at one moment.
import { useMemo, useState } from 'react';
import Link from 'next/link';
import { HEIGHT_WINDOW_MS, HEIGHT_WINDOWS, type HeightSeries, type HeightWindow, type NodeStatus } from '../../../wire/explorer-api.ts';
import { useChaos } from '../chaos/useChaos.ts';
import { nodeColorMap } from '../common/nodeColors.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useElementWidth } from '../common/useElementWidth.ts';
import { useNow } from '../common/useNow.ts';
import { faultBands } from './faultBands.ts';
import { CHART_HEIGHT, CHART_PAD, HeightChartSvg } from './HeightChartSvg.tsx';
import { chartDomain, chartScales, heightAt, timeLabel, type ChartDomain } from './heightSeries.ts';
import { useHeights } from './useHeights.ts';
import { useHeightWindow } from './useHeightWindow.ts';

const WINDOW_LABELS: Record<HeightWindow, string> = { '5m': '5 min', '1h': '1 h', all: 'All' };
/** 'All' right after a start still spans a few seconds, so the first blocks are not squeezed against 'now'. */
const MIN_ALL_MS = 10_000;

function windowCaption(win: HeightWindow, domain: ChartDomain): string {
  if (win === '5m') return 'over the last 5 minutes';
  if (win === '1h') return 'over the last hour';
  return `since the first indexed head, ${timeLabel(domain.t0, 60_000, domain.t1 - domain.t0)}`;
}

export function HeightChart({ nodes }: { nodes: NodeStatus[] }) {
  const [win, setWin] = useHeightWindow();
  const { data, error, isPending } = useHeights(win);
  const chaos = useChaos().data;
  const now = useNow();
  const [ref, width] = useElementWidth<HTMLDivElement>(600);
  const [cursor, setCursor] = useState<number | null>(null);
  const colors = useMemo(() => nodeColorMap(nodes.length ? nodes : (data?.series ?? []).map((s) => ({ id: s.nodeId, name: s.name }))), [nodes, data?.series]);
  const names = useMemo(() => new Map(nodes.map((n) => [n.id, n.name])), [nodes]);
  const series = useMemo(() => [...(data?.series ?? [])].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [data?.series]);
  const finalized = data?.finalized;
  const windowMs = HEIGHT_WINDOW_MS[win] ?? Math.max(MIN_ALL_MS, now - (data?.since ?? now));
  // The finalized line counts for the height range too: it may sit below every node.
  const withFinalized: HeightSeries[] = finalized?.length ? [...series, { nodeId: 'finalized', name: 'finalized', points: finalized }] : series;
  const domain = chartDomain(withFinalized, now, windowMs);
  const bands = faultBands(chaos, domain.t0, domain.t1, names);
  const caption = windowCaption(win, domain);
  // Heights alone cannot show a fork whose sides keep pace (a 2|2 partition): say so, and where to look.
  const diverged = nodes.filter((n) => n.status === 'diverged');
  // An even split (2|2) has no main branch, so every node on it has diverged.
  const evenSplit = diverged.length > 1 && diverged.length === nodes.filter((n) => n.status !== 'down').length;

  let body;
  if (data && series.length > 0) {
    body = (
      <HeightChartSvg
        series={series}
        finalized={finalized}
        colors={colors}
        width={width}
        domain={domain}
        bands={bands}
        cursor={cursor}
        onCursor={setCursor}
        label={`Block height of each node ${caption}`}
      />
    );
  } else if (isPending) body = <Loading what="height history" />;
  else if (error && !data) body = <ErrorState error={error} what="the height history (the chart fills in from live updates)" />;
  else body = <Empty>No height samples yet.</Empty>;

  const heightNow = new Map(nodes.map((n) => [n.id, n.height]));
  const valueOf = (s: HeightSeries) => (cursor !== null ? heightAt(s.points, cursor) : (heightNow.get(s.nodeId) ?? s.points[s.points.length - 1]?.[1] ?? null));
  const finalizedValue = finalized?.length ? (cursor !== null ? heightAt(finalized, cursor) : finalized[finalized.length - 1][1]) : null;
  return (
    <div className="panel" data-testid="height-chart" data-window={win}>
      <div className="chart-toolbar">
        <div role="group" aria-label="Time window" className="button-group">
          {HEIGHT_WINDOWS.map((w) => (
            <button key={w} type="button" className="button" aria-pressed={w === win} onClick={() => setWin(w)} data-testid={`window-${w}`}>
              {WINDOW_LABELS[w]}
            </button>
          ))}
        </div>
        <span className="muted small">{caption}</span>
      </div>
      <div ref={ref} className="chart-box">
        {body}
        {cursor !== null && series.length > 0 && (
          <CursorTooltip
            cursor={cursor}
            domain={domain}
            width={width}
            series={series}
            colors={colors}
            finalized={finalizedValue}
            faults={bands.filter((b) => b.from <= cursor && cursor <= b.to).map((b) => b.label)}
          />
        )}
      </div>
      {diverged.length > 0 && (
        <p className="chart-note" data-testid="chart-fork-note">
          {evenSplit
            ? 'The nodes are split into branches of equal size, none of them the main one'
            : `${diverged.map((n) => n.name).join(', ')} ${diverged.length === 1 ? 'is' : 'are'} on another branch`}
          : branches that grow at the same pace draw the same height here, so the lines can overlap during a fork. <Link href="/forks">See the branches</Link>.
        </p>
      )}
      {series.length > 0 && (
        <ul className="legend" aria-live="off">
          {series.map((s) => (
            <li key={s.nodeId}>
              <span className="swatch" style={{ background: colors.get(s.nodeId) }} aria-hidden="true" />
              <Link href={`/nodes/${encodeURIComponent(s.nodeId)}`}>{s.name}</Link> <span className="muted">{valueOf(s) ?? '—'}</span>
            </li>
          ))}
          {finalizedValue !== null && (
            <li
              data-testid="finalized-legend"
              title="The highest finalized block (BFT: it can never be reverted): the history from the commits the control plane indexed, then live from the network verdict the banner also shows."
            >
              <span className="swatch swatch-dashed" aria-hidden="true" />
              finalized <span className="muted">{finalizedValue}</span>
            </li>
          )}
          {bands.length > 0 && (
            <li title="Chaos faults in force over the window: hover a band for which one">
              <span className="swatch swatch-fault" aria-hidden="true" />
              fault
            </li>
          )}
        </ul>
      )}
    </div>
  );
}

/** What the cursor reads: the moment, each node's height then, the finalized height, and the faults in force. */
function CursorTooltip({
  cursor,
  domain,
  width,
  series,
  colors,
  finalized,
  faults,
}: {
  cursor: number;
  domain: ChartDomain;
  width: number;
  series: HeightSeries[];
  colors: Map<string, string>;
  finalized: number | null;
  faults: string[];
}) {
  const { x } = chartScales(domain, { width, height: CHART_HEIGHT, pad: CHART_PAD });
  const px = x(cursor);
  // Beside the cursor, on whichever side has room.
  const side = px > width / 2 ? { right: width - px + 10 } : { left: px + 10 };
  return (
    <div className="chart-tooltip" role="status" data-testid="chart-tooltip" style={{ top: CHART_PAD.top, ...side }}>
      <div className="chart-tooltip-time">{timeLabel(cursor, 1_000, domain.t1 - domain.t0)}</div>
      <ul>
        {series.map((s) => (
          <li key={s.nodeId} data-testid="tooltip-row" data-node={s.name}>
            <span className="swatch" style={{ background: colors.get(s.nodeId) }} aria-hidden="true" />
            {s.name} <b>{heightAt(s.points, cursor) ?? '—'}</b>
          </li>
        ))}
        {finalized !== null && (
          <li data-testid="tooltip-finalized">
            <span className="swatch swatch-dashed" aria-hidden="true" />
            finalized <b>{finalized}</b>
          </li>
        )}
      </ul>
      {faults.map((f) => (
        <div key={f} className="chart-tooltip-fault" data-testid="tooltip-fault">
          {f}
        </div>
      ))}
    </div>
  );
}
