import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testChain } from '../testkit/chain-builder.ts';
import { ChainError } from './errors.ts';
import { Mempool } from './mempool.ts';
import { AccountState } from './state.ts';

describe('mempool', () => {
  const t = testChain();
  const [a, b] = t.accounts;

  it('queues nonces ahead, selects them in order, and tells the next nonce', () => {
    const state = AccountState.fromGenesis(t.genesis);
    const pool = new Mempool();
    pool.add(t.transfer(a, b, 1, 1), state); // gap: waits for nonce 0
    assert.deepEqual(pool.select(state, 10), []);
    assert.equal(pool.nextNonce(a.publicKey, state), 0);
    pool.add(t.transfer(a, b, 1, 0), state);
    assert.equal(pool.nextNonce(a.publicKey, state), 2);
    assert.deepEqual(
      pool.select(state, 10).map((x) => x.nonce),
      [0, 1],
    );
  });

  it('refuses stale nonces, duplicates and forged txs', () => {
    const state = AccountState.fromGenesis(t.genesis);
    state.put(a.publicKey, { balance: 1000, nonce: 3 });
    const pool = new Mempool();
    const codeOf = (f: () => void) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as ChainError).code;
      }
    };
    assert.equal(
      codeOf(() => pool.add(t.transfer(a, b, 1, 2), state)),
      'TX_NONCE_INVALID',
    );
    const ok = t.transfer(a, b, 1, 3);
    pool.add(ok, state);
    assert.equal(
      codeOf(() => pool.add(ok, state)),
      'TX_KNOWN',
    );
    assert.equal(
      codeOf(() => pool.add({ ...t.transfer(a, b, 2, 4), signature: ok.signature }, state)),
      'TX_SIGNATURE_INVALID',
    );
  });

  it('drops included txs and re-admits orphaned ones after a head change', () => {
    const state = AccountState.fromGenesis(t.genesis);
    const pool = new Mempool();
    const tx0 = t.transfer(a, b, 1, 0);
    pool.add(tx0, state);
    state.put(a.publicKey, { balance: 999, nonce: 1 }); // tx0 got included
    pool.onHeadChanged(state, []);
    assert.equal(pool.size, 0);
    state.put(a.publicKey, { balance: 1000, nonce: 0 }); // …and reorged out again
    pool.onHeadChanged(state, [tx0]);
    assert.ok(pool.has(tx0.hash));
  });
});
