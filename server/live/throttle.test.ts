import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeTimers } from '../testing/fake-timers.ts';
import { LeadingThrottle } from './throttle.ts';

function setup(intervalMs = 50) {
  const timers = new FakeTimers();
  const pending: number[] = [];
  const flushes: { at: number; items: number[] }[] = [];
  const throttle = new LeadingThrottle(intervalMs, () => flushes.push({ at: timers.now(), items: pending.splice(0) }), { timers });
  throttle.start();
  const push = (item: number) => {
    pending.push(item);
    throttle.schedule();
  };
  return { timers, throttle, flushes, push, pending };
}

test('the first change after a quiet spell is flushed at once (leading edge), not after a tick', () => {
  const { timers, flushes, push } = setup(50);
  timers.advance(1_000);
  push(1);
  timers.advance(1);
  assert.deepEqual(flushes, [{ at: 1_001, items: [1] }]);
});

test('changes arriving together are sent together', () => {
  const { timers, flushes, push } = setup(50);
  push(1);
  push(2);
  push(3);
  timers.advance(1);
  assert.deepEqual(
    flushes.map((f) => f.items),
    [[1, 2, 3]],
  );
});

test('a burst never flushes more than once per interval, and every item is flushed exactly once', () => {
  const { timers, flushes, push, pending } = setup(50);
  // 2,000 items, one every 3 ms (a burst far faster than the interval).
  for (let i = 0; i < 2_000; i++) {
    push(i);
    timers.advance(3);
  }
  timers.advance(100);
  assert.equal(pending.length, 0);
  const sent = flushes.flatMap((f) => f.items);
  assert.deepEqual(
    sent,
    Array.from({ length: 2_000 }, (_, i) => i),
    'every item once, in order',
  );
  for (let i = 1; i < flushes.length; i++) {
    assert.ok(flushes[i].at - flushes[i - 1].at >= 50, `flushes ${i - 1} and ${i} are ${flushes[i].at - flushes[i - 1].at} ms apart`);
  }
  // 6 s of burst at one flush per 50 ms: about 120 flushes, not 2,000.
  assert.ok(flushes.length <= 6_000 / 50 + 2, `${flushes.length} flushes`);
});

test('a change during an interval waits only for the rest of that interval', () => {
  const { timers, flushes, push } = setup(50);
  push(1);
  timers.advance(1); // flushed at 1
  timers.advance(19); // t = 20
  push(2);
  timers.advance(100);
  assert.deepEqual(flushes, [
    { at: 1, items: [1] },
    { at: 51, items: [2] },
  ]);
});

test('nothing is flushed before start or after stop', () => {
  const timers = new FakeTimers();
  let flushes = 0;
  const throttle = new LeadingThrottle(50, () => flushes++, { timers });
  throttle.schedule();
  timers.advance(100);
  assert.equal(flushes, 0);
  throttle.start();
  throttle.schedule();
  throttle.stop();
  timers.advance(100);
  assert.equal(flushes, 0);
  assert.equal(throttle.pending, false);
});

test("leading edge 'microtask': flushed when the current synchronous run ends, before any timer", async () => {
  const timers = new FakeTimers();
  const flushed: number[][] = [];
  const pending: number[] = [];
  const throttle = new LeadingThrottle(50, () => flushed.push(pending.splice(0)), { timers, leadingEdge: 'microtask' });
  throttle.start();
  pending.push(1);
  throttle.schedule();
  pending.push(2);
  throttle.schedule();
  assert.deepEqual(flushed, [], 'not inside the pushing code');
  await Promise.resolve();
  assert.deepEqual(flushed, [[1, 2]], 'both pushes of the same run in one flush, no timer needed');
  // Within the interval the next change waits for the interval's end, as with the timer edge.
  timers.advance(10);
  pending.push(3);
  throttle.schedule();
  await Promise.resolve();
  assert.deepEqual(flushed, [[1, 2]]);
  timers.advance(40);
  assert.deepEqual(flushed, [[1, 2], [3]]);
});
