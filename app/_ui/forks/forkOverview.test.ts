import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { adjacentFork, densityBuckets, heightAtFraction, windowAround } from './forkOverview.ts';

describe('fork overview', () => {
  it('counts competing blocks and fork points per bucket of heights', () => {
    const buckets = densityBuckets(
      {
        minHeight: 0,
        maxHeight: 4999,
        sideBlocks: [
          [10, 1],
          [11, 1],
          [2600, 2],
          [4999, 1],
        ],
        forkHeights: [9, 2599],
        truncated: false,
      },
      100,
    );
    assert.equal(buckets.length, 100);
    assert.deepEqual(buckets[0], { from: 0, to: 49, side: 2, forks: 1 });
    assert.deepEqual(buckets[52], { from: 2600, to: 2649, side: 2, forks: 0 });
    assert.equal(buckets[51].forks, 1);
    assert.equal(buckets[99].side, 1);
    assert.equal(
      buckets.reduce((s, b) => s + b.side, 0),
      5,
    );
    // Buckets tile the range without gaps or overlaps.
    for (let i = 1; i < buckets.length; i++) assert.equal(buckets[i].from, buckets[i - 1].to + 1);
  });

  it('never makes more buckets than heights, nor any for an empty index', () => {
    assert.equal(densityBuckets({ minHeight: 5, maxHeight: 14, sideBlocks: [], forkHeights: [], truncated: false }, 200).length, 10);
    assert.deepEqual(densityBuckets({ minHeight: null, maxHeight: null, sideBlocks: [], forkHeights: [], truncated: false }, 200), []);
  });

  it('finds the fork point before and after a height', () => {
    const forks = [40, 90, 300, 4100];
    assert.equal(adjacentFork(forks, 100, 'previous'), 90);
    assert.equal(adjacentFork(forks, 100, 'next'), 300);
    // From a fork point itself, the buttons move on to the neighbours.
    assert.equal(adjacentFork(forks, 300, 'previous'), 90);
    assert.equal(adjacentFork(forks, 300, 'next'), 4100);
    assert.equal(adjacentFork(forks, 40, 'previous'), null);
    assert.equal(adjacentFork(forks, 4100, 'next'), null);
    assert.equal(adjacentFork([], 10, 'next'), null);
  });

  it('keeps a window of heights inside the indexed range', () => {
    assert.deepEqual(windowAround(2500, 60, 0, 4999), { from: 2470, to: 2529 });
    assert.deepEqual(windowAround(3, 60, 0, 4999), { from: 0, to: 59 });
    assert.deepEqual(windowAround(4998, 60, 0, 4999), { from: 4940, to: 4999 });
    assert.deepEqual(windowAround(10, 60, 0, 19), { from: 0, to: 19 });
  });

  it('maps a point of the strip to a height', () => {
    assert.equal(heightAtFraction(0, 100, 5099), 100);
    assert.equal(heightAtFraction(0.5, 100, 5099), 2600);
    assert.equal(heightAtFraction(1, 100, 5099), 5099);
    assert.equal(heightAtFraction(-3, 100, 5099), 100);
  });
});
