import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barPercent, bucketLabel, formatMs, percent, receiptsPending, receiptText, staleSentence, visibleBuckets } from './propagationText.ts';

const edges = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];
const buckets = (counts: Record<number, number>) => edges.map((fromMs, i) => ({ fromMs, toMs: edges[i + 1] ?? null, count: counts[fromMs] ?? 0 }));

describe('propagation words and scales', () => {
  it('delays read at the precision their size needs', () => {
    assert.equal(formatMs(0), '0 ms');
    assert.equal(formatMs(0.4237), '0.42 ms');
    assert.equal(formatMs(2.25), '2.3 ms');
    assert.equal(formatMs(123.4), '123 ms');
    assert.equal(formatMs(1250), '1.25 s');
    assert.equal(formatMs(61_000), '61.0 s');
  });

  it('bucket labels: an open first and last bucket, seconds past 1 s', () => {
    const b = buckets({});
    assert.deepEqual(b.map(bucketLabel), [
      '<1 ms',
      '1–2 ms',
      '2–5 ms',
      '5–10 ms',
      '10–20 ms',
      '20–50 ms',
      '50–100 ms',
      '100–200 ms',
      '200–500 ms',
      '500 ms–1 s',
      '1–2 s',
      '2–5 s',
      '≥5 s',
    ]);
  });

  it('the histogram ends after its last used bucket, but not before 10 ms', () => {
    assert.deepEqual(
      visibleBuckets(buckets({ 1: 3 })).map((b) => b.fromMs),
      [0, 1, 2, 5],
    );
    assert.deepEqual(visibleBuckets(buckets({ 1: 3, 100: 1 })).at(-1)?.fromMs, 100);
    assert.equal(visibleBuckets(buckets({ 5000: 1 })).length, 13);
  });

  it('the stale rate as a sentence, and before any block', () => {
    assert.equal(staleSentence({ heights: 100, fromHeight: 401, toHeight: 500, blocks: 143, stale: 2, rate: 2 / 143 }), '1.4 % (2 of 143 blocks at heights 401–500)');
    assert.equal(staleSentence({ heights: 100, fromHeight: 0, toHeight: 0, blocks: 1, stale: 0, rate: 0 }), '0 % (0 of 1 block at heights 0–0)');
    assert.equal(staleSentence({ heights: 100, fromHeight: null, toHeight: null, blocks: 0, stale: 0, rate: null }), 'no blocks indexed yet');
    assert.equal(percent(0.25), '25 %');
  });

  it('a node without a receipt: caught up (holds it) or never received', () => {
    const base = { nodeId: 'a', name: 'node-1', acceptedAt: null, afterFirstMs: null };
    assert.equal(receiptText({ ...base, holds: true }), 'no live receipt: got it while catching up');
    assert.equal(receiptText({ ...base, holds: false }), 'never received it');
    assert.equal(receiptText({ ...base, acceptedAt: 5, afterFirstMs: 0, holds: true }), 'first');
    assert.equal(receiptText({ ...base, acceptedAt: 5, afterFirstMs: 3.25, holds: true }), '+3.3 ms');
    assert.equal(receiptText({ ...base, holds: false }, true), 'not received yet');
  });

  it('a young block some node lacks is asked for again; an old one, or one every node has, is not', () => {
    const got = { nodeId: 'a', name: 'node-1', acceptedAt: 5, afterFirstMs: 0, holds: true };
    const lacking = { nodeId: 'b', name: 'node-2', acceptedAt: null, afterFirstMs: null, holds: false };
    const caughtUp = { ...lacking, holds: true };
    assert.equal(receiptsPending([got, lacking], 1_000, 5_000), true);
    assert.equal(receiptsPending([got, lacking], 1_000, 70_000), false);
    assert.equal(receiptsPending([got, caughtUp], 1_000, 5_000), false);
  });

  it('bars scale to the latest receipt', () => {
    assert.equal(barPercent(0, 10), 0);
    assert.equal(barPercent(5, 10), 50);
    assert.equal(barPercent(10, 10), 100);
    assert.equal(barPercent(0, 0), 0);
  });
});
