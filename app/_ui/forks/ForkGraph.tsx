'use client';
// The block tree as SVG: height to the right, one lane per branch, each node's tip labelled,
// fork points ringed, orphaned blocks dimmed; on BFT a green rail runs under the finalized
// blocks and a small coloured triangle above a block marks a node's finalized tip. Scrolls sideways; stays at the newest end while
// the reader is there. Keyboard: Tab reaches the graph, arrows walk parent / child / lane,
// Enter or Space selects.
import { memo, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import type { NodeTip } from '../../../wire/explorer-api.ts';
import type { ForkLayout, PlacedBlock } from './layoutForkTree.ts';
import type { FinalityPoint } from './forkFinality.ts';

const LANE = 30;
const BOX = 14;
const TOP = 30;
const LEFT = 20;
const RIGHT = 16;
const MIN_COL = 16;
const MAX_COL = 26;

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
  const cx = (p: PlacedBlock) => LEFT + p.col * col + col / 2;
  const cy = (p: PlacedBlock) => TOP + p.lane * LANE + LANE / 2;
  const edgePath = (a: PlacedBlock, b: PlacedBlock) => {
    const x1 = cx(a) + BOX / 2;
    const y1 = cy(a);
    const x2 = cx(b) - BOX / 2;
    const y2 = cy(b);
    if (y1 === y2) return `M${x1},${y1}H${x2}`;
    const mid = (x1 + x2) / 2;
    return `M${x1},${y1}C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  };
  return { cx, cy, edgePath };
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

export const ForkGraph = memo(function ForkGraph({ layout, col, labelCols, totalNodes, colors, selected, focused, onSelect, onHover, onFocusMove, finalityAt }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const stickRight = useRef(true);
  const COL = col;
  const { cx, cy, edgePath } = geometry(col);
  const width = LEFT + (layout.columns + labelCols) * COL + RIGHT;
  const height = TOP + Math.max(1, layout.laneCount) * LANE + 8;

  // Keep the newest heights in view while the reader has not scrolled away from them.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stickRight.current) el.scrollLeft = el.scrollWidth;
  }, [layout, col]);

  // Lanes that carry at least one node's head: the branches the network is split into now.
  const tipLanes = new Set([...layout.tipsAt.keys()].map((h) => layout.byHash.get(h)!.lane));
  const step = layout.columns > 120 ? 10 : 5;
  const ticks: number[] = [];
  for (let h = Math.ceil(layout.minHeight / step) * step; h <= layout.maxHeight; h += step) ticks.push(h);

  function neighbour(p: PlacedBlock, key: string): PlacedBlock | undefined {
    if (key === 'ArrowLeft') return layout.byHash.get(p.block.parentHash);
    if (key === 'ArrowRight') {
      const kids = layout.children.get(p.block.hash) ?? [];
      return kids.find((k) => k.lane === p.lane) ?? kids[0];
    }
    const sameHeight = layout.blocks.filter((b) => b.col === p.col).sort((a, b) => a.lane - b.lane);
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
    el?.focus();
  }

  return (
    <div
      className="fork-scroll"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        stickRight.current = el.scrollLeft + el.clientWidth >= el.scrollWidth - COL * 2;
      }}
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
      >
        {ticks.map((h) => {
          const x = LEFT + (h - layout.minHeight) * COL + COL / 2;
          return (
            <g key={h}>
              <line x1={x} x2={x} y1={TOP - 6} y2={height} className="chart-grid" />
              <text x={x} y={TOP - 10} textAnchor="middle" className="chart-label">
                {h}
              </text>
            </g>
          );
        })}
        {layout.branches
          .filter((br) => br.parent === null && br.blocks[0].block.height > layout.minHeight)
          .map((br) => (
            // A branch whose parent is below the range: a short stub says "comes from further left".
            <path key={`stub-${br.blocks[0].block.hash}`} d={`M${cx(br.blocks[0]) - COL},${cy(br.blocks[0])}H${cx(br.blocks[0]) - BOX / 2}`} className="fk-edge fk-stub" />
          ))}
        {layout.edges.map(({ parent, child }) => (
          <path key={child.block.hash} d={edgePath(parent, child)} className={`fk-edge${child.block.orphaned ? ' fk-edge-orphan' : ''}`} />
        ))}
        {layout.blocks.map((p) => {
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
              {p.block.finalized && <rect x={x - COL / 2} y={y + BOX / 2 + 2} width={COL} height={3} className="fk-finalrail" data-testid="fork-final-rail" />}
              {finalOf?.map((f, i) => {
                // Triangles above the block, side by side, pointing down at it.
                const fx = x - ((finalOf.length - 1) * 7) / 2 + i * 7;
                const fy = y - BOX / 2 - 3;
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
              {forkPoint && <circle cx={x} cy={y} r={BOX / 2 + 5} className="fk-forkring" />}
              {isSel && <rect x={x - BOX / 2 - 4} y={y - BOX / 2 - 4} width={BOX + 8} height={BOX + 8} rx={5} className="fk-selected" />}
              <rect x={x - BOX / 2} y={y - BOX / 2} width={BOX} height={BOX} rx={3} className={blockClass(p, totalNodes, forkPoint)} />
              {tips && (
                <>
                  <rect x={x - BOX / 2 - 1.5} y={y - BOX / 2 - 1.5} width={BOX + 3} height={BOX + 3} rx={4} className="fk-tipframe" />
                  <text
                    x={leaf ? x + BOX / 2 + 5 : x}
                    y={leaf ? y + 4 : y - BOX / 2 - 4}
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
                </>
              )}
              <title>{`#${p.block.height} ${p.block.hash.slice(0, 12)}…${p.block.orphaned ? ' (orphaned)' : ''}${p.block.finalized ? ' (finalized)' : ''}`}</title>
            </g>
          );
        })}
      </svg>
    </div>
  );
});
