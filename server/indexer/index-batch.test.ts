import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamEventOf } from '../../wire/node-api.ts';
import { roundSighting } from './index-batch.ts';

const P = 'ab'.repeat(32);
const ev = (o: Pick<StreamEventOf<'round'>, 'round' | 'step' | 'reason'>): StreamEventOf<'round'> => ({ seq: 1, at: 10, type: 'round', height: 4, proposer: P, ...o });

describe('roundSighting (which round a /stream round event tells about)', () => {
  it('a new round or height: the round and its proposer', () => {
    assert.deepEqual(roundSighting(ev({ round: 0, step: 'propose', reason: 'new_height' })), { height: 4, round: 0, proposer: P, at: 10, timeout: null, skippedTo: false });
  });

  it('timeouts belong to the step they ended: propose and prevote in this round, precommit in the round before', () => {
    assert.deepEqual(roundSighting(ev({ round: 1, step: 'prevote', reason: 'timeout' }))?.timeout, { round: 1, step: 'propose' });
    assert.deepEqual(roundSighting(ev({ round: 1, step: 'precommit', reason: 'timeout' }))?.timeout, { round: 1, step: 'prevote' });
    assert.deepEqual(roundSighting(ev({ round: 2, step: 'propose', reason: 'timeout' }))?.timeout, { round: 1, step: 'precommit' });
  });

  it('a round skip marks the round entered; steps moved by votes or a proposal add nothing', () => {
    assert.equal(roundSighting(ev({ round: 3, step: 'propose', reason: 'round_skip' }))?.skippedTo, true);
    assert.equal(roundSighting(ev({ round: 0, step: 'prevote', reason: 'proposal' })), null);
    assert.equal(roundSighting(ev({ round: 0, step: 'precommit', reason: 'polka' })), null);
    assert.equal(roundSighting(ev({ round: 0, step: 'commit', reason: 'commit' })), null);
  });
});
