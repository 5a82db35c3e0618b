import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyedTokenBuckets } from './token-bucket.ts';

describe('KeyedTokenBuckets', () => {
  it('lets a key spend its burst at once, then refuses until tokens come back at perSec', () => {
    let t = 0;
    const b = new KeyedTokenBuckets({ burst: 3, perSec: 2, now: () => t });
    assert.deepEqual([b.take('a'), b.take('a'), b.take('a'), b.take('a')], [true, true, true, false]);
    t = 499;
    assert.equal(b.take('a'), false, 'under one token after 499 ms at 2/s');
    t = 500;
    assert.equal(b.take('a'), true);
    assert.equal(b.take('a'), false);
    t = 60_000;
    assert.equal(b.tokens('a'), 3, 'refills to the burst, no further');
  });

  it('keeps keys apart: one address spending its tokens does not touch another', () => {
    const b = new KeyedTokenBuckets({ burst: 1, perSec: 0.001, now: () => 0 });
    assert.equal(b.take('10.0.0.1'), true);
    assert.equal(b.take('10.0.0.1'), false);
    assert.equal(b.take('10.0.0.2'), true);
  });

  it('stays bounded: past maxKeys, full buckets are forgotten first, then the oldest', () => {
    let t = 0;
    const b = new KeyedTokenBuckets({ burst: 2, perSec: 1, maxKeys: 3, now: () => t });
    b.take('busy');
    b.take('busy');
    b.take('x');
    b.take('y');
    t = 1500; // x and y are full again, busy is not
    b.take('z');
    assert.equal(b.size, 2);
    assert.equal(b.tokens('busy') < 2, true, 'the key still over its rate is kept');
    for (const k of ['p', 'q', 'r', 's']) b.take(k);
    assert.ok(b.size <= 3, `size ${b.size}`);
  });

  it('refuses nonsense limits', () => {
    assert.throws(() => new KeyedTokenBuckets({ burst: 0, perSec: 1 }), RangeError);
    assert.throws(() => new KeyedTokenBuckets({ burst: 1, perSec: 0 }), RangeError);
  });
});
