import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EquivocationDetector } from './equivocation-detector.ts';
import { verifyDuplicateProposalEvidence, verifyDuplicateVoteEvidence } from './evidence.ts';
import { TEST_CHAIN_ID, proposal, testHash, testValidators, vote } from '../../testkit/bft-fixtures.ts';

const v4 = testValidators(4);
const [alice, bob] = v4.keys;
const A = testHash('a');
const B = testHash('b');
const C = testHash('c');

describe('equivocation detector', () => {
  it('reports a second vote for another value in the same slot, once, as verifiable evidence', () => {
    const d = new EquivocationDetector();
    assert.equal(d.observeVote(vote(alice, 'prevote', 3, 0, A)), null);
    assert.equal(d.observeVote(vote(alice, 'prevote', 3, 0, A)), null); // the same vote gossiped again
    const ev = d.observeVote(vote(alice, 'prevote', 3, 0, null));
    assert.ok(ev);
    assert.equal(ev.voteA.blockHash, null);
    assert.deepEqual(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, ev, v4.set), { ok: true });
    assert.equal(d.observeVote(vote(alice, 'prevote', 3, 0, null)), null, 'the same offence is reported once');
    assert.ok(d.observeVote(vote(alice, 'prevote', 3, 0, B)), 'a third value is another offence');
  });

  it('votes of other slots are no offence: another validator, type, round or height', () => {
    const d = new EquivocationDetector();
    assert.equal(d.observeVote(vote(alice, 'prevote', 3, 0, A)), null);
    assert.equal(d.observeVote(vote(bob, 'prevote', 3, 0, B)), null);
    assert.equal(d.observeVote(vote(alice, 'precommit', 3, 0, B)), null);
    assert.equal(d.observeVote(vote(alice, 'prevote', 3, 1, B)), null);
    assert.equal(d.observeVote(vote(alice, 'prevote', 4, 0, B)), null);
  });

  it('reports conflicting proposals: another block or another valid round', () => {
    const d = new EquivocationDetector();
    assert.equal(d.observeProposal(proposal(alice, 4, 2, A, 1)), null);
    assert.equal(d.observeProposal(proposal(alice, 4, 2, A, 1)), null);
    const byRound = d.observeProposal(proposal(alice, 4, 2, A, 0));
    const byBlock = d.observeProposal(proposal(alice, 4, 2, C, 1));
    assert.ok(byRound && byBlock);
    assert.deepEqual(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, byRound, v4.set), { ok: true });
    assert.deepEqual(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, byBlock, v4.set), { ok: true });
    assert.equal(d.observeProposal(proposal(bob, 4, 2, B, -1)), null);
  });

  it('forgets pruned heights and never holds more than maxEntries', () => {
    const d = new EquivocationDetector({ maxEntries: 10 });
    for (let r = 0; r < 50; r++) d.observeVote(vote(alice, 'prevote', 1, r, A));
    assert.ok(d.size <= 10);
    d.observeVote(vote(alice, 'prevote', 2, 0, A));
    d.pruneBelow(2);
    assert.equal(d.size, 1);
    assert.ok(d.observeVote(vote(alice, 'prevote', 2, 0, B)));
    d.pruneBelow(3);
    assert.equal(d.size, 0);
  });
});
