// When tx gossip may go out without competing with a block: RoundRobinPoa.quietAt.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testChain } from '../../testkit/chain-builder.ts';
import { RoundRobinPoa } from './round-robin-poa.ts';

describe('PoA quiet window (quietAt)', () => {
  const engine = new RoundRobinPoa(testChain({ blockTimeMs: 500 }).genesis);
  const slot = 1000 * 500; // the start of some slot

  it('holds traffic from just before a slot starts until its block is most of the way through the mesh', () => {
    assert.equal(engine.quietAt(slot - 5), slot + 40, 'the block may come early by another clock');
    assert.equal(engine.quietAt(slot), slot + 40);
    assert.equal(engine.quietAt(slot + 39), slot + 40);
  });

  it('lets traffic go at once in the rest of the slot', () => {
    for (const t of [slot + 40, slot + 200, slot + 494]) assert.equal(engine.quietAt(t), t);
  });

  it('never holds anything longer than a fifth of a short slot', () => {
    const fast = new RoundRobinPoa(testChain({ blockTimeMs: 100 }).genesis);
    for (let t = 100_000; t < 100_200; t++) assert.ok(fast.quietAt(t) - t <= 25, `held ${fast.quietAt(t) - t} ms at ${t}`);
  });
});
