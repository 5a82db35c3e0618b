import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BftCoreError } from './core-errors.ts';
import { defaultTimeouts, parseTimeoutConfig, timeoutMs } from './timeouts.ts';

describe('BFT timeouts', () => {
  it('defaults for a 1 s block: propose 1 s, prevote/precommit 0.5 s, +0.25 s a round, commitWait 1 s', () => {
    assert.deepEqual(defaultTimeouts(1000), {
      proposeMs: 1000,
      proposeDeltaMs: 250,
      prevoteMs: 500,
      prevoteDeltaMs: 250,
      precommitMs: 500,
      precommitDeltaMs: 250,
      commitWaitMs: 1000,
    });
  });

  it('timeoutX(r) = initX + r·deltaX; the commit wait does not grow', () => {
    const t = defaultTimeouts(1000);
    assert.deepEqual(
      [0, 1, 4].map((r) => timeoutMs(t, 'propose', r)),
      [1000, 1250, 2000],
    );
    assert.equal(timeoutMs(t, 'prevote', 2), 1000);
    assert.equal(timeoutMs(t, 'precommit', 3), 1250);
    assert.equal(timeoutMs(t, 'commit', 9), 1000);
  });

  it('a config from genesis is validated: negative, fractional, zero init or unknown keys are refused', () => {
    const good = defaultTimeouts(2000);
    assert.deepEqual(parseTimeoutConfig(good), good);
    for (const bad of [{ ...good, prevoteDeltaMs: -1 }, { ...good, proposeMs: 0 }, { ...good, precommitMs: 1.5 }, { ...good, extra: 1 }, { proposeMs: 1000 }]) {
      assert.throws(
        () => parseTimeoutConfig(bad),
        (e: unknown) => e instanceof BftCoreError && e.code === 'TIMEOUT_CONFIG_INVALID',
      );
    }
  });
});
