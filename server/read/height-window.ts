// Which stretch of time GET /api/nodes/heights covers and how coarsely: a short window keeps a
// point per second, a long one ('all' over a day-long run) folds heads into wider buckets so a
// series never exceeds the points asked for. Pure, so the arithmetic is unit-tested.
import { HEIGHT_WINDOW_MS, type HeightWindow } from '../../wire/explorer-api.ts';

export interface HeightWindowQuery {
  minutes: number;
  window?: HeightWindow;
  points: number;
}

export interface HeightSpan {
  since: number;
  bucketMs: number;
}

/** The finest bucket: heads are stored to the millisecond, but a chart gains nothing below a second. */
const MIN_BUCKET_MS = 1_000;

/**
 * `since` and the bucket width for a query at `now`. `firstHeadAt` (null before any head) is
 * where 'all' starts. Buckets are whole seconds, wide enough that the buckets touched by
 * [since, now] (one more than fit when the edges cut two partial ones) plus the line's
 * starting point before `since` stay within `points`.
 */
export function heightSpan(q: HeightWindowQuery, now: number, firstHeadAt: number | null): HeightSpan {
  const windowMs = q.window ? HEIGHT_WINDOW_MS[q.window] : q.minutes * 60_000;
  const since = windowMs === null ? Math.min(now, firstHeadAt ?? now) : now - windowMs;
  const perBucket = (now - since) / Math.max(1, q.points - 3);
  const bucketMs = Math.max(MIN_BUCKET_MS, Math.ceil(perBucket / MIN_BUCKET_MS) * MIN_BUCKET_MS);
  return { since, bucketMs };
}
