// A block of the sync benchmark's BFT chain: built and signed by the proposer of (height,
// round 0), as the engine builds it (slot = round), with the commit certificate every validator
// would have made: all of them precommit it in round 0 (the node's own signing and commit code).
import type { Block, Tx } from '../../wire/node-api.ts';
import { signBlock } from '../../node/chain/block.ts';
import type { KeyPair } from '../../node/chain/keys.ts';
import { makeCommit } from '../../node/consensus/bft/commit.ts';
import { signVote } from '../../node/consensus/bft/signing.ts';
import { ValidatorSet } from '../../node/consensus/bft/validator-set.ts';
import type { Genesis } from '../../node/chain/genesis.ts';

const sets = new WeakMap<Genesis, ValidatorSet>();

export function bftBlock(net: { genesis: Genesis; validators: KeyPair[] }, parent: Block, timestamp: number, txs: Tx[]): Block {
  let set = sets.get(net.genesis);
  if (!set) sets.set(net.genesis, (set = new ValidatorSet(net.genesis.validators)));
  const chainId = net.genesis.chainId;
  const height = parent.header.height + 1;
  const proposer = set.proposer(height, 0);
  const key = net.validators.find((k) => k.publicKey === proposer);
  if (!key) throw new Error(`no key for the proposer of height ${height}, ${proposer.slice(0, 16)}`);
  const block = signBlock({ chainId, height, parentHash: parent.hash, timestamp, slot: 0, proposer: '' }, txs, key);
  const precommits = net.validators.map((k) => signVote(chainId, { type: 'precommit', height, round: 0, blockHash: block.hash, validator: k.publicKey }, k));
  return { ...block, commit: makeCommit(height, 0, block.hash, precommits, set) };
}
