import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Throttle } from './useThrottled.ts';

/** A hand-driven clock: advance() runs the timers that fall due. */
function fakeClock() {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      timers.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (handle: unknown) => void timers.delete(handle as number),
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) {
        if (t.at <= now) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

test('the first call runs at once; a burst within the interval runs once more at its end, never lost', () => {
  const clock = fakeClock();
  let runs = 0;
  const t = new Throttle(() => runs++, 1_000, clock);
  t.call();
  assert.equal(runs, 1, 'leading edge');
  for (let i = 0; i < 10; i++) {
    clock.advance(50);
    t.call();
  }
  assert.equal(runs, 1, 'calls within the interval wait');
  clock.advance(500);
  assert.equal(runs, 2, 'one trailing run for the whole burst');
  clock.advance(5_000);
  assert.equal(runs, 2, 'nothing more without calls');
  t.call();
  assert.equal(runs, 3, 'idle again: runs at once');
});

test('cancel drops a pending trailing run (the component went away)', () => {
  const clock = fakeClock();
  let runs = 0;
  const t = new Throttle(() => runs++, 1_000, clock);
  t.call();
  t.call();
  t.cancel();
  clock.advance(2_000);
  assert.equal(runs, 1);
});

test('a throttle made just after a read waits out the interval before its first run', () => {
  const clock = fakeClock();
  let runs = 0;
  const t = new Throttle(() => runs++, 1_000, clock, clock.now());
  t.call();
  assert.equal(runs, 0, 'not straight after the read');
  clock.advance(1_000);
  assert.equal(runs, 1, 'the push is answered once the interval is over');
});
