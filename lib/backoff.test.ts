import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Backoff } from './backoff.ts';

describe('Backoff', () => {
  it('doubles the ceiling on each retry up to the cap, drawing under it (full jitter)', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 0.999 });
    const seq = Array.from({ length: 8 }, () => b.next());
    assert.deepEqual(seq, [99, 199, 399, 799, 999, 999, 999, 999]);
    assert.equal(b.attempts, 8);
  });

  it('a random source of 0 gives a delay of 0: the jitter spans the whole interval', () => {
    const b = new Backoff({ baseMs: 100, capMs: 1000, random: () => 0 });
    assert.equal(b.next(), 0);
    assert.equal(b.next(), 0);
  });

  it('reset starts the sequence over', () => {
    const b = new Backoff({ baseMs: 250, capMs: 5000, random: () => 0.5 });
    b.next();
    b.next();
    b.next();
    b.reset();
    assert.equal(b.attempts, 0);
    assert.equal(b.next(), 125);
  });

  it('never exceeds the cap, even after very many retries', () => {
    const b = new Backoff({ baseMs: 1, capMs: 30_000, random: () => 0.999_999 });
    for (let i = 0; i < 2000; i++) assert.ok(b.next() < 30_000);
    assert.equal(b.ceiling(), 30_000);
  });

  it('every delay lies in [0, ceiling) for any base, cap and random source in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (baseMs, extra, draws) => {
          let i = 0;
          const b = new Backoff({ baseMs, capMs: baseMs + extra, random: () => draws[i++ % draws.length] });
          for (let n = 0; n < draws.length; n++) {
            const ceiling = b.ceiling();
            const d = b.next();
            if (!(d >= 0 && d < ceiling && ceiling <= baseMs + extra)) return false;
          }
          return true;
        },
      ),
    );
  });

  it('rejects a base of zero or a cap below the base', () => {
    assert.throws(() => new Backoff({ baseMs: 0, capMs: 100 }), RangeError);
    assert.throws(() => new Backoff({ baseMs: 200, capMs: 100 }), RangeError);
  });
});
