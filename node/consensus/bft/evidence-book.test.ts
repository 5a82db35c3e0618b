import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EvidenceRecordSchema } from '../../../wire/bft.ts';
import { TEST_CHAIN_ID, proposal, testHash, testValidators, vote } from '../../testkit/bft-fixtures.ts';
import { EvidenceBook } from './evidence-book.ts';
import { evidenceHash, verifyDuplicateProposalEvidence, verifyDuplicateVoteEvidence } from './evidence.ts';

const v4 = testValidators(4);
const [alice, bob] = v4.keys;
const A = testHash('a');
const B = testHash('b');

describe('evidence book', () => {
  it('turns a conflicting vote into one record (wire schema, evidence hash, offender, slot), however often both halves arrive', () => {
    const book = new EvidenceBook();
    const [a, b] = [vote(alice, 'prevote', 5, 1, A), vote(alice, 'prevote', 5, 1, B)];
    assert.equal(book.observeVote(a, 1000), null);
    const record = book.observeVote(b, 2000);
    assert.ok(record);
    assert.equal(EvidenceRecordSchema.safeParse(record).success, true);
    assert.equal(record.kind, 'duplicate-vote');
    assert.deepEqual([record.validator, record.height, record.round, record.detectedAt], [alice.publicKey, 5, 1, 2000]);
    assert.equal(record.hash, evidenceHash(record.evidence));
    if (record.kind === 'duplicate-vote') assert.deepEqual(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, record.evidence, v4.set), { ok: true });
    assert.equal(book.observeVote(a, 3000), null, 'a relayed copy is no new offence');
    assert.equal(book.observeVote(b, 3000), null);
    assert.equal(book.observeVotePair(b, a, 3000), null, "the core's equivocation effect for the same pair is no new record");
    assert.deepEqual(book.list(), [record]);
  });

  it('the core-reported pair is recorded when the detector missed it, and non-conflicting pairs are not', () => {
    const book = new EvidenceBook();
    const record = book.observeVotePair(vote(bob, 'precommit', 2, 0, A), vote(bob, 'precommit', 2, 0, null), 10);
    assert.equal(record?.validator, bob.publicKey);
    assert.equal(book.observeVotePair(vote(bob, 'precommit', 2, 0, A), vote(bob, 'prevote', 2, 0, B), 10), null);
    assert.equal(book.list().length, 1);
  });

  it('records a duplicate proposal of the proposer', () => {
    const book = new EvidenceBook();
    assert.equal(book.observeProposal(proposal(alice, 7, 0, A), 1), null);
    const record = book.observeProposal(proposal(alice, 7, 0, B), 2);
    assert.equal(record?.kind, 'duplicate-proposal');
    assert.equal(record?.validator, alice.publicKey);
    if (record?.kind === 'duplicate-proposal') assert.deepEqual(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, record.evidence, v4.set), { ok: true });
  });

  it('lists the newest records only, and pruning a height keeps the list', () => {
    const book = new EvidenceBook(3);
    for (let h = 1; h <= 5; h++) {
      book.observeVote(vote(alice, 'prevote', h, 0, A), h);
      assert.ok(book.observeVote(vote(alice, 'prevote', h, 0, B), h));
    }
    assert.deepEqual(
      book.list().map((r) => r.height),
      [3, 4, 5],
    );
    book.pruneBelow(6);
    assert.equal(book.list().length, 3);
  });
});
