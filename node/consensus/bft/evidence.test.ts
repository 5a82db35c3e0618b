import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DuplicateProposalEvidenceSchema, DuplicateVoteEvidenceSchema, type DuplicateProposalEvidence, type DuplicateVoteEvidence } from '../../../wire/bft.ts';
import { BftError, type BftErrorCode, type Verdict } from './errors.ts';
import {
  evidenceHash,
  isDuplicateProposal,
  isDuplicateVote,
  makeDuplicateProposalEvidence,
  makeDuplicateVoteEvidence,
  verifyDuplicateProposalEvidence,
  verifyDuplicateVoteEvidence,
} from './evidence.ts';
import { TEST_CHAIN_ID, proposal, testHash, testValidators, vote } from '../../testkit/bft-fixtures.ts';

const v4 = testValidators(4);
const [alice, bob] = v4.keys;
const A = testHash('a-block');
const B = testHash('b-block');
const notConflicting = (e: unknown) => e instanceof BftError && e.code === 'EVIDENCE_NOT_CONFLICTING';

function rejectedWith(verdict: Verdict, code: BftErrorCode): void {
  assert.equal(verdict.ok, false, `expected ${code}, got ok`);
  if (!verdict.ok) assert.equal(verdict.error.code, code, verdict.error.message);
}

describe('duplicate votes', () => {
  it('two values from one validator at one height, round and type are an equivocation, nil against a hash too', () => {
    assert.ok(isDuplicateVote(vote(alice, 'prevote', 5, 0, A), vote(alice, 'prevote', 5, 0, B)));
    assert.ok(isDuplicateVote(vote(alice, 'precommit', 5, 2, null), vote(alice, 'precommit', 5, 2, A)));
  });

  it('votes that differ in validator, height, round or type, or agree on the value, are not', () => {
    const a = vote(alice, 'prevote', 5, 0, A);
    assert.equal(isDuplicateVote(a, vote(alice, 'prevote', 5, 0, A)), false);
    assert.equal(isDuplicateVote(a, vote(bob, 'prevote', 5, 0, B)), false);
    assert.equal(isDuplicateVote(a, vote(alice, 'prevote', 6, 0, B)), false);
    assert.equal(isDuplicateVote(a, vote(alice, 'prevote', 5, 1, B)), false);
    assert.equal(isDuplicateVote(a, vote(alice, 'precommit', 5, 0, B)), false);
    assert.equal(isDuplicateVote(vote(alice, 'prevote', 5, 0, null), vote(alice, 'prevote', 5, 0, null)), false);
    assert.throws(() => makeDuplicateVoteEvidence(a, vote(bob, 'prevote', 5, 0, B)), notConflicting);
    assert.throws(() => makeDuplicateVoteEvidence(a, a), notConflicting);
  });

  it('evidence is canonical: nil or the smaller hash first, whatever order the votes came in', () => {
    const nil = vote(alice, 'precommit', 5, 2, null);
    const b = vote(alice, 'precommit', 5, 2, B);
    const a = vote(alice, 'precommit', 5, 2, A);
    assert.deepEqual(makeDuplicateVoteEvidence(b, nil), { voteA: nil, voteB: b });
    assert.deepEqual(makeDuplicateVoteEvidence(b, a), { voteA: a, voteB: b });
    assert.equal(evidenceHash(makeDuplicateVoteEvidence(a, b)), evidenceHash(makeDuplicateVoteEvidence(b, a)));
    assert.notEqual(evidenceHash(makeDuplicateVoteEvidence(a, b)), evidenceHash(makeDuplicateVoteEvidence(a, nil)));
  });

  it('any two different values of one validator make evidence that verifies and survives a JSON round trip', () => {
    const value = fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null });
    fc.assert(
      fc.property(
        value,
        value,
        fc.constantFrom('prevote' as const, 'precommit' as const),
        fc.nat({ max: 1e9 }),
        fc.nat({ max: 100 }),
        fc.nat({ max: 3 }),
        (x, y, type, height, round, signer) => {
          fc.pre(x !== y);
          const k = v4.keys[signer];
          const ev = makeDuplicateVoteEvidence(vote(k, type, height, round, x), vote(k, type, height, round, y));
          assert.deepEqual(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, ev, v4.set), { ok: true });
          const back = DuplicateVoteEvidenceSchema.parse(JSON.parse(JSON.stringify(ev)));
          assert.deepEqual(back, ev);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('rejects evidence with a forged vote, from another chain, by a non-validator, not conflicting, out of order or malformed', () => {
    const ev = makeDuplicateVoteEvidence(vote(alice, 'prevote', 5, 0, A), vote(alice, 'prevote', 5, 0, B));
    // Bob's signature in alice's name: the framing of an honest validator.
    const framed: DuplicateVoteEvidence = { ...ev, voteB: { ...vote(bob, 'prevote', 5, 0, B), validator: alice.publicKey } };
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, framed, v4.set), 'EVIDENCE_BAD_SIGNATURE');
    rejectedWith(verifyDuplicateVoteEvidence('another-chain', ev, v4.set), 'EVIDENCE_BAD_SIGNATURE');
    const o = v4.outsider;
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, makeDuplicateVoteEvidence(vote(o, 'prevote', 5, 0, A), vote(o, 'prevote', 5, 0, B)), v4.set), 'EVIDENCE_NOT_VALIDATOR');
    const twoValidators: DuplicateVoteEvidence = { voteA: vote(alice, 'prevote', 5, 0, A), voteB: vote(bob, 'prevote', 5, 0, B) };
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, twoValidators, v4.set), 'EVIDENCE_NOT_CONFLICTING');
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, { voteA: ev.voteA, voteB: ev.voteA }, v4.set), 'EVIDENCE_NOT_CONFLICTING');
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, { voteA: ev.voteB, voteB: ev.voteA }, v4.set), 'EVIDENCE_MALFORMED');
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, { voteA: ev.voteA } as DuplicateVoteEvidence, v4.set), 'EVIDENCE_MALFORMED');
    rejectedWith(verifyDuplicateVoteEvidence(TEST_CHAIN_ID, { ...ev, voteB: { ...ev.voteB, round: -1 } }, v4.set), 'EVIDENCE_MALFORMED');
  });
});

describe('duplicate proposals', () => {
  it('two blocks or two valid rounds from one proposer at one height and round are an equivocation', () => {
    assert.ok(isDuplicateProposal(proposal(alice, 4, 0, A), proposal(alice, 4, 0, B)));
    assert.ok(isDuplicateProposal(proposal(alice, 4, 3, A, 1), proposal(alice, 4, 3, A, 2)));
  });

  it('proposals of other heights, rounds or proposers, or identical ones, are not', () => {
    const p = proposal(alice, 4, 0, A);
    assert.equal(isDuplicateProposal(p, proposal(alice, 4, 0, A)), false);
    assert.equal(isDuplicateProposal(p, proposal(alice, 5, 0, B)), false);
    assert.equal(isDuplicateProposal(p, proposal(alice, 4, 1, B)), false);
    assert.equal(isDuplicateProposal(p, proposal(bob, 4, 0, B)), false);
    assert.throws(() => makeDuplicateProposalEvidence(p, p), notConflicting);
  });

  it('evidence is canonical (by block hash, then valid round) and verifies', () => {
    const pa = proposal(alice, 4, 3, A, 1);
    const pb = proposal(alice, 4, 3, B, -1);
    const pa2 = proposal(alice, 4, 3, A, 2);
    assert.deepEqual(makeDuplicateProposalEvidence(pb, pa), { proposalA: pa, proposalB: pb });
    assert.deepEqual(makeDuplicateProposalEvidence(pa2, pa), { proposalA: pa, proposalB: pa2 });
    for (const ev of [makeDuplicateProposalEvidence(pb, pa), makeDuplicateProposalEvidence(pa2, pa)]) {
      assert.deepEqual(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, ev, v4.set), { ok: true });
      assert.deepEqual(DuplicateProposalEvidenceSchema.parse(JSON.parse(JSON.stringify(ev))), ev);
    }
  });

  it('rejects proposal evidence that is forged, foreign, by a non-validator, not conflicting, out of order or malformed', () => {
    const ev = makeDuplicateProposalEvidence(proposal(alice, 4, 0, A), proposal(alice, 4, 0, B));
    const framed: DuplicateProposalEvidence = { ...ev, proposalB: { ...proposal(bob, 4, 0, B), proposer: alice.publicKey } };
    rejectedWith(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, framed, v4.set), 'EVIDENCE_BAD_SIGNATURE');
    rejectedWith(verifyDuplicateProposalEvidence('another-chain', ev, v4.set), 'EVIDENCE_BAD_SIGNATURE');
    const o = v4.outsider;
    rejectedWith(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, makeDuplicateProposalEvidence(proposal(o, 4, 0, A), proposal(o, 4, 0, B)), v4.set), 'EVIDENCE_NOT_VALIDATOR');
    rejectedWith(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, { proposalA: ev.proposalA, proposalB: ev.proposalA }, v4.set), 'EVIDENCE_NOT_CONFLICTING');
    rejectedWith(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, { proposalA: ev.proposalB, proposalB: ev.proposalA }, v4.set), 'EVIDENCE_MALFORMED');
    rejectedWith(verifyDuplicateProposalEvidence(TEST_CHAIN_ID, { ...ev, proposalA: { ...ev.proposalA, validRound: -5 } }, v4.set), 'EVIDENCE_MALFORMED');
  });
});
