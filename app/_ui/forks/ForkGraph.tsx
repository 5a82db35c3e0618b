'use client';
// The block tree as SVG: height to the right, one lane per branch, each node's tip labelled,
// fork points ringed, orphaned blocks dimmed; on BFT a green rail runs under the finalized
// blocks and a small coloured triangle above a block marks a node's finalized tip. Scrolls sideways (wheel, scrollbar or
// drag; Ctrl+wheel zooms); stays at the newest end while the reader is there. Only the columns
// on screen (plus a margin) are drawn: the layout is made once per data change (ForkView) and a
// scroll only picks another slice of it, so 500 heights cost what one screen does.
// Keyboard: Tab reaches the graph, arrows walk parent / child / lane, Enter or Space selects.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { NodeTip } from '../../../wire/explorer-api.ts';
import type { ForkLayout, PlacedBlock } from './layoutForkTree.ts';
import type { FinalityPoint } from './forkFinality.ts';
import { drawnColumns, inColumns, scrollToCenter, visibleColumns, type ColumnSpan, type ViewportStore } from './forkViewport.ts';

const LANE = 30;
const BOX = 14;
const TOP = 40; // room for tick labels and, above lane 0, two rows of head labels
const LEFT = 20;
const RIGHT = 16;
const MIN_COL = 16;
const MAX_COL = 26;
/** Zoom limits for the column width, px: from a whole 500-height window on one screen to a close look. */
export const ZOOM_MIN_COL = 3;
export const ZOOM_MAX_COL = 48;
/** Below this column width the node names next to tips would cover other blocks: the tip frame stays, the names go to the tooltip. */
const LABEL_MIN_COL = 12;
/** Set once per page when the first tree is on screen (the explorer-ui benchmark reads it). */
export const GRAPH_DRAWN_MARK = 'forks:graph-drawn';
const GUESSED_PANEL_PX = 1150;

/** The names written next to a tip: all of them up to four, then the first three and a count. */
export function tipLabel(tips: NodeTip[]): string {
  const names = tips.map((t) => t.name);
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3} more`;
}

/** Pixels the longest tip label needs (about 7.5 px a character at 11 px bold, generously). */
export function labelWidth(tipsAt: Map<string, NodeTip[]>): number {
  let longest = 0;
  for (const tips of tipsAt.values()) longest = Math.max(longest, tipLabel(tips).length);
  return longest * 7.5 + BOX;
}

/**
 * Column width: as wide as fits the panel (so the default 60 heights are all in view at
 * 1280 px), never so narrow that blocks blur together; beyond that the graph scrolls.
 */
export function columnWidth(panelWidth: number, columns: number, labelPx: number): number {
  // One spare column: the label area is rounded up to whole columns.
  const fit = Math.floor((panelWidth - 4 - LEFT - RIGHT - labelPx) / Math.max(1, columns + 1));
  return Math.max(MIN_COL, Math.min(MAX_COL, fit));
}

/** Pixel positions for a given column width. */
function geometry(col: number) {
  const box = blockSize(col);
  const cx = (p: PlacedBlock) => LEFT + p.col * col + col / 2;
  const cy = (p: PlacedBlock) => TOP + p.lane * LANE + LANE / 2;
  const edgePath = (a: PlacedBlock, b: PlacedBlock) => {
    const x1 = cx(a) + box / 2;
    const y1 = cy(a);
    const x2 = cx(b) - box / 2;
    const y2 = cy(b);
    if (y1 === y2) return `M${x1},${y1}H${x2}`;
    const mid = (x1 + x2) / 2;
    return `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  };
  return { cx, cy, edgePath, box };
}

/** A block's square: full size from 18 px columns, smaller when zoomed out so neighbours stay apart. */
export function blockSize(col: number): number {
  return Math.max(2, Math.min(BOX, col - 4));
}

interface Props {
  layout: ForkLayout;
  /** Column width in px (see columnWidth). */
  col: number;
  labelCols: number;
  totalNodes: number;
  colors: Map<string, string>;
  selected: string | null;
  focused: string | null;
  onSelect: (hash: string) => void;
  onHover: (hash: string | null) => void;
  onFocusMove: (hash: string) => void;
  /** BFT: block hash → the nodes whose finalized tip it is. */
  finalityAt?: Map<string, FinalityPoint[]>;
  /** Where the visible heights are published (the overview strip and the fork buttons read it). */
  viewport?: ViewportStore;
  /** Scroll so this height is centred, once per new `seq` (overview strip, fork buttons). */
  centerOn?: { height: number; seq: number } | null;
  /** Ctrl+wheel over the graph: zoom by `factor` keeping `height` where it is. */
  onZoom?: (factor: number) => void;
}

function blockClass(p: PlacedBlock, totalNodes: number, forkPoint: boolean): string {
  const parts = ['fk-block'];
  if (p.block.orphaned) parts.push('fk-orphan');
  else if (p.block.nodes.length === 0) parts.push('fk-unheld');
  else if (totalNodes > 0 && p.block.nodes.length >= totalNodes) parts.push('fk-all');
  else parts.push('fk-some');
  if (forkPoint) parts.push('fk-forkpoint');
  return parts.join(' ');
}

export const ForkGraph = memo(function ForkGraph({
  layout,
  col,
  labelCols,
  totalNodes,
  colors,
  selected,
  focused,
  onSelect,
  onHover,
  onFocusMove,
  finalityAt,
  viewport,
  centerOn,
  onZoom,
}: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickRight = useRef(true);
  const COL = col;
  const { cx, cy, edgePath, box: BOXW } = geometry(col);
  const width = LEFT + (layout.columns + labelCols) * COL + RIGHT;
  const height = TOP + Math.max(1, layout.laneCount) * LANE + 8;
  const columns = layout.columns + labelCols;
  const showNames = COL >= LABEL_MIN_COL;

  // The columns drawn: recomputed on scroll, but it changes only when a chunk boundary is crossed.
  // The first guess: scrolled to the newest end of a typical panel, so the first draw is about
  // the right size and the measurement after it usually changes nothing.
  const [span, setSpan] = useState<ColumnSpan>(() =>
    drawnColumns({ scrollLeft: Math.max(0, width - GUESSED_PANEL_PX), viewportWidth: GUESSED_PANEL_PX, colPx: COL, leftPx: LEFT }, columns),
  );
  const measure = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const box = { scrollLeft: el.scrollLeft, viewportWidth: el.clientWidth || 1, colPx: COL, leftPx: LEFT };
    const next = drawnColumns(box, columns);
    setSpan((s) => (s.first === next.first && s.last === next.last ? s : next));
    if (viewport && layout.columns > 0) {
      const v = visibleColumns(box, layout.columns);
      viewport.set({ from: layout.minHeight + v.first, to: layout.minHeight + v.last });
    }
  }, [COL, columns, viewport, layout.columns, layout.minHeight]);

  // Keep the newest heights in view while the reader has not scrolled away from them; keep the
  // centre height in place when zooming.
  const centerCol = useRef<number | null>(null);
  const appliedCenter = useRef<number | null>(null);
  const pendingFocus = useRef<string | null>(null);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const geometryBox = { viewportWidth: el.clientWidth || 1, colPx: COL, leftPx: LEFT };
    if (centerOn && appliedCenter.current !== centerOn.seq && centerOn.height >= layout.minHeight && centerOn.height <= layout.maxHeight) {
      appliedCenter.current = centerOn.seq;
      stickRight.current = false;
      el.scrollLeft = scrollToCenter(centerOn.height - layout.minHeight, geometryBox);
    } else if (stickRight.current) el.scrollLeft = el.scrollWidth;
    else if (centerCol.current !== null) el.scrollLeft = scrollToCenter(centerCol.current, geometryBox);
    measure();
  }, [layout, COL, centerOn, measure]);

  // A block the keyboard moved to may not be drawn yet: focus it once its column is.
  useEffect(() => {
    const hash = pendingFocus.current;
    if (!hash) return;
    const el = scroller.current?.querySelector<SVGGElement>(`[data-hash="${hash}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus();
    }
  }, [span]);

  // The first tree on screen: a mark for the benchmark's "first render".
  useEffect(() => {
    if (layout.blocks.length > 0 && performance.getEntriesByName(GRAPH_DRAWN_MARK).length === 0) performance.mark(GRAPH_DRAWN_MARK);
  }, [layout]);

  // Ctrl+wheel (and a trackpad pinch, which arrives as one) zooms; React's wheel listener is
  // passive, so it cannot stop the page zoom.
  useEffect(() => {
    const el = scroller.current;
    if (!el || !onZoom) return;
    const wheel = (e: WheelEvent) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      onZoom(e.deltaY < 0 ? 1.25 : 0.8);
    };
    el.addEventListener('wheel', wheel, { passive: false });
    return () => el.removeEventListener('wheel', wheel);
  }, [onZoom]);

  // Drag the background to pan (a block under the pointer keeps its click).
  const drag = useRef<{ x: number; left: number; id: number } | null>(null);
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || (e.target as Element).closest('[data-testid="fork-block"]')) return;
    drag.current = { x: e.clientX, left: e.currentTarget.scrollLeft, id: e.pointerId };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === e.pointerId) e.currentTarget.scrollLeft = drag.current.left - (e.clientX - drag.current.x);
  };
  const endDrag = (e: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.id === e.pointerId) drag.current = null;
  };

  const drawn = useMemo(() => {
    const blocks = inColumns(layout.blocks, (p) => p.col, span);
    // Edges run from a parent one column left: those whose child is drawn, plus the one entering it.
    const edges = layout.edges.filter((e) => e.child.col >= span.first && e.parent.col <= span.last);
    return { blocks, edges };
  }, [layout, span]);

  // Head labels above a block (a tip with blocks after it) are centred on it; two such tips a
  // few heights apart would write their names over each other, so a label that would touch the
  // one before it in its lane goes one row higher. Once per layout and zoom, not per frame.
  const raisedLabels = useMemo(() => {
    const raised = new Set<string>();
    const lastEnd = new Map<number, { end: number; raised: boolean }>();
    const above = [...layout.tipsAt.entries()]
      .map(([hash, tips]) => ({ hash, tips, p: layout.byHash.get(hash)! }))
      .filter((t) => layout.children.has(t.hash))
      .sort((a, b) => a.p.col - b.p.col);
    for (const t of above) {
      const half = (tipLabel(t.tips).length * 6.5) / 2;
      const x = LEFT + t.p.col * COL + COL / 2;
      const prev = lastEnd.get(t.p.lane);
      const up = prev !== undefined && !prev.raised && x - half < prev.end + 4;
      if (up) raised.add(t.hash);
      lastEnd.set(t.p.lane, { end: x + half, raised: up });
    }
    return raised;
  }, [layout, COL]);

  // Lanes that carry at least one node's head: the branches the network is split into now.
  const tipLanes = new Set([...layout.tipsAt.keys()].map((h) => layout.byHash.get(h)!.lane));
  const step = Math.max(5, Math.ceil(40 / COL / 5) * 5 * (COL < 8 ? 2 : 1));
  const ticks: number[] = [];
  const tickFrom = layout.minHeight + span.first;
  const tickTo = Math.min(layout.maxHeight, layout.minHeight + span.last);
  for (let h = Math.ceil(tickFrom / step) * step; h <= tickTo; h += step) ticks.push(h);

  function neighbour(p: PlacedBlock, key: string): PlacedBlock | undefined {
    if (key === 'ArrowLeft') return layout.byHash.get(p.block.parentHash);
    if (key === 'ArrowRight') {
      const kids = layout.children.get(p.block.hash) ?? [];
      return kids.find((k) => k.lane === p.lane) ?? kids[0];
    }
    const sameHeight = inColumns(layout.blocks, (b) => b.col, { first: p.col, last: p.col });
    const i = sameHeight.indexOf(p);
    if (key === 'ArrowUp') return sameHeight[i - 1];
    if (key === 'ArrowDown') return sameHeight[i + 1];
    if (key === 'Home') return layout.blocks[0];
    if (key === 'End') return layout.byHash.get(layout.branches[0]?.blocks.at(-1)?.block.hash ?? '');
    return undefined;
  }

  function onKey(e: KeyboardEvent, p: PlacedBlock) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(p.block.hash);
      return;
    }
    const next = neighbour(p, e.key);
    if (!next) return;
    e.preventDefault();
    onFocusMove(next.block.hash);
    const el = scroller.current?.querySelector<SVGGElement>(`[data-hash="${next.block.hash}"]`);
    if (el) el.focus();
    else if (scroller.current) {
      // Off the drawn span: scroll there; the effect above focuses it once drawn.
      pendingFocus.current = next.block.hash;
      stickRight.current = false;
      scroller.current.scrollLeft = scrollToCenter(next.col, { viewportWidth: scroller.current.clientWidth, colPx: COL, leftPx: LEFT });
      measure();
    }
  }

  return (
    <div
      className="fork-scroll"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickRight.current = el.scrollLeft + el.clientWidth >= el.scrollWidth - COL * 2;
        centerCol.current = (el.scrollLeft + el.clientWidth / 2 - LEFT) / COL - 0.5;
        measure();
      }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
    >
      <svg
        width={width}
        height={height}
        className="fork-graph"
        data-testid="fork-graph"
        role="group"
        aria-label={`Block tree from height ${layout.minHeight} to ${layout.maxHeight}, ${layout.laneCount} lane(s), node heads on ${tipLanes.size}`}
        data-lanes={layout.laneCount}
        data-tip-branches={tipLanes.size}
        data-drawn-blocks={drawn.blocks.length}
        data-total-blocks={layout.blocks.length}
        data-col={COL}
      >
        {ticks.map((h) => {
          const x = LEFT + (h - layout.minHeight) * COL + COL / 2;
          return (
            <g key={h}>
              <line x1={x} x2={x} y1={16} y2={height} className="chart-grid" />
              <text x={x} y={12} textAnchor="middle" className="chart-label">
                {h}
              </text>
            </g>
          );
        })}
        {layout.branches
          .filter((br) => br.parent === null && br.blocks[0].block.height > layout.minHeight && br.blocks[0].col >= span.first && br.blocks[0].col <= span.last)
          .map((br) => (
            // A branch whose parent is below the range: a short stub says "comes from further left".
            <path key={`stub-${br.blocks[0].block.hash}`} d={`M${cx(br.blocks[0]) - COL},${cy(br.blocks[0])}H${cx(br.blocks[0]) - BOXW / 2}`} className="fk-edge fk-stub" />
          ))}
        {drawn.edges.map(({ parent, child }) => (
          <path key={child.block.hash} d={edgePath(parent, child)} className={`fk-edge${child.block.orphaned ? ' fk-edge-orphan' : ''}`} />
        ))}
        {drawn.blocks.map((p) => {
          const x = cx(p);
          const y = cy(p);
          const forkPoint = layout.forkPoints.has(p.block.hash);
          const tips = layout.tipsAt.get(p.block.hash);
          const leaf = !layout.children.has(p.block.hash);
          const isSel = selected === p.block.hash;
          const finalOf = finalityAt?.get(p.block.hash);
          return (
            <g
              key={p.block.hash}
              data-hash={p.block.hash}
              data-height={p.block.height}
              data-lane={p.lane}
              data-orphaned={p.block.orphaned || undefined}
              data-fork-point={forkPoint || undefined}
              data-finalized={p.block.finalized}
              data-testid="fork-block"
              className="fk-node"
              tabIndex={focused === p.block.hash ? 0 : -1}
              role="button"
              aria-pressed={isSel}
              aria-label={`Block ${p.block.height} ${p.block.hash.slice(0, 8)}${p.block.orphaned ? ', orphaned' : ''}${p.block.finalized ? ', finalized' : ''}${forkPoint ? ', fork point' : ''}${tips ? `, tip of ${tips.map((t) => t.name).join(', ')}` : ''}`}
              onClick={() => onSelect(p.block.hash)}
              onMouseEnter={() => onHover(p.block.hash)}
              onMouseLeave={() => onHover(null)}
              onFocus={() => onFocusMove(p.block.hash)}
              onKeyDown={(e) => onKey(e, p)}
            >
              {p.block.finalized && <rect x={x - COL / 2} y={y + BOXW / 2 + 2} width={COL} height={3} className="fk-finalrail" data-testid="fork-final-rail" />}
              {finalOf?.map((f, i) => {
                // Triangles above the block, side by side, pointing down at it.
                const fx = x - ((finalOf.length - 1) * 7) / 2 + i * 7;
                const fy = y - BOXW / 2 - 3;
                return (
                  <path
                    key={f.nodeId}
                    d={`M${fx - 3.5},${fy - 6}H${fx + 3.5}L${fx},${fy}Z`}
                    fill={colors.get(f.nodeId) ?? 'currentColor'}
                    data-testid="fork-finality"
                    data-node={f.name}
                  >
                    <title>{`${f.name} finalized up to #${f.height}`}</title>
                  </path>
                );
              })}
              {forkPoint && <circle cx={x} cy={y} r={BOXW / 2 + Math.min(5, COL / 2)} className="fk-forkring" />}
              {isSel && <rect x={x - BOXW / 2 - 4} y={y - BOXW / 2 - 4} width={BOXW + 8} height={BOXW + 8} rx={5} className="fk-selected" />}
              <rect x={x - BOXW / 2} y={y - BOXW / 2} width={BOXW} height={BOXW} rx={Math.min(3, BOXW / 3)} className={blockClass(p, totalNodes, forkPoint)} />
              {tips && (
                <>
                  <rect x={x - BOXW / 2 - 1.5} y={y - BOXW / 2 - 1.5} width={BOXW + 3} height={BOXW + 3} rx={4} className="fk-tipframe" />
                  {showNames && (
                    <text
                      x={leaf ? x + BOXW / 2 + 5 : x}
                      y={leaf ? y + 4 : y - BOXW / 2 - (raisedLabels.has(p.block.hash) ? 15 : 4)}
                      textAnchor={leaf ? 'start' : 'middle'}
                      className="fk-tiplabel"
                      data-testid="fork-tip-label"
                    >
                      {(tips.length <= 4 ? tips : tips.slice(0, 3)).map((t, i) => (
                        <tspan key={t.nodeId} fill={colors.get(t.nodeId)} data-testid="fork-tip" data-node={t.name} data-lane={p.lane}>
                          {i > 0 ? ', ' : ''}
                          {t.name}
                        </tspan>
                      ))}
                      {tips.length > 4 && <tspan>{` +${tips.length - 3} more`}</tspan>}
                    </text>
                  )}
                </>
              )}
              <title>{`#${p.block.height} ${p.block.hash.slice(0, 12)}…${p.block.orphaned ? ' (orphaned)' : ''}${p.block.finalized ? ' (finalized)' : ''}${tips ? `, head of ${tips.map((t) => t.name).join(', ')}` : ''}`}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
});
