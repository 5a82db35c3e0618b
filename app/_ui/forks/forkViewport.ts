// What of the block tree is on screen: the columns to draw for a scroll position (the visible
// ones plus a margin, snapped to chunks so scrolling re-renders only when it crosses one), the
// blocks and edges in those columns (binary search over column-sorted lists, never a scan per
// frame), and a tiny store of the visible heights that the overview strip and the fork buttons
// read without re-rendering the page. Pure apart from the store; unit-tested.

/** Columns (height − minHeight), both ends included. */
export interface ColumnSpan {
  first: number;
  last: number;
}

export interface ScrollBox {
  /** Scroll offset of the graph's container, px. */
  scrollLeft: number;
  /** Visible width of the container, px. */
  viewportWidth: number;
  /** Column width, px. */
  colPx: number;
  /** Space before the first column, px. */
  leftPx: number;
}

/** Heights whose column is at least partly visible. */
export function visibleColumns(box: ScrollBox, columns: number): ColumnSpan {
  const first = Math.floor((box.scrollLeft - box.leftPx) / box.colPx);
  const last = Math.ceil((box.scrollLeft + box.viewportWidth - box.leftPx) / box.colPx) - 1;
  return { first: Math.max(0, Math.min(columns - 1, first)), last: Math.max(0, Math.min(columns - 1, last)) };
}

/**
 * Columns to draw: the visible ones with half a viewport of margin each side (tip labels reach
 * right of their block; a fast flick must not show blank space), snapped outwards to whole
 * chunks of a quarter viewport with a fixed length, so the span (and the drawing) changes a few times per screen
 * scrolled, not every frame.
 */
export function drawnColumns(box: ScrollBox, columns: number): ColumnSpan {
  if (columns <= 0) return { first: 0, last: -1 };
  const visible = visibleColumns(box, columns);
  const perScreen = Math.max(1, Math.ceil(box.viewportWidth / box.colPx));
  const chunk = Math.max(8, Math.ceil(perScreen / 4));
  const margin = Math.ceil(perScreen / 2);
  // Both ends move together (a fixed length from a snapped start): one change per chunk.
  const start = Math.floor((visible.first - margin) / chunk) * chunk;
  const length = perScreen + 2 * margin + chunk;
  return { first: Math.max(0, start), last: Math.min(columns - 1, start + length - 1) };
}

/** First index in `items` (sorted by colOf ascending) whose column is ≥ col. */
function lowerBound<T>(items: readonly T[], colOf: (t: T) => number, col: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (colOf(items[mid]) < col) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The items (sorted by column ascending) whose column lies in the span. */
export function inColumns<T>(items: readonly T[], colOf: (t: T) => number, span: ColumnSpan): T[] {
  if (span.last < span.first) return [];
  return items.slice(lowerBound(items, colOf, span.first), lowerBound(items, colOf, span.last + 1));
}

/** Scroll offset that puts `col` in the middle of the viewport (not below 0). */
export function scrollToCenter(col: number, box: Omit<ScrollBox, 'scrollLeft'>): number {
  return Math.max(0, box.leftPx + col * box.colPx + box.colPx / 2 - box.viewportWidth / 2);
}

// ---- the visible heights, shared without re-rendering the page -------------------------------

export interface HeightWindow {
  from: number;
  to: number;
}

export interface ViewportStore {
  get(): HeightWindow | null;
  set(next: HeightWindow): void;
  subscribe(listener: () => void): () => void;
}

export function createViewportStore(): ViewportStore {
  let current: HeightWindow | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(next) {
      if (current && current.from === next.from && current.to === next.to) return;
      current = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
