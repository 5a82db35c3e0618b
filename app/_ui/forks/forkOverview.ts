// The overview strip's arithmetic: where the forks are over the whole height range (competing
// blocks and fork points per bucket of heights), the fork point before or after a height, and
// the window of heights to load around a height. Pure; unit-tested.
import type { ForkOverviewResponse } from '../../../wire/explorer-api.ts';

export interface DensityBucket {
  /** Heights of the bucket, both ends included. */
  from: number;
  to: number;
  /** Competing (stale or side) blocks in the bucket. */
  side: number;
  /** Fork points in the bucket. */
  forks: number;
}

/** The range split into at most `count` equal buckets, each with its competing blocks and fork points. */
export function densityBuckets(overview: ForkOverviewResponse, count: number): DensityBucket[] {
  const { minHeight: min, maxHeight: max } = overview;
  if (min === null || max === null || max < min || count < 1) return [];
  const heights = max - min + 1;
  const n = Math.min(count, heights);
  const size = heights / n;
  const buckets: DensityBucket[] = Array.from({ length: n }, (_, i) => ({
    from: min + Math.ceil(i * size),
    to: min + Math.ceil((i + 1) * size) - 1,
    side: 0,
    forks: 0,
  }));
  const at = (h: number) => buckets[Math.min(n - 1, Math.max(0, Math.floor((h - min) / size)))];
  for (const [h, extra] of overview.sideBlocks) if (h >= min && h <= max) at(h).side += extra;
  for (const h of overview.forkHeights) if (h >= min && h <= max) at(h).forks += 1;
  return buckets;
}

/** The nearest fork-point height strictly before (or after) `height`; null when there is none. `forkHeights` ascending. */
export function adjacentFork(forkHeights: readonly number[], height: number, direction: 'previous' | 'next'): number | null {
  let lo = 0;
  let hi = forkHeights.length;
  // First index whose height is > height (next) or ≥ height (previous is the one before it).
  const strict = direction === 'next';
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? forkHeights[mid] <= height : forkHeights[mid] < height) lo = mid + 1;
    else hi = mid;
  }
  if (direction === 'next') return lo < forkHeights.length ? forkHeights[lo] : null;
  return lo > 0 ? forkHeights[lo - 1] : null;
}

/** `width` heights around `height`, shifted to stay within [min, max]. */
export function windowAround(height: number, width: number, min: number, max: number): { from: number; to: number } {
  const span = Math.max(1, Math.min(width, max - min + 1));
  const from = Math.max(min, Math.min(max - span + 1, Math.round(height - span / 2)));
  return { from, to: from + span - 1 };
}

/** The height under a point of the strip at `fraction` (0 = left edge, 1 = right) of its width. */
export function heightAtFraction(fraction: number, min: number, max: number): number {
  const f = Math.max(0, Math.min(1, fraction));
  return Math.min(max, min + Math.floor(f * (max - min + 1)));
}
