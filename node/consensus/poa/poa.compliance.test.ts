// Round-robin PoA against the engine compliance suite: turns are slots, a child block is the
// test chain's block at a later slot, and there is no finality.
import { signBlock } from '../../chain/block.ts';
import { engineCompliance } from '../compliance/engine-compliance.ts';
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
