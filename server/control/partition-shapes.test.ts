import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePartitionShape } from './partition-shapes.ts';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);
const reaches = (views: Record<string, string[]>, a: string, b: string) => views[a].includes(b);

describe('resolvePartitionShape', () => {
  for (const n of [4, 5, 6, 7, 9]) {
    it(`majorities-ring, n=${n}: every node sees a majority, no two see the same one, links symmetric, some cut`, () => {
      for (let seed = 0; seed < 20; seed++) {
        const r = resolvePartitionShape({ shape: 'majorities-ring' }, ids(n), seed);
        const majority = Math.floor(n / 2) + 1;
        assert.deepEqual(Object.keys(r.views).sort(), ids(n).sort());
        for (const [self, view] of Object.entries(r.views)) {
          assert.ok(view.includes(self), `${self} sees itself`);
          assert.ok(view.length >= majority, `${self} sees ${view.length} >= ${majority}`);
          assert.ok(view.length < n, `${self} does not see everyone`);
        }
        const distinct = new Set(Object.values(r.views).map((v) => v.join(',')));
        assert.equal(distinct.size, n, 'no two nodes see the same majority');
        for (const a of ids(n)) for (const b of ids(n)) assert.equal(reaches(r.views, a, b), reaches(r.views, b, a), `${a}~${b} symmetric`);
        assert.deepEqual([...(r.ring ?? [])].sort(), ids(n).sort());
      }
    });
  }

  it('majorities-ring refuses fewer than 4 nodes (no majority can differ)', () => {
    assert.throws(() => resolvePartitionShape({ shape: 'majorities-ring' }, ids(3), 1), /at least 4 nodes/);
  });

  for (const n of [3, 4, 5, 7]) {
    it(`bridge, n=${n}: two halves cut from each other, one node reaching both`, () => {
      const r = resolvePartitionShape({ shape: 'bridge' }, ids(n), 42);
      const [a, b] = r.groups;
      assert.ok(r.bridge && !a.includes(r.bridge) && !b.includes(r.bridge));
      assert.deepEqual([...a, ...b, r.bridge].sort(), ids(n).sort());
      assert.ok(Math.abs(a.length - b.length) <= 1 && a.length >= 1 && b.length >= 1);
      for (const x of a) for (const y of b) assert.ok(!reaches(r.views, x, y) && !reaches(r.views, y, x), `${x} cut from ${y}`);
      assert.deepEqual(r.views[r.bridge], ids(n).sort(), 'the bridge reaches everyone');
      for (const x of [...a, ...b]) assert.ok(reaches(r.views, x, r.bridge));
    });
  }

  it('isolate with a selector cuts the selected nodes off from the rest', () => {
    const r = resolvePartitionShape({ shape: 'isolate', select: { pick: 'minority-third' } }, ids(7), 5);
    assert.equal(r.groups[0].length, 2);
    assert.equal(r.groups[1].length, 5);
    const r1 = resolvePartitionShape({ shape: 'isolate', select: { pick: 'ids', ids: ['n3'] } }, ids(4), 5);
    assert.deepEqual(r1.groups, [['n3'], ['n0', 'n1', 'n2']]);
    assert.deepEqual(r1.views.n3, ['n3']);
    assert.throws(() => resolvePartitionShape({ shape: 'isolate', select: { pick: 'all' } }, ids(4), 5), /at least one node on the other side/);
  });

  it('random-halves splits into floor(n/2) and the rest', () => {
    const r = resolvePartitionShape({ shape: 'random-halves' }, ids(5), 8);
    assert.deepEqual(
      r.groups.map((g) => g.length),
      [2, 3],
    );
    assert.deepEqual(r.groups.flat().sort(), ids(5));
  });

  it('the same seed and node list give the same resolution; other seeds give others', () => {
    for (const shape of ['majorities-ring', 'bridge', 'isolate', 'random-halves'] as const) {
      const a = resolvePartitionShape({ shape }, ids(7), 2024);
      assert.deepEqual(resolvePartitionShape({ shape }, [...ids(7)].reverse(), 2024), a, shape);
      assert.equal(a.seed, 2024);
      const others = new Set(Array.from({ length: 20 }, (_, s) => JSON.stringify(resolvePartitionShape({ shape }, ids(7), s).views)));
      assert.ok(others.size > 1, `${shape}: seeds matter`);
    }
  });
});
