// The BFT engine against the engine compliance suite: a turn is a height (round 0), a child
// block is proposed in round gap - 1 by that round's proposer and carries a commit signed by
// a quorum of the test validators, and every accepted block is final (finality 'head').
import type { Block } from '../../../wire/node-api.ts';
import { signBlock } from '../../chain/block.ts';
import type { KeyPair } from '../../chain/keys.ts';
import type { TestChain } from '../../testkit/chain-builder.ts';
import { engineCompliance } from '../compliance/engine-compliance.ts';
import { BftEngine } from './bft-engine.ts';
import { makeCommit } from './commit.ts';
import { signVote } from './signing.ts';

function child(t: TestChain, engine: BftEngine, parent: Block, opts: { gap?: number; signer?: KeyPair } = {}): Block {
  const gap = opts.gap ?? 1;
  const height = parent.header.height + 1;
  const round = gap - 1;
  const proposer = engine.proposer(height, round);
  const signer = opts.signer ?? t.validators.find((k) => k.publicKey === proposer)!;
  const header = {
    chainId: t.genesis.chainId,
    height,
    parentHash: parent.hash,
    timestamp: parent.header.timestamp + gap * t.genesis.blockTimeMs,
    slot: round,
    proposer: '',
  };
  const block = signBlock(header, [], signer);
  const precommits = t.validators
    .slice(0, engine.validators.quorum)
    .map((k) => signVote(t.genesis.chainId, { type: 'precommit', height, round, blockHash: block.hash, validator: k.publicKey }, k));
  return { ...block, commit: makeCommit(height, round, block.hash, precommits, engine.validators) };
}

engineCompliance<BftEngine>({
  name: 'bft',
  create: (genesis) => new BftEngine({ ...genesis, consensus: { engine: 'bft' } }),
  proposerAt: (engine, turn) => engine.proposer(turn, 0),
  child,
  maxFutureMs: (engine) => engine.maxFutureMs,
  finality: 'head',
  progressWithinMs: 10_000,
});
