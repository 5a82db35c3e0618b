import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTargets, seededShuffle, TargetSelectionError } from './target-selectors.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);

describe('resolveTargets', () => {
  it('counts: one, strict minority, fewer than a third, majority, all, random-k', () => {
    const count = (pick: 'one' | 'minority' | 'minority-third' | 'majority' | 'all', n: number) => resolveTargets({ pick }, ids(n), 7).length;
    assert.deepEqual(
      [4, 5, 7, 10].map((n) => [count('one', n), count('minority', n), count('minority-third', n), count('majority', n), count('all', n)]),
      [
        [1, 1, 1, 3, 4],
        [1, 2, 1, 3, 5],
        [1, 3, 2, 4, 7],
        [1, 4, 3, 6, 10],
      ],
    );
    assert.equal(resolveTargets({ pick: 'random-k', k: 3 }, ids(5), 7).length, 3);
  });

  it('picks distinct known nodes, sorted', () => {
    for (let seed = 0; seed < 50; seed++) {
      const got = resolveTargets({ pick: 'majority' }, ids(7), seed);
      assert.equal(new Set(got).size, got.length);
      assert.ok(got.every((id) => ids(7).includes(id)));
      assert.deepEqual(got, [...got].sort());
    }
  });

  it('the same seed and node set give the same choice, in any input order; seeds differ somewhere', () => {
    const a = resolveTargets({ pick: 'random-k', k: 2 }, ids(7), 12345);
    const b = resolveTargets({ pick: 'random-k', k: 2 }, [...ids(7)].reverse(), 12345);
    assert.deepEqual(a, b);
    const choices = new Set(Array.from({ length: 30 }, (_, seed) => resolveTargets({ pick: 'one' }, ids(7), seed)[0]));
    assert.ok(choices.size > 1, 'different seeds pick different nodes');
    assert.deepEqual(seededShuffle(ids(5), 9), seededShuffle([...ids(5)].reverse(), 9));
  });

  it('explicit ids: deduplicated, and an unknown id is a coded error', () => {
    assert.deepEqual(resolveTargets({ pick: 'ids', ids: ['n2', 'n0', 'n2'] }, ids(4), 1), ['n0', 'n2']);
    assert.throws(
      () => resolveTargets({ pick: 'ids', ids: ['zz'] }, ids(4), 1),
      (e) => e instanceof TargetSelectionError && e.code === 'CHAOS_BAD_TARGET' && /zz/.test(e.message),
    );
  });

  it('a selector that picks nobody or too many is a coded error, not an empty fault', () => {
    assert.throws(() => resolveTargets({ pick: 'minority-third' }, ids(3), 1), /picks no node out of 3/);
    assert.throws(() => resolveTargets({ pick: 'minority' }, ids(2), 1), /picks no node/);
    assert.throws(() => resolveTargets({ pick: 'random-k', k: 6 }, ids(5), 1), /asks for 6 nodes, only 5/);
  });
});
