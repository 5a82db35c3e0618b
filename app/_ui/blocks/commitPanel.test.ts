import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockCommit } from '../../../wire/explorer-api.ts';
import { finalityText, signedSentence, signerRows } from './commitPanel.ts';

const key = (b: string) => b.repeat(32);
const commit = (extra: Partial<BlockCommit> = {}): BlockCommit => ({
  round: 0,
  signers: [
    { publicKey: key('01'), name: 'node-1' },
    { publicKey: key('02'), name: null },
    { publicKey: key('03'), name: 'node-3' },
  ],
  signatures: 3,
  finalizedAfterMs: 0,
  ...extra,
});

test('the signed sentence counts against the validator set when it is known', () => {
  assert.equal(signedSentence(commit({ validators: 4, quorum: 3 })), '3 of 4 validators signed (quorum 3)');
  assert.equal(signedSentence(commit()), '3 validators signed');
  assert.equal(signedSentence(commit({ signatures: 1, validators: 1, quorum: 1 })), '1 of 1 validators signed (quorum 1)');
  assert.equal(signedSentence(commit({ signatures: 1 })), '1 validator signed');
});

test('time to finality reads in ms below a second, then seconds, then minutes', () => {
  assert.equal(finalityText(0), '0 ms');
  assert.equal(finalityText(-5), '0 ms');
  assert.equal(finalityText(450.4), '450 ms');
  assert.equal(finalityText(1_250), '1.25 s');
  assert.equal(finalityText(12_440), '12.4 s');
  assert.equal(finalityText(125_000), '2 min 5 s');
});

test('signers link to their node by id (the key prefix), else by name; unknown ones have no link', () => {
  const nodes = [
    { id: key('02').slice(0, 16), name: 'node-2' },
    { id: 'other-id', name: 'node-3' },
  ];
  assert.deepEqual(signerRows(commit(), nodes), [
    { publicKey: key('01'), name: 'node-1', nodeId: null },
    { publicKey: key('02'), name: 'node-2', nodeId: key('02').slice(0, 16) },
    { publicKey: key('03'), name: 'node-3', nodeId: 'other-id' },
  ]);
});
