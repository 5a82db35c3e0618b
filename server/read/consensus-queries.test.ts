import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EvidenceRecord } from '../../wire/bft.ts';
import type { ConsensusState } from '../../wire/node-api.ts';
import { assembleConsensusView, unionEvidence, type FollowedNode } from './consensus-queries.ts';

const key = (b: string) => b.repeat(32);
const sig = 'ef'.repeat(64);
const node = (n: number, validator = true): FollowedNode => ({ nodeId: `id-${n}`, name: `node-${n}`, url: `http://127.0.0.1:${7000 + n}`, publicKey: key(`0${n}`), validator });

const evidence = (hash: string, height: number, detectedAt: number): EvidenceRecord => ({
  kind: 'duplicate-vote',
  hash: hash.repeat(32),
  validator: key('01'),
  height,
  round: 0,
  detectedAt,
  evidence: {
    voteA: { type: 'prevote', height, round: 0, blockHash: key('aa'), validator: key('01'), signature: sig },
    voteB: { type: 'prevote', height, round: 0, blockHash: null, validator: key('01'), signature: sig },
  },
});

const bftState = (validators: string[], ev: EvidenceRecord[] = []): ConsensusState => ({
  engine: 'bft',
  status: { engine: 'bft', height: 5, round: 0, step: 'prevote', proposer: validators[0], lockedRound: -1, validRound: -1 },
  roundState: {
    height: 5,
    round: 0,
    step: 'prevote',
    startedAt: 1,
    validators,
    lockedRound: -1,
    lockedBlock: null,
    validRound: -1,
    validBlock: null,
    rounds: [],
  },
  evidence: ev,
});

test('evidence found by several nodes is listed once (earliest detection), newest height first', () => {
  const out = unionEvidence([[evidence('c1', 4, 20), evidence('c2', 7, 30)], [evidence('c1', 4, 10)], []]);
  assert.deepEqual(
    out.map((e) => [e.hash.slice(0, 2), e.detectedAt]),
    [
      ['c2', 30],
      ['c1', 10],
    ],
  );
});

test('validators follow the engine order and are named after our nodes; a stranger keeps its key only', () => {
  const order = [key('03'), key('01'), key('09')];
  const view = assembleConsensusView(
    [
      { node: node(1), state: bftState(order, [evidence('c1', 4, 1)]), error: null },
      { node: node(3), state: bftState(order, [evidence('c1', 4, 2)]), error: null },
      { node: node(2), state: null, error: 'node did not answer: timeout' },
    ],
    { heights: [], lastCommit: null },
    99,
  );
  assert.equal(view.engine, 'bft');
  assert.deepEqual(
    view.validators.map((v) => [v.name, v.nodeId]),
    [
      ['node-3', 'id-3'],
      ['node-1', 'id-1'],
      [null, null],
    ],
  );
  assert.deepEqual(
    view.nodes.map((n) => [n.name, n.error]),
    [
      ['node-1', null],
      ['node-2', 'node did not answer: timeout'],
      ['node-3', null],
    ],
  );
  assert.equal(view.evidence.length, 1);
  assert.equal(view.readAt, 99);
});

test('PoA: no round state, validators are the followed validator nodes by name', () => {
  const poa: ConsensusState = { engine: 'poa', status: { engine: 'poa', height: 8, round: 0, step: null, proposer: key('02'), lockedRound: -1, validRound: -1 }, roundState: null };
  const view = assembleConsensusView(
    [
      { node: node(2), state: poa, error: null },
      { node: node(1), state: poa, error: null },
      { node: node(5, false), state: poa, error: null },
    ],
    { heights: [], lastCommit: null },
    1,
  );
  assert.equal(view.engine, 'poa');
  assert.deepEqual(
    view.validators.map((v) => v.name),
    ['node-1', 'node-2'],
  );
  assert.ok(view.nodes.every((n) => n.roundState === null));
  assert.deepEqual(view.evidence, []);
});

test('no node answering: engine unknown, every node with its error', () => {
  const view = assembleConsensusView([{ node: node(1), state: null, error: 'down' }], { heights: [], lastCommit: null }, 1);
  assert.equal(view.engine, null);
  assert.equal(view.nodes[0].error, 'down');
});
