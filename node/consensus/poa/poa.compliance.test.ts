// Round-robin PoA against the engine compliance suite: turns are slots, a child block is the
// test chain's block at a later slot, and there is no finality.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signBlock } from '../../chain/block.ts';
import { testChain } from '../../testkit/chain-builder.ts';
import { engineCompliance, fakeEngineContext } from '../compliance/engine-compliance.ts';
import { RoundRobinPoa } from './round-robin-poa.ts';

engineCompliance<RoundRobinPoa>({
  name: 'poa',
  create: (genesis) => new RoundRobinPoa(genesis),
  proposerAt: (engine, slot) => engine.proposerFor(slot),
  child: (t, engine, parent, opts = {}) => {
    const slot = parent.header.slot + (opts.gap ?? 1);
    const header = { chainId: t.genesis.chainId, height: parent.header.height + 1, parentHash: parent.hash, timestamp: engine.slotStartMs(slot), slot, proposer: '' };
    return signBlock(header, [], opts.signer ?? t.proposerKey(slot));
  },
  maxFutureMs: (engine) => engine.maxFutureMs,
  finality: 'none',
  progressWithinMs: 10_000,
});

describe('poa status for the node API', () => {
  it('height is head + 1, round 0, no step or locks, the proposer of the current slot; no round state, no events', () => {
    const t = testChain({ validators: 3, seed: 'poa-status' });
    const engine = new RoundRobinPoa(t.genesis);
    const f = fakeEngineContext(engine, t, t.validators[0], t.genesis.genesisTime + 1);
    engine.start(f.ctx);
    // Only validators[0] runs here: it makes a block in each of its own slots.
    for (let i = 0; i < 20 && f.chain.headRef().height < 2 && f.timers.runNext(); i++);
    const head = f.chain.headRef().height;
    assert.ok(head >= 2, `head at ${head}`);
    assert.deepEqual(engine.status(), {
      engine: 'poa',
      height: head + 1,
      round: 0,
      step: null,
      proposer: engine.proposerFor(engine.slotAt(f.clock.now())),
      lockedRound: -1,
      validRound: -1,
    });
    assert.equal(engine.roundState(), null);
    engine.stop();
    f.cleanup();
    assert.deepEqual(f.events, []);
    assert.equal(engine.status().height, 0, 'stopped: back to the not-started status');
  });
});

describe('poa block production and the start-up gate', () => {
  it('makes no block in its own slots while the node may not propose yet, then makes them', () => {
    const t = testChain({ validators: 3, seed: 'poa-gate' });
    const engine = new RoundRobinPoa(t.genesis);
    const f = fakeEngineContext(engine, t, t.validators[0], t.genesis.genesisTime + 1);
    let mayPropose = false;
    f.ctx.mayPropose = () => mayPropose;
    engine.start(f.ctx);
    // Twelve slots hold four of validators[0]'s own.
    for (let i = 0; i < 12 && f.timers.runNext(); i++);
    assert.equal(f.submitted.length, 0, 'proposed before the gate opened');
    mayPropose = true;
    for (let i = 0; i < 12 && f.timers.runNext(); i++);
    assert.ok(f.submitted.length >= 2, `${f.submitted.length} blocks once open`);
    engine.stop();
    f.cleanup();
  });
});
