import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ProposalSchema, VoteSchema, type Proposal, type Vote } from '../../../wire/bft.ts';
import { sha256Hex } from '../../chain/encoding.ts';
import { signBytes } from '../../chain/keys.ts';
import { BftError, type BftErrorCode, type Verdict } from './errors.ts';
import { proposalSignBytes, signVote, verifyProposal, verifyVote, voteSignBytes } from './signing.ts';
import { TEST_CHAIN_ID, proposal, testHash, testValidators, vote } from '../../testkit/bft-fixtures.ts';

const v4 = testValidators(4);
const [alice, bob, carol] = v4.keys;
const H = 'ab'.repeat(32);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function rejectedWith(verdict: Verdict, code: BftErrorCode): void {
  assert.equal(verdict.ok, false, `expected ${code}, got ok`);
  if (!verdict.ok) {
    assert.ok(verdict.error instanceof BftError);
    assert.equal(verdict.error.code, code, verdict.error.message);
  }
}

describe('vote and proposal sign bytes (pinned: a change here forks every BFT chain)', () => {
  it('a precommit signs the canonical encoding of chain id, height, round, type and block hash', () => {
    const bytes = voteSignBytes('bft-test', { type: 'precommit', height: 7, round: 2, blockHash: H });
    assert.equal(text(bytes), `{"blockHash":"${H}","chainId":"bft-test","height":7,"round":2,"type":"precommit"}`);
    assert.equal(sha256Hex(bytes), '17574709ec2611b15999c0486ef0190e33e4dc6908c607b6f6c3a3699d6a6f57');
    // Ed25519 is deterministic: the signature of a fixed key over these bytes is fixed too.
    assert.equal(alice.publicKey, 'f9f30fe21c039790404447522fd806217742aa14cff2c8eabcdd22a7a08fc044');
    assert.equal(
      vote(alice, 'precommit', 7, 2, H, 'bft-test').signature,
      'b025e38dae37b2dacefe6e84679be7c3e577902415d7ce5921fd3b46dc00081d2e3cdb40cabc9f945bbbd5d7ffc04d63f99c76bfc684e99bf766c08281d76b03',
    );
  });

  it('a nil prevote signs blockHash null', () => {
    const bytes = voteSignBytes('bft-test', { type: 'prevote', height: 7, round: 2, blockHash: null });
    assert.equal(text(bytes), '{"blockHash":null,"chainId":"bft-test","height":7,"round":2,"type":"prevote"}');
    assert.equal(sha256Hex(bytes), 'df9e9903dc4b8f344b65a0a6e7a381ce4d098e88c00cb39ea23524493f59665d');
  });

  it('a proposal signs type "proposal" and its valid round', () => {
    const bytes = proposalSignBytes('bft-test', { height: 7, round: 2, blockHash: H, validRound: 1 });
    assert.equal(text(bytes), `{"blockHash":"${H}","chainId":"bft-test","height":7,"round":2,"type":"proposal","validRound":1}`);
    assert.equal(sha256Hex(bytes), 'f871bb41b5620b56a1ac2fd1d78c13ffc47a3248feda5365f6662082e68f6909');
  });

  it('ignores fields that are not signed (validator, signature) and key order', () => {
    const a = voteSignBytes('c', { type: 'prevote', height: 1, round: 0, blockHash: H });
    const b = voteSignBytes('c', { blockHash: H, round: 0, height: 1, type: 'prevote', validator: alice.publicKey, signature: '00' } as Vote);
    assert.deepEqual(a, b);
  });
});

const hashOrNil = fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null });
const voteFields = fc.record({
  type: fc.constantFrom('prevote' as const, 'precommit' as const),
  height: fc.maxSafeNat(),
  round: fc.nat({ max: 1_000_000 }),
  blockHash: hashOrNil,
  signer: fc.integer({ min: 0, max: 3 }),
});

describe('votes', () => {
  it('a signed vote verifies, and survives a JSON round trip through the wire schema', () => {
    fc.assert(
      fc.property(voteFields, ({ type, height, round, blockHash, signer }) => {
        const v = vote(v4.keys[signer], type, height, round, blockHash);
        assert.deepEqual(verifyVote(TEST_CHAIN_ID, v, v4.set), { ok: true });
        const back = VoteSchema.parse(JSON.parse(JSON.stringify(v)));
        assert.deepEqual(back, v);
        assert.deepEqual(verifyVote(TEST_CHAIN_ID, back, v4.set), { ok: true });
      }),
      { numRuns: 50 },
    );
  });

  it('a changed field breaks the signature: height, round, type, value (nil included), chain id', () => {
    const v = vote(alice, 'prevote', 10, 1, H);
    rejectedWith(verifyVote(TEST_CHAIN_ID, { ...v, height: 11 }, v4.set), 'VOTE_BAD_SIGNATURE');
    rejectedWith(verifyVote(TEST_CHAIN_ID, { ...v, round: 2 }, v4.set), 'VOTE_BAD_SIGNATURE');
    rejectedWith(verifyVote(TEST_CHAIN_ID, { ...v, type: 'precommit' }, v4.set), 'VOTE_BAD_SIGNATURE');
    rejectedWith(verifyVote(TEST_CHAIN_ID, { ...v, blockHash: null }, v4.set), 'VOTE_BAD_SIGNATURE');
    rejectedWith(verifyVote(TEST_CHAIN_ID, { ...v, blockHash: testHash('other') }, v4.set), 'VOTE_BAD_SIGNATURE');
    rejectedWith(verifyVote('another-chain', v, v4.set), 'VOTE_BAD_SIGNATURE');
  });

  it('a vote signed for another chain id does not verify here', () => {
    const foreign = vote(alice, 'precommit', 3, 0, H, 'another-chain');
    assert.deepEqual(verifyVote('another-chain', foreign, v4.set), { ok: true });
    const r = verifyVote(TEST_CHAIN_ID, foreign, v4.set);
    rejectedWith(r, 'VOTE_BAD_SIGNATURE');
    if (!r.ok) assert.deepEqual(r.error.context, { height: 3, round: 0, validator: alice.publicKey });
  });

  it('a forged signature is rejected: another validator signing in alice name, or random bytes', () => {
    const forgedByBob = { ...vote(bob, 'precommit', 5, 0, H), validator: alice.publicKey };
    rejectedWith(verifyVote(TEST_CHAIN_ID, forgedByBob, v4.set), 'VOTE_BAD_SIGNATURE');
    const random = { ...vote(alice, 'precommit', 5, 0, H), signature: '5a'.repeat(64) };
    rejectedWith(verifyVote(TEST_CHAIN_ID, random, v4.set), 'VOTE_BAD_SIGNATURE');
  });

  it('a well-signed vote by a key outside the validator set is rejected', () => {
    rejectedWith(verifyVote(TEST_CHAIN_ID, vote(v4.outsider, 'prevote', 1, 0, H), v4.set), 'VOTE_NOT_VALIDATOR');
  });

  it('malformed votes are rejected before any signature check', () => {
    const v = vote(alice, 'prevote', 1, 0, H);
    const bad: unknown[] = [
      { ...v, height: -1 },
      { ...v, height: 1.5 },
      { ...v, height: Number.MAX_SAFE_INTEGER + 1 },
      { ...v, round: -1 },
      { ...v, round: '0' },
      { ...v, type: 'proposal' },
      { ...v, blockHash: H.toUpperCase() },
      { ...v, blockHash: H + '00' },
      { ...v, validator: undefined },
      { ...v, signature: v.signature.slice(2) },
      null,
      'vote',
    ];
    for (const b of bad) rejectedWith(verifyVote(TEST_CHAIN_ID, b as Vote, v4.set), 'VOTE_MALFORMED');
  });

  it('signVote refuses a key that is not the vote validator', () => {
    assert.throws(
      () => signVote(TEST_CHAIN_ID, { type: 'prevote', height: 1, round: 0, blockHash: H, validator: bob.publicKey }, alice),
      (e: unknown) => e instanceof BftError && e.code === 'VOTE_MALFORMED',
    );
  });
});

describe('proposals', () => {
  // Proposer of (h, r) is keys[(h + r) % 4]: alice proposes (4, 0), bob (4, 1), carol (4, 2).
  it('the rotation proposer signed proposal verifies, and survives a JSON round trip', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.nat({ max: 1000 }), fc.stringMatching(/^[0-9a-f]{64}$/), (height, round, blockHash) => {
        const key = v4.keys[(height + round) % 4];
        const p = proposal(key, height, round, blockHash, round > 0 ? round - 1 : -1);
        assert.deepEqual(verifyProposal(TEST_CHAIN_ID, p, v4.set), { ok: true });
        const back = ProposalSchema.parse(JSON.parse(JSON.stringify(p)));
        assert.deepEqual(back, p);
      }),
      { numRuns: 50 },
    );
  });

  it('a proposal by a validator that is not the proposer of its height and round is rejected', () => {
    rejectedWith(verifyProposal(TEST_CHAIN_ID, proposal(bob, 4, 0, H), v4.set), 'PROPOSAL_WRONG_PROPOSER');
    // An explicit expected proposer overrides the rotation.
    assert.deepEqual(verifyProposal(TEST_CHAIN_ID, proposal(bob, 4, 0, H), v4.set, bob.publicKey), { ok: true });
    rejectedWith(verifyProposal(TEST_CHAIN_ID, proposal(alice, 4, 0, H), v4.set, carol.publicKey), 'PROPOSAL_WRONG_PROPOSER');
  });

  it('a proposal by a key outside the set is rejected', () => {
    rejectedWith(verifyProposal(TEST_CHAIN_ID, proposal(v4.outsider, 4, 0, H), v4.set), 'PROPOSAL_NOT_VALIDATOR');
  });

  it('a forged or altered proposal, or one for another chain, is rejected', () => {
    const p = proposal(bob, 4, 1, H, 0);
    rejectedWith(verifyProposal(TEST_CHAIN_ID, { ...p, blockHash: testHash('x') }, v4.set), 'PROPOSAL_BAD_SIGNATURE');
    rejectedWith(verifyProposal(TEST_CHAIN_ID, { ...p, validRound: -1 }, v4.set), 'PROPOSAL_BAD_SIGNATURE');
    rejectedWith(verifyProposal('another-chain', p, v4.set), 'PROPOSAL_BAD_SIGNATURE');
    const byAlice = { ...proposal(alice, 4, 1, H, 0), proposer: bob.publicKey };
    rejectedWith(verifyProposal(TEST_CHAIN_ID, byAlice, v4.set), 'PROPOSAL_BAD_SIGNATURE');
  });

  it('a vote signature never passes for a proposal (the sign bytes differ by type)', () => {
    const p = proposal(alice, 4, 0, H);
    const voteSig = signBytes(voteSignBytes(TEST_CHAIN_ID, { type: 'prevote', height: 4, round: 0, blockHash: H }), alice);
    rejectedWith(verifyProposal(TEST_CHAIN_ID, { ...p, signature: voteSig }, v4.set), 'PROPOSAL_BAD_SIGNATURE');
  });

  it('malformed proposals are rejected: validRound not before round, below -1, nil block, bad fields', () => {
    const p = proposal(carol, 4, 2, H, 1);
    const bad: unknown[] = [
      { ...p, validRound: 2 },
      { ...p, validRound: 3 },
      { ...p, validRound: -2 },
      { ...p, blockHash: null },
      { ...p, round: -1 },
      { ...p, proposer: 'zz' },
      { ...p, signature: undefined },
    ];
    for (const b of bad) rejectedWith(verifyProposal(TEST_CHAIN_ID, b as Proposal, v4.set), 'PROPOSAL_MALFORMED');
  });
});
