// One fault-injecting run at a time: the slot refuses a second claim with a message naming what
// runs, frees on release, and a late release of an earlier holder never frees a newer one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunSlot, type RunHolder } from './run-slot.ts';

const holder = (what: string, runId: number | null = null): RunHolder => ({ what, runId, cancel: async () => undefined });

describe('run slot', () => {
  it('refuses a second claim while held, with RUN_IN_PROGRESS naming the holder and its run', () => {
    const slot = new RunSlot();
    assert.equal(slot.busyError(), null);
    const first = holder('experiment "a"', 3);
    const release = slot.claim(first);
    assert.ok(release);
    assert.equal(slot.claim(holder('scenario "b"')), null);
    assert.equal(slot.holder(), first);
    const busy = slot.busyError();
    assert.equal(busy?.code, 'RUN_IN_PROGRESS');
    assert.match(busy!.message, /experiment "a" is running \(run 3\)/);
    release();
    assert.equal(slot.holder(), null);
    assert.ok(slot.claim(holder('scenario "b"')));
  });

  it('a release called twice, or after another run claimed the slot, does not free the newer run', () => {
    const slot = new RunSlot();
    const releaseFirst = slot.claim(holder('first'))!;
    releaseFirst();
    const second = holder('second');
    assert.ok(slot.claim(second));
    releaseFirst();
    assert.equal(slot.holder(), second);
  });
});
