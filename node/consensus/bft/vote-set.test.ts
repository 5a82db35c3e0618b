import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BftCoreError } from './core-errors.ts';
import { fPlusOneOf, proposerAt, quorumOf } from './validator-set.ts';
import { type CoreVote, VoteSet, type VoteType } from './vote-set.ts';

const V = ['v0', 'v1', 'v2', 'v3'];
const vote = (type: VoteType, validator: string, round: number, blockHash: string | null): CoreVote => ({
  type,
  height: 5,
  round,
  blockHash,
  validator,
});

describe('VoteSet', () => {
  it('quorum and f+1 follow n: 4 → 3 and 2, 7 → 5 and 3, 1 → 1 and 1', () => {
    assert.deepEqual([quorumOf(4), fPlusOneOf(4)], [3, 2]);
    assert.deepEqual([quorumOf(7), fPlusOneOf(7)], [5, 3]);
    assert.deepEqual([quorumOf(1), fPlusOneOf(1)], [1, 1]);
    assert.deepEqual([quorumOf(16), fPlusOneOf(16)], [11, 6]);
  });

  it('the proposer rotates with height + round', () => {
    assert.deepEqual([proposerAt(V, 1, 0), proposerAt(V, 1, 1), proposerAt(V, 2, 0), proposerAt(V, 4, 0), proposerAt(V, 3, 2)], ['v1', 'v2', 'v2', 'v0', 'v1']);
  });

  it('a value has a quorum at 2f+1 votes, not before; nil counts as a value', () => {
    const set = new VoteSet(5, V);
    set.add(vote('prevote', 'v0', 0, 'A'));
    set.add(vote('prevote', 'v1', 0, 'A'));
    assert.equal(set.quorumFor(0, 'prevote'), null);
    set.add(vote('prevote', 'v2', 0, 'A'));
    assert.deepEqual(set.quorumFor(0, 'prevote'), { value: 'A' });
    assert.equal(set.quorumFor(0, 'precommit'), null, 'types are counted apart');
    assert.equal(set.quorumFor(1, 'prevote'), null, 'rounds are counted apart');

    for (const v of ['v0', 'v1', 'v2']) set.add(vote('precommit', v, 0, null));
    assert.deepEqual(set.quorumFor(0, 'precommit'), { value: null });
    assert.equal(set.hasQuorumFor(0, 'precommit', null), true);
    assert.equal(set.hasQuorumFor(0, 'precommit', 'A'), false);
  });

  it('2f+1 votes of mixed values are a quorum of "any" but of no value', () => {
    const set = new VoteSet(5, V);
    set.add(vote('prevote', 'v0', 2, 'A'));
    set.add(vote('prevote', 'v1', 2, null));
    assert.equal(set.hasQuorumAny(2, 'prevote'), false);
    set.add(vote('prevote', 'v2', 2, 'B'));
    assert.equal(set.hasQuorumAny(2, 'prevote'), true);
    assert.equal(set.quorumFor(2, 'prevote'), null);
    assert.deepEqual([set.count(2, 'prevote', 'A'), set.count(2, 'prevote', null)], [1, 1]);
  });

  it('the same vote twice is a duplicate and counts once', () => {
    const set = new VoteSet(5, V);
    assert.equal(set.add(vote('precommit', 'v1', 0, 'A')), 'added');
    assert.equal(set.add(vote('precommit', 'v1', 0, 'A')), 'duplicate');
    assert.equal(set.count(0, 'precommit', 'A'), 1);
  });

  it('a conflicting vote reports the first; the first stays the validator vote, the second counts only for its value', () => {
    const set = new VoteSet(5, V);
    set.add(vote('prevote', 'v1', 0, 'A'));
    assert.deepEqual(set.add(vote('prevote', 'v1', 0, 'B')), { conflict: vote('prevote', 'v1', 0, 'A') });
    assert.equal(set.add(vote('prevote', 'v1', 0, 'B')), 'duplicate');
    assert.equal(set.voteOf(0, 'prevote', 'v1')?.blockHash, 'A');
    assert.deepEqual([set.count(0, 'prevote', 'A'), set.count(0, 'prevote', 'B')], [1, 1]);
    set.add(vote('prevote', 'v2', 0, 'C'));
    assert.equal(set.hasQuorumAny(0, 'prevote'), false, 'an equivocator is one validator for "any"');
    assert.equal(set.validatorsSeen(0).size, 2);
  });

  it('the precommits for a value are the votes of distinct validators for it', () => {
    const set = new VoteSet(5, V);
    for (const v of ['v3', 'v0', 'v2']) set.add(vote('precommit', v, 1, 'A'));
    set.add(vote('precommit', 'v1', 1, null));
    assert.deepEqual(
      set
        .votesFor(1, 'precommit', 'A')
        .map((v) => v.validator)
        .sort(),
      ['v0', 'v2', 'v3'],
    );
  });

  it('rounds with f+1 distinct validators (any type) are the round-skip candidates', () => {
    const set = new VoteSet(5, V);
    set.add(vote('prevote', 'v1', 3, 'A'));
    set.add(vote('precommit', 'v1', 3, 'A'));
    set.add(vote('prevote', 'v2', 4, null));
    assert.deepEqual(set.roundsWithFPlusOne(), []);
    set.add(vote('precommit', 'v3', 3, null));
    assert.deepEqual(set.roundsWithFPlusOne(), [3]);
    assert.deepEqual(set.rounds(), [3, 4]);
  });

  it('a vote from a non-validator, or for another height, is refused with a typed error', () => {
    const set = new VoteSet(5, V);
    assert.throws(
      () => set.add(vote('prevote', 'mallory', 0, 'A')),
      (e: unknown) => e instanceof BftCoreError && e.code === 'VOTE_NOT_FROM_VALIDATOR',
    );
    assert.throws(
      () => set.add({ ...vote('prevote', 'v0', 0, 'A'), height: 6 }),
      (e: unknown) => e instanceof BftCoreError && e.code === 'VOTE_WRONG_HEIGHT',
    );
    assert.equal(set.count(0, 'prevote', 'A'), 0);
    assert.throws(
      () => new VoteSet(1, ['v0', 'v0']),
      (e: unknown) => e instanceof BftCoreError && e.code === 'VALIDATOR_SET_INVALID',
    );
  });
});
