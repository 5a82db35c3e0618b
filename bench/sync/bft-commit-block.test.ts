import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Chain } from '../../node/chain/chain.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import { createEngine } from '../../node/consensus/engine-factory.ts';
import { nextBlock, syncNetwork } from './sync-chain-spec.ts';

test("the sync benchmark's BFT blocks carry a commit of every validator, and a node's Chain accepts them", () => {
  const net = syncNetwork('bft-commit-block-test', 'bft');
  assert.equal(net.genesis.consensus.engine, 'bft');
  const spec = { blocks: 3, txsPerBlock: 2, seed: 'bft-commit-block-test', consensus: 'bft' as const };
  const chain = new Chain(net.genesis, createEngine(net.genesis));
  let parent = genesisBlock(net.genesis);
  for (let h = 1; h <= spec.blocks; h++) {
    parent = nextBlock(net, spec, parent);
    assert.equal(parent.commit?.signatures.length, net.validators.length);
    assert.equal(chain.importBlock(parent, { nowMs: Date.now() }).status, 'accepted');
  }
  assert.equal(chain.headRef().height, spec.blocks);
});

test('a block whose commit lost its quorum is refused', () => {
  const net = syncNetwork('bft-commit-block-test', 'bft');
  const spec = { blocks: 1, txsPerBlock: 0, seed: 'bft-commit-block-test', consensus: 'bft' as const };
  const block = nextBlock(net, spec, genesisBlock(net.genesis));
  const short = { ...block, commit: { ...block.commit!, signatures: block.commit!.signatures.slice(0, 2) } };
  const chain = new Chain(net.genesis, createEngine(net.genesis));
  assert.throws(() => chain.importBlock(short, { nowMs: Date.now() }), /BLOCK_COMMIT_INVALID|COMMIT_SHORT/);
});
