// The sync benchmark's chain as a pure function of (seed, height): the same parameters always
// give the same keys, transfers, blocks and hashes, built with the node's own signing code.
// Genesis sits in 2023 with 1 s slots, so every block is in the past and no node refuses one
// as "from the future"; the source node's key is not a validator, so it never adds blocks.
// With `consensus: 'bft'` the genesis names the BFT engine and every block is decided in
// round 0 and carries a commit certificate signed by every validator (bft-commit-block.ts).
import type { Block, Tx } from '../../wire/node-api.ts';
import { signBlock } from '../../node/chain/block.ts';
import type { Genesis } from '../../node/chain/genesis.ts';
import { deterministicKeyPair, type KeyPair } from '../../node/chain/keys.ts';
import { createTestnetGenesis, type TestnetConsensus } from '../../node/testnet/testnet-genesis.ts';
import { bftBlock } from './bft-commit-block.ts';

export interface SyncChainSpec {
  /** Blocks above genesis. */
  blocks: number;
  /** Signed transfers per block. */
  txsPerBlock: number;
  seed: string;
  /** The engine of the chain's genesis; absent is PoA (the chain the benchmark always had). */
  consensus?: TestnetConsensus;
}

// The same network shape and fixed genesis time as the indexer benchmark's chain.
export { ACCOUNTS, BLOCK_TIME_MS, GENESIS_TIME, VALIDATORS } from '../indexer/chain-spec.ts';
import { ACCOUNTS, BLOCK_TIME_MS, GENESIS_TIME, VALIDATORS, blockTxs as indexerBlockTxs } from '../indexer/chain-spec.ts';
export const CHAIN_ID = 'bench-sync';

export interface SyncNetwork {
  genesis: Genesis;
  validators: KeyPair[];
  accounts: KeyPair[];
  /** Key of the node that serves the chain: not a validator, so it only serves. */
  sourceKey: KeyPair;
}

export function syncNetwork(seed: string, consensus: TestnetConsensus = 'poa'): SyncNetwork {
  const { genesis, validatorKeys, accountKeys } = createTestnetGenesis({
    consensus,
    validators: VALIDATORS,
    blockTimeMs: BLOCK_TIME_MS,
    seed,
    chainId: CHAIN_ID,
    genesisTime: GENESIS_TIME,
    accounts: ACCOUNTS,
    balance: 1_000_000_000_000,
  });
  return { genesis, validators: validatorKeys, accounts: accountKeys, sourceKey: deterministicKeyPair(`${seed}/sync-source`) };
}

/** The transfers of block `height` (>= 1): the indexer benchmark's rule (every nonce in order). */
export function blockTxs(net: SyncNetwork, spec: SyncChainSpec, height: number): Tx[] {
  return indexerBlockTxs({ ...net, genesisSlot: Math.floor(net.genesis.genesisTime / BLOCK_TIME_MS) }, spec, height);
}

/** Block `height` on `parent`: one block per slot, signed by that slot's proposer (BFT: by round 0's, with its commit). */
export function nextBlock(net: SyncNetwork, spec: SyncChainSpec, parent: Block): Block {
  const height = parent.header.height + 1;
  if (net.genesis.consensus.engine === 'bft') {
    const timestamp = (Math.floor(net.genesis.genesisTime / BLOCK_TIME_MS) + height) * BLOCK_TIME_MS;
    return bftBlock(net, parent, timestamp, blockTxs(net, spec, height));
  }
  const slot = parent.header.slot + 1;
  const proposer = net.validators[slot % net.validators.length];
  return signBlock({ chainId: net.genesis.chainId, height, parentHash: parent.hash, timestamp: slot * BLOCK_TIME_MS, slot, proposer: '' }, blockTxs(net, spec, height), proposer);
}
