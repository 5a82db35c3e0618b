import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalString, hashCanonical } from './encoding.ts';
import { ChainError } from './errors.ts';
import { headerHash } from './block.ts';

/** Rebuilds a value with every object's keys in a random order. */
function shuffleKeys(value: unknown, rnd: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rnd));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, rnd)]));
  }
  return value;
}

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('canonical encoding', () => {
  it('gives the same bytes and hash whatever the key order', () => {
    fc.assert(
      fc.property(plain, fc.integer(), (v, seed) => {
        let s = seed;
        const rnd = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
        const shuffled = shuffleKeys(v, rnd);
        assert.equal(canonicalString(shuffled), canonicalString(v));
        assert.equal(hashCanonical(shuffled), hashCanonical(v));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through JSON.parse to the same encoding', () => {
    fc.assert(fc.property(plain, (v) => assert.equal(canonicalString(JSON.parse(canonicalString(v))), canonicalString(v))));
  });

  it('a block header hashes the same whatever the key order of its JSON', () => {
    const h = { chainId: 'c', height: 3, parentHash: 'a'.repeat(64), timestamp: 3000, slot: 3, proposer: 'b'.repeat(64), txRoot: 'c'.repeat(64) };
    const reordered = { txRoot: h.txRoot, slot: 3, proposer: h.proposer, height: 3, timestamp: 3000, parentHash: h.parentHash, chainId: 'c' };
    assert.equal(headerHash(reordered), headerHash(h));
  });

  it('writes exactly what JSON.stringify writes for the value with its keys sorted (escapes, unicode, lone surrogates)', () => {
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
            )
          : v;
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\ud800', 'é✓😀', '</script>'));
    // Integer-like keys ("2", "10") are enumerated in numeric order by JS objects, so the
    // reference could not sort them; a prefix keeps every key an ordinary string.
    const key = text.map((k) => `k${k}`);
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        text,
        fc.maxSafeInteger(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => assert.equal(canonicalString(v), JSON.stringify(sortDeep(v)))),
      { numRuns: 500 },
    );
  });

  it('sorts keys and leaves no whitespace', () => {
    assert.equal(canonicalString({ b: 1, a: [true, null, 'x'] }), '{"a":[true,null,"x"],"b":1}');
  });

  it('refuses floats, unsafe integers, undefined and non-plain objects', () => {
    for (const bad of [1.5, Number.MAX_SAFE_INTEGER + 1, NaN, { a: undefined }, new Date(), () => 1, 10n]) {
      assert.throws(
        () => canonicalString(bad),
        (e: unknown) => e instanceof ChainError && e.code === 'ENCODING_INVALID',
      );
    }
  });
});
