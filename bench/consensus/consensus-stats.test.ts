import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commitLatencies, goalRatio, proposerPauses, type CommittedBlock } from './commit-latency.ts';
import { phaseBreakdown, type StepTimes } from './phase-breakdown.ts';
import { verifiesPerHeight } from './signature-cost.ts';

const block = (height: number, proposedAt: number, accepted: number[], round: number | null = 0, hash = `h${height}`, proposer = 0): CommittedBlock => ({
  height,
  hash,
  proposedAt,
  acceptedAt: new Map(accepted.map((at, node) => [node, at] as [number, number]).filter(([, at]) => at >= 0)),
  round,
  proposer,
});

test('each node of a window height gives one sample, acceptance − proposal; warm-up heights are left out', () => {
  const r = commitLatencies(
    [
      block(1, 1_000, [1_900, 1_900]), // warm-up: not measured
      block(2, 2_000, [2_003.5, 2_010.25]),
      block(3, 3_000, [3_004, 3_002]),
    ],
    { fromHeight: 1, toHeight: 3, nodes: 2 },
  );
  assert.equal(r.heights, 2);
  assert.deepEqual(r.samples, [3.5, 10.25, 4, 2]);
  assert.deepEqual(r.everyNode, [10.25, 4], 'the last node of each height');
  assert.equal(r.missing, 0);
  assert.equal(r.roundsAboveZero, 0);
});

test('a node that never accepted a height is missing, and that height has no every-node figure', () => {
  const r = commitLatencies([block(5, 100, [105, -1, 107])], { fromHeight: 4, toHeight: 5, nodes: 3 });
  assert.deepEqual(r.samples, [5, 7]);
  assert.equal(r.missing, 1);
  assert.deepEqual(r.everyNode, []);
});

test('rounds above zero, absent heights, forks and negative samples are counted', () => {
  const r = commitLatencies([block(1, 10, [12], 2), block(2, 20, [19.5], null), block(4, 40, [41], 0, 'a'), block(4, 40, [42], 0, 'b')], { fromHeight: 0, toHeight: 4, nodes: 1 });
  assert.equal(r.heights, 2, 'heights 1 and 2; 3 is absent and 4 forked');
  assert.equal(r.roundsAboveZero, 1);
  assert.equal(r.absentHeights, 1);
  assert.equal(r.forkedHeights, 1);
  assert.equal(r.negative, 1);
  assert.deepEqual(r.samples, [2, -0.5]);
});

test('goal ratio is measured ÷ goal', () => {
  assert.equal(goalRatio(25, 50), 0.5);
  assert.equal(goalRatio(null, 50), null);
});

test('phase breakdown splits each round-0 (height, node) latency at the node’s own step changes', () => {
  const steps = new Map<number, Map<number, StepTimes>>([
    [
      2,
      new Map([
        [0, { propose: 2_000, prevote: 2_001, precommit: 2_004, commit: 2_009 }],
        [1, { prevote: 2_003 }], // no precommit step seen: its last phases are left out
      ]),
    ],
    [3, new Map([[0, { prevote: 3_001, precommit: 3_002, commit: 3_003 }]])],
  ]);
  const phases = phaseBreakdown([block(2, 2_000, [2_009.5, 2_012]), block(3, 3_000, [3_004], 1)], steps, { fromHeight: 1, toHeight: 3, nodes: 2 });
  assert.deepEqual(phases['proposal → height start'], [0], 'node 0 began the height before the proposal; node 1 said nothing of its start');
  assert.deepEqual(phases['proposal → prevote'], [1, 3]);
  assert.deepEqual(phases['prevote → precommit'], [3]);
  assert.deepEqual(phases['precommit → accepted'], [5.5]);
  // height 3 was decided in round 1: its round-0 steps say nothing about its latency
});

test('Ed25519 checks per round-0 height: 4 per other validator, proposal and block twice each, and the commit quorum', () => {
  assert.equal(verifiesPerHeight(4), 4 * 3 + 4 + 3);
  assert.equal(verifiesPerHeight(16), 4 * 15 + 4 + 11);
});

test("proposer pause: from the proposer's own acceptance of the block below to its build of this one", () => {
  const blocks = [
    block(1, 1_000, [1_010, 1_020], 0, 'h1', 0),
    block(2, 2_010, [2_015, 2_018], 0, 'h2', 1), // node 1 accepted h1 at 1_020, built h2 990 ms later
    block(3, 2_040, [2_050, 2_060], 0, 'h3', 0), // node 0 built h3 25 ms after accepting h2: no commit wait
    block(4, 3_000, [3_001, 3_002], 0, 'h4', -1), // proposer not tapped: left out
  ];
  assert.deepEqual(proposerPauses(blocks, { fromHeight: 1, toHeight: 4, nodes: 2 }), [
    { height: 2, pauseMs: 990 },
    { height: 3, pauseMs: 25 },
  ]);
});
