import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsensusNodeView, ConsensusResponse, ConsensusValidator } from '../../../wire/explorer-api.ts';
import type { ConsensusRoundState } from '../../../wire/node-api.ts';
import { focusNode, lockText, nodeStatusRows, noRoundsSentence, quorumValue, roundTimeline, voteGrid } from './consensusModel.ts';

const key = (b: string) => b.repeat(32);
const [A, B, C, D] = ['01', '02', '03', '04'].map(key);
const H = 'aa'.repeat(32);
const G = 'bb'.repeat(32);
const validators: ConsensusValidator[] = [
  { publicKey: A, name: 'node-1', nodeId: 'n1' },
  { publicKey: B, name: 'node-2', nodeId: 'n2' },
  { publicKey: C, name: 'node-3', nodeId: 'n3' },
  { publicKey: D, name: null, nodeId: null },
];

// Round 0: no proposal, nil everywhere, precommit timeout; round 1: proposal H, prevotes for H, one precommit in.
const rs: ConsensusRoundState = {
  height: 42,
  round: 1,
  step: 'precommit',
  startedAt: 1_700_000_000_000,
  validators: [A, B, C, D],
  lockedRound: 1,
  lockedBlock: H,
  validRound: 1,
  validBlock: H,
  rounds: [
    { round: 0, proposer: C, proposal: null, prevotes: ['nil', 'nil', 'nil', null], precommits: ['nil', 'nil', null, null], timeouts: ['propose', 'precommit'] },
    { round: 1, proposer: D, proposal: H, prevotes: [H, G, H, H], precommits: [H, null, null, null], timeouts: [] },
  ],
};

const nodeView = (nodeId: string, name: string, height: number, round: number, roundState: ConsensusRoundState | null = null): ConsensusNodeView => ({
  nodeId,
  name,
  status: { engine: 'bft', height, round, step: 'prevote', proposer: A, lockedRound: -1, validRound: -1 },
  roundState,
  error: null,
});

test('the timeline says why each round ended: a failed round without proposal, then the current one in progress', () => {
  const t = roundTimeline(rs, validators);
  assert.equal(t.length, 2);
  assert.deepEqual(
    { proposer: t[0].proposerName, proposal: t[0].proposal, step: t[0].step, current: t[0].current, timeouts: t[0].timeouts },
    { proposer: 'node-3', proposal: null, step: 'precommit', current: false, timeouts: ['propose', 'precommit'] },
  );
  assert.match(t[0].outcome, /precommit timeout/);
  assert.equal(t[1].proposerName, '04040404…', 'a validator that is not one of our nodes shows its key');
  assert.equal(t[1].proposal, 'aaaaaaaa');
  assert.equal(t[1].outcome, 'collecting precommits');
  assert.deepEqual(t[1].prevotes, { block: 4, nil: 0, missing: 0 });
  assert.deepEqual(t[1].precommits, { block: 1, nil: 0, missing: 3 });
});

test('a round with +2/3 precommits for a block is decided; +2/3 for nil moves on', () => {
  const decided = { ...rs, step: 'commit' as const, rounds: [{ ...rs.rounds[1], precommits: [H, H, H, null] }] };
  assert.equal(roundTimeline(decided, validators)[0].outcome, 'decided aaaaaaaa');
  const nilRound = { ...rs, round: 2, rounds: [{ ...rs.rounds[0], precommits: ['nil' as const, 'nil' as const, 'nil' as const, null], timeouts: [] }] };
  assert.match(roundTimeline(nilRound, validators)[0].outcome, /precommitted nil/);
  assert.equal(quorumValue([H, H, null, null], 4), null, '2 of 4 is no quorum');
});

test('the vote grid has a row per validator and one colour per block across rounds', () => {
  const grid = voteGrid(rs, validators);
  assert.deepEqual(
    grid.map((r) => r.name),
    ['node-1', 'node-2', 'node-3', '04040404…'],
  );
  assert.deepEqual(grid[0].cells[0], { round: 0, prevote: { kind: 'nil' }, precommit: { kind: 'nil' } });
  assert.deepEqual(grid[3].cells[0].prevote, { kind: 'missing' });
  const h = grid[0].cells[1].prevote;
  const g = grid[1].cells[1].prevote;
  assert.equal(h.kind === 'block' && h.short, 'aaaaaaaa');
  assert.ok(h.kind === 'block' && g.kind === 'block' && h.color !== g.color, 'two blocks, two colours');
  const h2 = grid[2].cells[1].prevote;
  assert.ok(h.kind === 'block' && h2.kind === 'block' && h.color === h2.color, 'one block, one colour');
});

test('the focused node is the one asked for, else the one furthest along; none without round states', () => {
  const nodes = [nodeView('n1', 'node-1', 41, 0, { ...rs, height: 41, round: 0 }), nodeView('n2', 'node-2', 42, 1, rs), nodeView('n3', 'node-3', 42, 0, null)];
  assert.equal(focusNode(nodes, null)?.nodeId, 'n2');
  assert.equal(focusNode(nodes, 'n1')?.nodeId, 'n1');
  assert.equal(focusNode(nodes, 'n3')?.nodeId, 'n2', 'a node without round state cannot be focused');
  assert.equal(focusNode([nodeView('n1', 'node-1', 3, 0)], null), null);
});

test('node rows mark a node away from the common height and round, and show errors', () => {
  const view: ConsensusResponse = {
    engine: 'bft',
    readAt: 0,
    validators,
    nodes: [
      nodeView('n1', 'node-1', 42, 1),
      nodeView('n2', 'node-2', 42, 1),
      nodeView('n3', 'node-3', 40, 0),
      { nodeId: 'n4', name: 'node-4', status: null, roundState: null, error: 'node did not answer' },
    ],
    evidence: [],
    heights: [],
    lastCommit: null,
  };
  const rows = nodeStatusRows(view);
  assert.deepEqual(
    rows.map((r) => r.apart),
    [false, false, true, false],
  );
  assert.equal(rows[3].error, 'node did not answer');
  assert.equal(rows[3].height, null);
  assert.equal(rows[0].proposerName, 'node-1');
});

test('lock text and the PoA sentence', () => {
  assert.equal(lockText(-1, null), 'none');
  assert.equal(lockText(1, H), 'round 1 (block aaaaaaaa)');
  const poa: ConsensusResponse = { engine: 'poa', readAt: 0, validators, nodes: [], evidence: [], heights: [], lastCommit: null };
  assert.match(noRoundsSentence(poa)!, /no rounds/);
  assert.equal(noRoundsSentence({ ...poa, engine: 'bft', nodes: [nodeView('n2', 'node-2', 42, 1, rs)] }), null);
  assert.match(noRoundsSentence({ ...poa, engine: null })!, /No node answered/);
});

test('the grid shows who signed the newest indexed commit below the height being decided', () => {
  const lastCommit = { height: 41, hash: G, round: 0, signers: [A, C, D] };
  const grid = voteGrid(rs, validators, lastCommit);
  assert.deepEqual(
    grid.map((r) => r.commit?.signed),
    [true, false, true, true],
  );
  assert.ok(
    voteGrid(rs, validators, { ...lastCommit, height: 39 }).every((r) => r.commit !== null),
    'the indexed commits lag a height or two: an older commit still shows',
  );
  assert.ok(
    voteGrid(rs, validators, { ...lastCommit, height: 42 }).every((r) => r.commit === null),
    'never a commit of this height or above',
  );
  assert.ok(voteGrid(rs, validators, null).every((r) => r.commit === null));
});

test('a current round still in propose waits for its proposer', () => {
  const waiting = {
    ...rs,
    round: 0,
    step: 'propose' as const,
    rounds: [{ ...rs.rounds[0], prevotes: [null, null, null, null], precommits: [null, null, null, null], timeouts: [] }],
  };
  assert.equal(roundTimeline(waiting, validators)[0].outcome, "waiting for node-3's proposal");
});
