// The verdict checker on hand-made histories: a healthy run passes with its recovery times,
// and each history that must fail does (two conflicting finalized blocks, a finalized tip going
// down, a lost block, no recovery, a PoA network left on two forks); what cannot be judged is
// 'unknown', and false wins over it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunHistorySchema, type ChainReading, type RunFault, type RunHistory } from '../../wire/run-history.ts';
import { judgeRun } from './verdict.ts';

const NODES = ['n1', 'n2', 'n3', 'n4'];
const hashOf = (height: number, fork = '') => (fork + height.toString(16)).padStart(64, fork ? 'f' : '0');

/** One reading per node per second from `fromSec` to `toSec`: height = second (one block a second), optionally on a fork for some nodes. */
function steady(fromSec: number, toSec: number, opts: { nodes?: string[]; height?: (sec: number) => number; fork?: (node: string, sec: number) => string } = {}): ChainReading[] {
  const out: ChainReading[] = [];
  for (let s = fromSec; s <= toSec; s++) {
    for (const nodeId of opts.nodes ?? NODES) {
      const height = opts.height ? opts.height(s) : s;
      out.push({ nodeId, at: s * 1000 + 10, height, hash: hashOf(height, opts.fork?.(nodeId, s) ?? '') });
    }
  }
  return out;
}

function history(over: Partial<RunHistory> & { faults: RunFault[] }): RunHistory {
  const h: RunHistory = {
    engine: 'bft',
    nodes: NODES,
    startedAt: 0,
    endedAt: 60_000,
    cutShort: false,
    recoveryBoundSec: 10,
    heads: [],
    finalized: [],
    index: { missingBlocks: 0, invalidBlocks: 0, mismatchedNodes: [] },
    ...over,
  };
  return RunHistorySchema.parse(h); // the fixtures are valid histories, as a recorder would write them
}

const partition: RunFault = { id: 1, kind: 'partition', targets: NODES, appliedAt: 10_000, healedAt: 20_000 };

describe('verdict', () => {
  it('a BFT run that stalls under a partition and resumes 2 s after the heal is valid, with that recovery time', () => {
    // Finality stops at 10 during the partition (10..20 s) and resumes at 22 s.
    const finalized = [...steady(0, 10), ...steady(11, 21, { height: () => 10 }), ...steady(22, 59, { height: (s) => s - 11 })];
    const v = judgeRun(history({ finalized, heads: finalized, faults: [partition] }));
    assert.equal(v.valid, true, JSON.stringify(v));
    assert.deepEqual(
      v.recoveries.map((r) => [r.faultId, r.recoverySec, r.interrupted]),
      [[1, 2.01, false]],
    );
  });

  it('two conflicting finalized blocks at one height make safety false', () => {
    const finalized = steady(0, 30);
    finalized.push({ nodeId: 'n3', at: 15_020, height: 15, hash: hashOf(15, 'b') }); // n3 finalized another block at 15
    const v = judgeRun(history({ finalized, faults: [] }));
    assert.equal(v.safety.valid, false);
    assert.equal(v.valid, false);
    assert.match(v.safety.reasons[0], /height 15 finalized as .* and as/);
  });

  it('a finalized tip that goes down makes safety false', () => {
    const finalized = [...steady(0, 30), { nodeId: 'n2', at: 31_000, height: 25, hash: hashOf(25) }];
    const v = judgeRun(history({ finalized, faults: [] }));
    assert.equal(v.safety.valid, false);
    assert.match(v.safety.reasons.join(' '), /n2's finalized tip went down from 30 to 25/);
  });

  it('a lost block (on a node, not in the index) makes integrity false', () => {
    const v = judgeRun(history({ finalized: steady(0, 59), faults: [], index: { missingBlocks: 1, invalidBlocks: 0, mismatchedNodes: ['n4'] } }));
    assert.equal(v.integrity.valid, false);
    assert.equal(v.valid, false);
    assert.match(v.integrity.reasons.join(' '), /1 block\(s\) on a node are missing.*differs from the chain of n4/);
  });

  it('no recovery within the bound after a heal makes liveness false', () => {
    const finalized = [...steady(0, 10), ...steady(11, 59, { height: () => 10 })]; // never moves again
    const v = judgeRun(history({ finalized, faults: [partition] }));
    assert.equal(v.liveness.valid, false);
    assert.equal(v.valid, false);
    assert.match(v.liveness.reasons[0], /fault #1 \(partition\): no recovery, bound 10 s/);
  });

  it('a recovery slower than the bound is false too, and one node left behind counts as no recovery', () => {
    const slow = [...steady(0, 10), ...steady(11, 34, { height: () => 10 }), ...steady(35, 59, { height: (s) => s - 24 })];
    assert.equal(judgeRun(history({ finalized: slow, faults: [partition] })).liveness.valid, false);
    const behind = [...steady(0, 10), ...steady(11, 59, { nodes: ['n4'], height: () => 10 }), ...steady(21, 59, { nodes: ['n1', 'n2', 'n3'] })];
    const v = judgeRun(history({ finalized: behind, faults: [partition] }));
    assert.equal(v.liveness.valid, false);
    assert.equal(v.recoveries[0].recoveredAt, null);
  });

  it('PoA: forks during the partition are fine, one chain after the heal is required', () => {
    const forked = (node: string, s: number) => (s >= 11 && s <= 20 && (node === 'n3' || node === 'n4') ? 'b' : '');
    const healed = judgeRun(history({ engine: 'poa', heads: steady(0, 59, { fork: forked }), faults: [partition] }));
    assert.equal(healed.valid, true, JSON.stringify(healed));
    const stayForked = (node: string, s: number) => (s >= 11 && (node === 'n3' || node === 'n4') ? 'b' : '');
    const split = judgeRun(history({ engine: 'poa', heads: steady(0, 59, { fork: stayForked }), faults: [partition] }));
    assert.equal(split.safety.valid, false);
    assert.match(split.safety.reasons[0], /no single chain within 10 s of healing fault #1/);
  });

  it('what cannot be judged is unknown: a run cut short, a fault still active, an index not compared; false wins over unknown', () => {
    const finalized = steady(0, 59);
    assert.equal(judgeRun(history({ finalized, faults: [], cutShort: true })).valid, 'unknown');
    const active = judgeRun(history({ finalized, faults: [{ ...partition, healedAt: null }] }));
    assert.equal(active.liveness.valid, 'unknown');
    assert.equal(active.valid, 'unknown');
    assert.equal(judgeRun(history({ finalized, faults: [], index: null })).integrity.valid, 'unknown');
    const conflicting = [...finalized, { nodeId: 'n1', at: 59_500, height: 3, hash: hashOf(3, 'c') }];
    assert.equal(judgeRun(history({ finalized: conflicting, faults: [], cutShort: true })).valid, false);
  });

  it('a heal followed by another fault before recovery is interrupted, not failed', () => {
    const second: RunFault = { id: 2, kind: 'kill', targets: ['n1'], appliedAt: 21_000, healedAt: 30_000 };
    const finalized = [...steady(0, 10), ...steady(11, 31, { height: () => 10 }), ...steady(32, 59, { height: (s) => s - 21 })];
    const v = judgeRun(history({ finalized, faults: [partition, second] }));
    assert.deepEqual(
      v.recoveries.map((r) => [r.faultId, r.interrupted, r.recoverySec]),
      [
        [1, true, null],
        [2, false, 2.01],
      ],
    );
    assert.equal(v.valid, true, JSON.stringify(v));
  });
});
