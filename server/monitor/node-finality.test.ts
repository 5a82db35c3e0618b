import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFinality } from './node-finality.ts';

describe('readFinality', () => {
  it('reads the engine and the finalized tip of a BFT node', () => {
    const h = { blockchain: { height: 9, finalized_height: 9, finalized_hash: 'ab12' }, consensus: { engine: 'bft', height: 10, round: 0 } };
    assert.deepEqual(readFinality(h), { engine: 'bft', finalized: { height: 9, hash: 'ab12' } });
  });

  it('reads PoA (finality null) and nodes from before BFT (no fields) as no finality', () => {
    assert.deepEqual(readFinality({ blockchain: { height: 3, finalized_height: null, finalized_hash: null }, consensus: { engine: 'poa' } }), { engine: 'poa', finalized: null });
    assert.deepEqual(readFinality({ blockchain: { height: 3 } }), { engine: null, finalized: null });
    assert.deepEqual(readFinality(null), { engine: null, finalized: null });
  });

  it('reads malformed values as unknown instead of throwing', () => {
    assert.deepEqual(readFinality({ blockchain: { finalized_height: '9', finalized_hash: 'ab' }, consensus: 'bft' }), { engine: null, finalized: null });
    assert.deepEqual(readFinality({ blockchain: { finalized_height: -1, finalized_hash: 'ab' } }).finalized, null);
    assert.deepEqual(readFinality({ blockchain: { finalized_height: 4, finalized_hash: '' } }).finalized, null);
  });
});
