import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChainReading, RunHistory } from '../../../wire/run-history.ts';
import { longestStall, runStats } from './runStats.ts';
import { fixtureRun } from './fixtureRuns.test-helper.ts';

const h = (n: number, branch = 'a') => `${branch}${String(n).padStart(63, '0')}`;
const r = (nodeId: string, at: number, height: number, branch = 'a'): ChainReading => ({ nodeId, at, height, hash: h(height, branch) });

function history(heads: ChainReading[], over: Partial<RunHistory> = {}): RunHistory {
  return { engine: 'poa', nodes: ['n1', 'n2'], startedAt: 0, endedAt: 10_000, cutShort: false, recoveryBoundSec: 15, faults: [], heads, finalized: [], index: null, ...over };
}

test('nodes on one chain, one a block behind, are one branch and never a reorg', () => {
  const s = runStats(history([r('n1', 0, 1), r('n2', 0, 1), r('n1', 1000, 2), r('n2', 1000, 1), r('n1', 2000, 3), r('n2', 2000, 2)]));
  assert.equal(s.maxBranches, 1);
  assert.equal(s.maxBranchesAt, null);
  assert.equal(s.forkedMs, 0);
  assert.deepEqual(s.reorgs, []);
});

test('two sides building on their own blocks are two branches; the loser switching at the same height is a reorg as deep as its side branch', () => {
  const heads = [r('n1', 0, 1), r('n2', 0, 1)];
  // Split after height 1: n1 builds a2, a3; n2 builds b2, b3.
  heads.push(r('n1', 1000, 2, 'a'), r('n2', 1000, 2, 'b'), r('n1', 2000, 3, 'a'), r('n2', 2000, 3, 'b'));
  // Healed: n2 takes n1's chain at height 3.
  heads.push(r('n1', 3000, 3, 'a'), r('n2', 3000, 3, 'a'));
  const s = runStats(history(heads));
  assert.equal(s.maxBranches, 2);
  assert.equal(s.maxBranchesAt, 1000);
  assert.equal(s.forkedMs, 2000);
  assert.deepEqual(s.forkedSpans, [{ from: 1000, to: 3000 }]);
  assert.equal(s.reorgs.length, 1);
  assert.deepEqual({ ...s.reorgs[0] }, { nodeId: 'n2', at: 3000, fromHeight: 3, toHeight: 3, depth: 2 });
  assert.equal(s.deepestReorg, 2);
});

test('moving up onto another branch that differs at the old head is a reorg too', () => {
  // n2 at b2 jumps to a3 (higher than its head): it abandoned b2.
  const heads = [r('n1', 0, 1), r('n2', 0, 1), r('n1', 1000, 2, 'a'), r('n2', 1000, 2, 'b'), r('n1', 2000, 3, 'a'), r('n2', 3000, 3, 'a')];
  const s = runStats(history(heads));
  assert.equal(s.reorgs.length, 1);
  assert.equal(s.reorgs[0].nodeId, 'n2');
  assert.equal(s.reorgs[0].depth, 1);
});

test('a head going back with no other node on its new branch is a reorg of the heights it went back', () => {
  const s = runStats(history([r('n1', 0, 5), r('n1', 1000, 3, 'x')], { nodes: ['n1'] }));
  assert.equal(s.reorgs.length, 1);
  assert.equal(s.reorgs[0].depth, 3);
});

test('the longest stall is the longest gap between any node rising above its best so far, the run end included', () => {
  const rs = [r('n1', 0, 1), r('n1', 1000, 2), r('n1', 6000, 3), r('n1', 7000, 2, 'x'), r('n1', 8000, 3, 'x')];
  assert.deepEqual(longestStall(rs, 0, 9000), { from: 1000, to: 6000, ms: 5000 });
  assert.deepEqual(longestStall(rs, 0, 20_000), { from: 6000, to: 20_000, ms: 14_000 });
  assert.equal(longestStall([], 5, 5), null);
});

test('the PoA fixture forks into two branches during each partition and reorgs 10 blocks deep after each heal', () => {
  const run = fixtureRun('poa');
  const s = runStats(run.history!);
  const [f1, f2] = run.history!.faults;
  assert.equal(s.maxBranches, 2);
  // One fork per partition, each inside its fault (and ended by the recovery after its heal).
  assert.equal(s.forkedSpans.length, 2);
  for (const [i, f] of [f1, f2].entries()) {
    assert.ok(s.forkedSpans[i].from >= f.appliedAt && s.forkedSpans[i].from < f.healedAt!, `fork ${i + 1} starts in its fault`);
    assert.ok(s.forkedSpans[i].to >= f.healedAt! && s.forkedSpans[i].to <= f.healedAt! + 15_000, `fork ${i + 1} ends after its heal`);
  }
  assert.ok(s.reorgs.length >= 2, `reorgs: ${s.reorgs.length}`);
  assert.ok(s.reorgs.some((x) => x.at >= f1.healedAt! && x.at < f2.appliedAt));
  assert.ok(s.reorgs.some((x) => x.at >= f2.healedAt!));
  assert.ok(
    s.reorgs.every((x) => x.at >= f1.healedAt!),
    'no reorg before the first heal',
  );
  // The monitor's alerts in the same run say "reorganised 10 blocks deep".
  assert.equal(s.deepestReorg, 10);
  assert.equal(s.progress, 'head');
  assert.ok(s.longestStall!.ms < 5000, 'both PoA sides keep producing');
});

test('the BFT fixture never forks or reorgs but stalls finality at least as long as a partition', () => {
  const run = fixtureRun('bft');
  const s = runStats(run.history!);
  const f1 = run.history!.faults[0];
  assert.equal(s.maxBranches, 1);
  assert.deepEqual(s.forkedSpans, []);
  assert.deepEqual(s.reorgs, []);
  assert.equal(s.progress, 'finalized');
  assert.ok(s.longestStall!.ms >= f1.healedAt! - f1.appliedAt, `stall ${s.longestStall!.ms} ms`);
});
