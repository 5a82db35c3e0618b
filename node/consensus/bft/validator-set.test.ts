import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BftError } from './errors.ts';
import { ValidatorSet, fPlusOneOf, quorumOf } from './validator-set.ts';
import { testValidators } from '../../testkit/bft-fixtures.ts';

const keyOf = (i: number) => i.toString(16).padStart(64, '0');

describe('validator set', () => {
  it('quorum and f+1 of the usual sizes', () => {
    const table: [n: number, quorum: number, fPlusOne: number][] = [
      [1, 1, 1],
      [2, 2, 1],
      [3, 3, 1],
      [4, 3, 2],
      [5, 4, 2],
      [6, 5, 2],
      [7, 5, 3],
      [16, 11, 6],
      [100, 67, 34],
    ];
    for (const [n, q, f1] of table) {
      assert.equal(quorumOf(n), q, `quorum of ${n}`);
      assert.equal(fPlusOneOf(n), f1, `f+1 of ${n}`);
    }
  });

  it('quorum is the least count above 2/3 of n, and f+1 the least count above what n tolerates as faulty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), (n) => {
        const q = quorumOf(n);
        assert.ok(3 * q > 2 * n && 3 * (q - 1) <= 2 * n);
        const f = fPlusOneOf(n) - 1; // the most faulty validators: 3f < n
        assert.ok(3 * f < n && 3 * (f + 1) >= n);
        // Two quorums always share an honest validator: 2q - n > f.
        assert.ok(2 * q - n > f);
      }),
    );
  });

  it('indexes keys in genesis order and knows who is a validator', () => {
    const { set, keys, outsider } = testValidators(4);
    assert.equal(set.size, 4);
    assert.equal(set.quorum, 3);
    assert.equal(set.fPlusOne, 2);
    keys.forEach((k, i) => {
      assert.equal(set.indexOf(k.publicKey), i);
      assert.ok(set.isValidator(k.publicKey));
    });
    assert.equal(set.indexOf(outsider.publicKey), -1);
    assert.equal(set.isValidator(outsider.publicKey), false);
    assert.ok(set.hasQuorum(3) && !set.hasQuorum(2));
  });

  it('rotates the proposer as validators[(height + round) mod n], even at the largest safe heights', () => {
    const set = new ValidatorSet([0, 1, 2, 3, 4].map(keyOf));
    assert.equal(set.proposer(0, 0), keyOf(0));
    assert.equal(set.proposer(1, 0), keyOf(1));
    assert.equal(set.proposer(1, 1), keyOf(2));
    assert.equal(set.proposer(3, 4), keyOf(2));
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.maxSafeNat(), (h, r) => {
        const expected = Number((BigInt(h) + BigInt(r)) % 5n);
        assert.equal(set.proposer(h, r), keyOf(expected));
      }),
    );
    assert.throws(() => set.proposer(-1, 0), BftError);
    assert.throws(() => set.proposer(0, 1.5), BftError);
  });

  it('rejects an empty list, a duplicate key and a key that is not 32-byte hex', () => {
    const code = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof BftError && e.code === 'VALIDATOR_SET_INVALID');
    code(() => new ValidatorSet([]));
    code(() => new ValidatorSet([keyOf(1), keyOf(2), keyOf(1)]));
    code(() => new ValidatorSet([keyOf(1), 'AB'.repeat(32)]));
    code(() => new ValidatorSet(['ab']));
  });

  it('keeps its own copy of the list', () => {
    const list = [keyOf(1), keyOf(2)];
    const set = new ValidatorSet(list);
    list[0] = keyOf(9);
    assert.equal(set.validators[0], keyOf(1));
    assert.ok(Object.isFrozen(set.validators));
  });
});
