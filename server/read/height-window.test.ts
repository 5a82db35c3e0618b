import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heightSpan } from './height-window.ts';

const NOW = 1_800_000_000_000;

test('5m and 1h windows end now; the short one keeps one-second buckets', () => {
  assert.deepEqual(heightSpan({ minutes: 5, window: '5m', points: 1_000 }, NOW, null), { since: NOW - 300_000, bucketMs: 1_000 });
  const hour = heightSpan({ minutes: 5, window: '1h', points: 1_000 }, NOW, null);
  assert.equal(hour.since, NOW - 3_600_000);
  assert.equal(hour.bucketMs, 4_000, 'an hour in at most ~1,000 buckets: 4 s each');
});

test("'all' starts at the first head, and a day folds into at most `points` points per series", () => {
  const first = NOW - 86_400_000;
  const { since, bucketMs } = heightSpan({ minutes: 5, window: 'all', points: 500 }, NOW, first);
  assert.equal(since, first);
  // Buckets touched by [since, now] (both edges may cut one) plus the point before `since`.
  assert.ok(Math.floor((NOW - since) / bucketMs) + 2 + 1 <= 500, `bucket ${bucketMs} ms is wide enough`);
  assert.equal(bucketMs % 1_000, 0, 'whole seconds');
});

test("'all' before any head is indexed is an empty span at now, not NaN", () => {
  assert.deepEqual(heightSpan({ minutes: 5, window: 'all', points: 1_000 }, NOW, null), { since: NOW, bucketMs: 1_000 });
});

test('without a window the older minutes parameter still decides', () => {
  assert.equal(heightSpan({ minutes: 2, points: 1_000 }, NOW, null).since, NOW - 120_000);
});
