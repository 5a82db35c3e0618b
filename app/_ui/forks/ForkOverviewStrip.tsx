'use client';
// The whole indexed height range in one strip above the block tree: a bar per bucket of heights
// as tall as its competing (stale or side) blocks, a red tick where a fork point is, the heights
// loaded below (shaded) and those on screen (framed). Click or drag to move the tree there;
// with the keyboard it is a slider (arrows: a screen, Page keys: a tenth, Home/End).
import { memo, useMemo, useRef, useSyncExternalStore, type KeyboardEvent, type PointerEvent } from 'react';
import type { ForkOverviewResponse } from '../../../wire/explorer-api.ts';
import { densityBuckets, heightAtFraction } from './forkOverview.ts';
import type { ViewportStore } from './forkViewport.ts';

const BUCKETS = 240;
const W = 1000; // viewBox units across; the strip stretches to the panel's width
const H = 36;

interface Props {
  overview: ForkOverviewResponse;
  /** The heights the tree below holds now. */
  loaded: { from: number; to: number };
  viewport: ViewportStore;
  /** Move the tree to centre this height; `final` once the pointer is released (or by keyboard). */
  onMove: (height: number, final: boolean) => void;
}

const Bars = memo(function Bars({ overview, min, max }: { overview: ForkOverviewResponse; min: number; max: number }) {
  const buckets = useMemo(() => densityBuckets({ ...overview, minHeight: min, maxHeight: max }, BUCKETS), [overview, min, max]);
  const most = Math.max(1, ...buckets.map((b) => b.side));
  const bw = W / Math.max(1, buckets.length);
  return (
    <g>
      {buckets.map((b, i) =>
        b.side === 0 && b.forks === 0 ? null : (
          <g key={b.from}>
            {b.side > 0 && <rect x={i * bw} y={H - 4 - (H - 10) * (b.side / most)} width={Math.max(1, bw - 0.5)} height={(H - 10) * (b.side / most)} className="fo-side" />}
            {b.forks > 0 && <rect x={i * bw} y={H - 4} width={Math.max(1, bw - 0.5)} height={4} className="fo-fork" />}
          </g>
        ),
      )}
    </g>
  );
});

function useVisible(viewport: ViewportStore) {
  return useSyncExternalStore(viewport.subscribe, viewport.get, () => null);
}

export function ForkOverviewStrip({ overview, loaded, viewport, onMove }: Props) {
  // The overview is re-read every 30 s; live blocks since then extend the range it spans.
  const min = Math.min(overview.minHeight ?? loaded.from, loaded.from);
  const max = Math.max(overview.maxHeight ?? loaded.to, loaded.to);
  const visible = useVisible(viewport);
  const pressed = useRef<number | null>(null);
  const x = (h: number) => ((h - min) / Math.max(1, max - min + 1)) * W;
  const center = visible ? Math.round((visible.from + visible.to) / 2) : Math.round((loaded.from + loaded.to) / 2);
  const screen = visible ? visible.to - visible.from + 1 : loaded.to - loaded.from + 1;
  const totalSide = useMemo(() => overview.sideBlocks.reduce((s, [, n]) => s + n, 0), [overview]);

  const heightAt = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return heightAtFraction((e.clientX - r.left) / Math.max(1, r.width), min, max);
  };
  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    pressed.current = e.pointerId;
    onMove(heightAt(e), false);
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (pressed.current === e.pointerId) onMove(heightAt(e), false);
  };
  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    if (pressed.current !== e.pointerId) return;
    pressed.current = null;
    onMove(heightAt(e), true);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const tenth = Math.max(1, Math.round((max - min) / 10));
    const to: Record<string, number> = { ArrowLeft: center - screen, ArrowRight: center + screen, PageUp: center - tenth, PageDown: center + tenth, Home: min, End: max };
    if (!(e.key in to)) return;
    e.preventDefault();
    onMove(Math.max(min, Math.min(max, to[e.key])), true);
  };

  // Nothing to show when no block is indexed, or when the tree below already holds every height.
  if (overview.minHeight === null || (loaded.from <= min && loaded.to >= max)) return null;
  return (
    <div className="fork-overview" data-testid="fork-overview">
      <div className="fork-overview-head small">
        <span className="strong">All heights</span>
        <span className="muted">
          {' '}
          {min}–{max}: {overview.forkHeights.length} fork point{overview.forkHeights.length === 1 ? '' : 's'}, {totalSide} competing block{totalSide === 1 ? '' : 's'}
          {overview.truncated ? ' (newest only)' : ''}. Click or drag to move the tree.
        </span>
        <span className="fork-overview-key muted">
          <span className="key fo-key-side" /> competing blocks <span className="key fo-key-fork" /> fork points <span className="key fo-key-loaded" /> loaded{' '}
          <span className="key fo-key-view" /> on screen
        </span>
      </div>
      <svg
        className="fork-overview-strip"
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        role="slider"
        tabIndex={0}
        aria-label="Position in all heights (click or drag; arrow keys move a screen)"
        aria-valuemin={min}
        aria-valuemax={max}
        aria-valuenow={center}
        aria-valuetext={`heights ${visible?.from ?? loaded.from} to ${visible?.to ?? loaded.to} of ${min}–${max}`}
        data-testid="fork-overview-strip"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => (pressed.current = null)}
        onKeyDown={onKeyDown}
      >
        <rect x={0} y={0} width={W} height={H} className="fo-bg" />
        <rect x={x(loaded.from)} y={0} width={Math.max(2, x(loaded.to + 1) - x(loaded.from))} height={H} className="fo-loaded" data-testid="fork-overview-loaded" />
        <Bars overview={overview} min={min} max={max} />
        {visible && (
          <rect
            x={x(visible.from)}
            y={1}
            width={Math.max(3, x(visible.to + 1) - x(visible.from))}
            height={H - 2}
            className="fo-view"
            data-testid="fork-overview-view"
            data-from={visible.from}
            data-to={visible.to}
          />
        )}
      </svg>
      <div className="fork-overview-axis muted small" aria-hidden="true">
        <span>{min}</span>
        <span>{Math.round((min + max) / 2)}</span>
        <span>{max}</span>
      </div>
    </div>
  );
}
