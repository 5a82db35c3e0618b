import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EvidenceRecord } from '../../../wire/bft.ts';
import type { ConsensusValidator } from '../../../wire/explorer-api.ts';
import { decidedRows, evidenceRows } from './evidenceRows.ts';

const A = '01'.repeat(32);
const sig = 'ef'.repeat(64);
const validators: ConsensusValidator[] = [{ publicKey: A, name: 'node-1', nodeId: 'n1' }];

test('a double precommit names the offender, the kind and both values (nil included)', () => {
  const e: EvidenceRecord = {
    kind: 'duplicate-vote',
    hash: 'cc'.repeat(32),
    validator: A,
    height: 9,
    round: 2,
    detectedAt: 5,
    evidence: {
      voteA: { type: 'precommit', height: 9, round: 2, blockHash: 'aa'.repeat(32), validator: A, signature: sig },
      voteB: { type: 'precommit', height: 9, round: 2, blockHash: null, validator: A, signature: sig },
    },
  };
  const [row] = evidenceRows([e], validators);
  assert.deepEqual(
    { offender: row.offender, nodeId: row.offenderNodeId, kind: row.kind, first: row.first, second: row.second, height: row.height, round: row.round },
    { offender: 'node-1', nodeId: 'n1', kind: 'double precommit', first: 'aaaaaaaa', second: 'nil', height: 9, round: 2 },
  );
});

test('a double proposal shows both proposed blocks', () => {
  const p = (b: string) => ({ height: 3, round: 0, blockHash: b.repeat(32), validRound: -1, proposer: A, signature: sig });
  const e: EvidenceRecord = {
    kind: 'duplicate-proposal',
    hash: 'dd'.repeat(32),
    validator: A,
    height: 3,
    round: 0,
    detectedAt: 1,
    evidence: { proposalA: p('aa'), proposalB: p('bb') },
  };
  const [row] = evidenceRows([e], []);
  assert.equal(row.kind, 'double proposal');
  assert.equal(row.offender, '01010101…');
  assert.deepEqual([row.first, row.second], ['aaaaaaaa', 'bbbbbbbb']);
});

test('decided heights: signers against the set, late rounds and time to finality', () => {
  const rows = decidedRows(
    [
      { height: 10, hash: 'aa'.repeat(32), round: 1, signers: 3, finalizedAfterMs: 1_250, committedAt: 0 },
      { height: 9, hash: 'bb'.repeat(32), round: 0, signers: 2, finalizedAfterMs: 300, committedAt: 0 },
    ],
    4,
  );
  assert.deepEqual(
    rows.map((r) => [r.signers, r.late, r.belowQuorum, r.finality]),
    [
      ['3 of 4', true, false, '1.25 s'],
      ['2 of 4', false, true, '300 ms'],
    ],
  );
  assert.equal(decidedRows([{ height: 1, hash: 'aa'.repeat(32), round: 0, signers: 3, finalizedAfterMs: 0, committedAt: 0 }], 0)[0].signers, '3');
});
