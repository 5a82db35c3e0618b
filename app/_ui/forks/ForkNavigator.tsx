'use client';
// Buttons over the block tree: jump to the fork point before or after the heights on screen,
// and zoom (Ctrl+wheel over the tree does the same). The fork heights come from the overview, so
// the jumps reach forks outside the loaded heights too.
import { useSyncExternalStore } from 'react';
import { adjacentFork } from './forkOverview.ts';
import type { ViewportStore } from './forkViewport.ts';

interface Props {
  forkHeights: readonly number[];
  viewport: ViewportStore;
  /** Used before the tree has reported what is on screen. */
  fallbackCenter: number;
  onJump: (height: number) => void;
  zoom: { canIn: boolean; canOut: boolean; fitted: boolean; loadedHeights: number; onIn: () => void; onOut: () => void; onFit: () => void };
}

export function ForkNavigator({ forkHeights, viewport, fallbackCenter, onJump, zoom }: Props) {
  const visible = useSyncExternalStore(viewport.subscribe, viewport.get, () => null);
  const center = visible ? Math.round((visible.from + visible.to) / 2) : fallbackCenter;
  const previous = adjacentFork(forkHeights, center, 'previous');
  const next = adjacentFork(forkHeights, center, 'next');
  const jumps = [
    { id: 'fork-prev', to: previous, side: 'below', label: '◀ Previous fork' },
    { id: 'fork-next', to: next, side: 'above', label: 'Next fork ▶' },
  ];
  return (
    <div className="fork-nav" role="toolbar" aria-label="Move through the block tree">
      <span className="button-group">
        {jumps.map((j) => (
          <button
            key={j.id}
            type="button"
            className="button"
            disabled={j.to === null}
            onClick={() => j.to !== null && onJump(j.to)}
            title={j.to === null ? `No fork point ${j.side} the heights on screen` : `Centre the tree on the fork point at height ${j.to}, the nearest one ${j.side} the centre`}
            data-testid={j.id}
            data-target={j.to ?? undefined}
          >
            {j.label}
          </button>
        ))}
      </span>
      <span className="button-group">
        <button
          type="button"
          className="button"
          onClick={zoom.onOut}
          disabled={!zoom.canOut}
          title="Zoom out: more heights on screen (Ctrl+wheel over the tree)"
          data-testid="fork-zoom-out"
        >
          − Zoom out
        </button>
        <button
          type="button"
          className="button"
          onClick={zoom.onIn}
          disabled={!zoom.canIn}
          title="Zoom in: fewer, larger blocks (Ctrl+wheel over the tree)"
          data-testid="fork-zoom-in"
        >
          + Zoom in
        </button>
        <button
          type="button"
          className="button"
          onClick={zoom.onFit}
          disabled={zoom.fitted}
          title={zoom.fitted ? 'All loaded heights are on screen' : `Zoom out until all ${zoom.loadedHeights} loaded heights are on screen`}
          data-testid="fork-zoom-fit"
        >
          Fit all {zoom.loadedHeights}
        </button>
      </span>
      {visible && (
        <span className="muted small" data-testid="fork-visible">
          on screen: heights {visible.from}–{visible.to}
        </span>
      )}
    </div>
  );
}
