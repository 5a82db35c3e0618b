import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CommitSchema, MAX_COMMIT_SIGNATURES, type Commit } from '../../../wire/bft.ts';
import { BftError, type BftErrorCode, type Verdict } from './errors.ts';
import { commitSigners, makeCommit, verifyCommit } from './commit.ts';
import { TEST_CHAIN_ID, signedCommit, testHash, testValidators, vote } from '../../testkit/bft-fixtures.ts';

const v4 = testValidators(4);
const [alice, bob, carol, dave] = v4.keys;
const H = testHash('block-10');

function rejectedWith(verdict: Verdict, code: BftErrorCode): BftError {
  assert.equal(verdict.ok, false, `expected ${code}, got ok`);
  if (verdict.ok) throw new Error('unreachable');
  assert.equal(verdict.error.code, code, verdict.error.message);
  return verdict.error;
}

const precommit = (k: (typeof v4.keys)[number], blockHash: string | null = H, height = 10, round = 1) => vote(k, 'precommit', height, round, blockHash);

describe('makeCommit', () => {
  it('keeps only precommits for that value, height and round by validators, one each, in genesis order', () => {
    const votes = [
      precommit(dave),
      precommit(bob),
      precommit(bob), // the same precommit twice
      vote(carol, 'prevote', 10, 1, H), // a prevote does not commit
      precommit(carol, testHash('other')), // another block
      precommit(carol, null), // nil
      precommit(carol, H, 10, 0), // another round
      precommit(carol, H, 11, 1), // another height
      precommit(v4.outsider), // not a validator
      precommit(alice),
    ];
    const commit = makeCommit(10, 1, H, votes, v4.set);
    assert.deepEqual(commitSigners(commit), [alice.publicKey, bob.publicKey, dave.publicKey]);
    assert.deepEqual({ ...commit, signatures: [] }, { height: 10, round: 1, blockHash: H, signatures: [] });
    assert.deepEqual(verifyCommit(TEST_CHAIN_ID, commit, v4.set, { height: 10, blockHash: H }), { ok: true });
  });

  it('is the same certificate whatever order the precommits arrived in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([alice, bob, carol, dave], { minLength: 3 }), (signers) => {
        const commit = makeCommit(
          10,
          1,
          H,
          signers.map((k) => precommit(k)),
          v4.set,
        );
        const sorted = [...signers].sort((a, b) => v4.set.indexOf(a.publicKey) - v4.set.indexOf(b.publicKey));
        assert.deepEqual(
          commitSigners(commit),
          sorted.map((k) => k.publicKey),
        );
      }),
    );
  });

  it('refuses to build a certificate without a quorum for the value', () => {
    const votes = [precommit(alice), precommit(bob), precommit(carol, null), vote(dave, 'prevote', 10, 1, H)];
    assert.throws(
      () => makeCommit(10, 1, H, votes, v4.set),
      (e: unknown) => e instanceof BftError && e.code === 'COMMIT_SHORT',
    );
  });
});

describe('verifyCommit', () => {
  it('a commit with exactly floor(2n/3) signers is short; with floor(2n/3) + 1 it is valid', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 16]) {
      const v = testValidators(n);
      const quorum = Math.floor((2 * n) / 3) + 1;
      const full = signedCommit(v, 3, 0, H);
      const exact = { ...full, signatures: full.signatures.slice(0, quorum) };
      const short = { ...full, signatures: full.signatures.slice(0, quorum - 1) };
      assert.deepEqual(verifyCommit(TEST_CHAIN_ID, exact, v.set), { ok: true }, `n=${n} with ${quorum} signers`);
      rejectedWith(verifyCommit(TEST_CHAIN_ID, short, v.set), 'COMMIT_SHORT');
    }
  });

  it('any set of at least a quorum of distinct validators is valid, fewer is short (property, 7 validators)', () => {
    const v7 = testValidators(7);
    const all = signedCommit(v7, 2, 3, H);
    fc.assert(
      fc.property(fc.shuffledSubarray(all.signatures), (sigs) => {
        const verdict = verifyCommit(TEST_CHAIN_ID, { ...all, signatures: sigs }, v7.set);
        if (sigs.length >= 5) assert.deepEqual(verdict, { ok: true });
        else rejectedWith(verdict, 'COMMIT_SHORT');
      }),
      { numRuns: 60 },
    );
  });

  it('survives a JSON round trip through the wire schema', () => {
    const commit = signedCommit(v4, 10, 1, H);
    const back = CommitSchema.parse(JSON.parse(JSON.stringify(commit)));
    assert.deepEqual(back, commit);
    assert.deepEqual(verifyCommit(TEST_CHAIN_ID, back, v4.set), { ok: true });
  });

  it('a signer counted twice is a duplicate, not a quorum', () => {
    const full = signedCommit(v4, 10, 1, H);
    const padded = { ...full, signatures: [...full.signatures.slice(0, 2), full.signatures[0]] };
    const err = rejectedWith(verifyCommit(TEST_CHAIN_ID, padded, v4.set), 'COMMIT_DUPLICATE_SIGNER');
    assert.equal(err.context.validator, alice.publicKey);
    // Also when the rest would be a quorum on its own.
    rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...full, signatures: [...full.signatures, full.signatures[3]] }, v4.set), 'COMMIT_DUPLICATE_SIGNER');
  });

  it('a well-signed precommit by a key outside the set is rejected', () => {
    const commit = signedCommit(v4, 10, 1, H, 3);
    const outsider = precommit(v4.outsider);
    const withOutsider = { ...commit, signatures: [...commit.signatures, { validator: outsider.validator, signature: outsider.signature }] };
    rejectedWith(verifyCommit(TEST_CHAIN_ID, withOutsider, v4.set), 'COMMIT_UNKNOWN_VALIDATOR');
  });

  it('a forged extra signature fails the commit even when the others are a quorum', () => {
    const commit = signedCommit(v4, 10, 1, H, 3);
    const forged = { validator: dave.publicKey, signature: precommit(alice).signature };
    const err = rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...commit, signatures: [...commit.signatures, forged] }, v4.set), 'COMMIT_BAD_SIGNATURE');
    assert.equal(err.context.validator, dave.publicKey);
    const random = { validator: dave.publicKey, signature: '77'.repeat(64) };
    rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...commit, signatures: [...commit.signatures, random] }, v4.set), 'COMMIT_BAD_SIGNATURE');
  });

  it('without signature checks (replaying its own log) it still checks the structure: quorum, validators, the block', () => {
    const commit = signedCommit(v4, 10, 1, H, 3);
    const forged = { ...commit, signatures: commit.signatures.map((x) => ({ ...x, signature: '77'.repeat(64) })) };
    const noSigs = { verifySignatures: false };
    assert.deepEqual(verifyCommit(TEST_CHAIN_ID, forged, v4.set, { height: 10, blockHash: H }, noSigs), { ok: true });
    rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...forged, signatures: forged.signatures.slice(0, 2) }, v4.set, undefined, noSigs), 'COMMIT_SHORT');
    rejectedWith(verifyCommit(TEST_CHAIN_ID, forged, v4.set, { height: 10, blockHash: testHash('other') }, noSigs), 'COMMIT_MISMATCH');
    rejectedWith(verifyCommit(TEST_CHAIN_ID, forged, v4.set, { height: 10, blockHash: H }), 'COMMIT_BAD_SIGNATURE');
  });

  it('stops at the first bad signature and names it', () => {
    const commit = signedCommit(v4, 10, 1, H);
    const sigs = commit.signatures.map((s, i) => (i === 1 || i === 3 ? { ...s, signature: '11'.repeat(64) } : s));
    const err = rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...commit, signatures: sigs }, v4.set), 'COMMIT_BAD_SIGNATURE');
    assert.equal(err.context.validator, bob.publicKey);
  });

  it('precommits of other values, rounds, heights, types or chains do not make a commit', () => {
    const commit = signedCommit(v4, 10, 1, H);
    rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...commit, blockHash: testHash('other') }, v4.set), 'COMMIT_BAD_SIGNATURE');
    rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...commit, round: 0 }, v4.set), 'COMMIT_BAD_SIGNATURE');
    rejectedWith(verifyCommit(TEST_CHAIN_ID, { ...commit, height: 11 }, v4.set), 'COMMIT_BAD_SIGNATURE');
    rejectedWith(verifyCommit('another-chain', commit, v4.set), 'COMMIT_BAD_SIGNATURE');
    const prevotes = [alice, bob, carol].map((k) => vote(k, 'prevote', 10, 1, H));
    const fromPrevotes: Commit = { height: 10, round: 1, blockHash: H, signatures: prevotes.map((p) => ({ validator: p.validator, signature: p.signature })) };
    rejectedWith(verifyCommit(TEST_CHAIN_ID, fromPrevotes, v4.set), 'COMMIT_BAD_SIGNATURE');
  });

  it('a valid commit of another height or block is not the expected block commit', () => {
    const commit = signedCommit(v4, 10, 1, H);
    assert.deepEqual(verifyCommit(TEST_CHAIN_ID, commit, v4.set, { height: 10, blockHash: H }), { ok: true });
    rejectedWith(verifyCommit(TEST_CHAIN_ID, commit, v4.set, { height: 11, blockHash: H }), 'COMMIT_MISMATCH');
    rejectedWith(verifyCommit(TEST_CHAIN_ID, commit, v4.set, { height: 10, blockHash: testHash('sibling') }), 'COMMIT_MISMATCH');
  });

  it('malformed commits are rejected: bad fields, nil block, unbounded signature lists', () => {
    const commit = signedCommit(v4, 10, 1, H);
    const tooMany = Array.from({ length: MAX_COMMIT_SIGNATURES + 1 }, () => commit.signatures[0]);
    const bad: unknown[] = [
      { ...commit, blockHash: null },
      { ...commit, height: -1 },
      { ...commit, round: 2 ** 53 },
      { ...commit, signatures: undefined },
      { ...commit, signatures: [{ validator: alice.publicKey }] },
      { ...commit, signatures: tooMany },
      undefined,
    ];
    for (const b of bad) rejectedWith(verifyCommit(TEST_CHAIN_ID, b as Commit, v4.set), 'COMMIT_MALFORMED');
  });

  it('measures the time to verify a 4- and a 16-validator commit (diagnostic only)', (t) => {
    for (const n of [4, 16]) {
      const v = testValidators(n);
      const commit = signedCommit(v, 100, 0, H);
      verifyCommit(TEST_CHAIN_ID, commit, v.set); // warm the key cache, as a running node has
      const runs = 50;
      const start = process.hrtime.bigint();
      for (let i = 0; i < runs; i++) assert.equal(verifyCommit(TEST_CHAIN_ID, commit, v.set).ok, true);
      const us = Number(process.hrtime.bigint() - start) / 1000 / runs;
      t.diagnostic(`verifyCommit, ${n} validators (${commit.signatures.length} signatures): ${us.toFixed(0)} µs`);
    }
  });
});
