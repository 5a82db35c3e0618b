// The benchmark chain, defined as a pure function of (seed, height): the same parameters
// always give the same keys, transactions, blocks and hashes. Shared by the main thread
// (which links and signs the blocks in order) and the workers (which sign the transactions).
import type { Tx } from '../../wire/node-api.ts';
import { signTx } from '../../node/chain/block.ts';
import type { Genesis } from '../../node/chain/genesis.ts';
import type { KeyPair } from '../../node/chain/keys.ts';
import { createTestnetGenesis } from '../../node/testnet/testnet-genesis.ts';

export interface ChainSpec {
  /** Blocks above genesis; each carries `txsPerBlock` transactions. */
  blocks: number;
  txsPerBlock: number;
  seed: string;
}

export const VALIDATORS = 4;
export const ACCOUNTS = 64;
export const BLOCK_TIME_MS = 1_000;
/** Fixed, so hashes do not depend on when the chain was generated (2023-11-14T22:13:20Z). */
export const GENESIS_TIME = 1_700_000_000_000;
export const CHAIN_ID = 'bench';

export interface BenchNetwork {
  genesis: Genesis;
  validators: KeyPair[];
  accounts: KeyPair[];
  genesisSlot: number;
}

export function benchNetwork(seed: string): BenchNetwork {
  const { genesis, validatorKeys, accountKeys } = createTestnetGenesis({
    validators: VALIDATORS,
    blockTimeMs: BLOCK_TIME_MS,
    seed,
    chainId: CHAIN_ID,
    genesisTime: GENESIS_TIME,
    accounts: ACCOUNTS,
    balance: 1_000_000_000_000,
  });
  return { genesis, validators: validatorKeys, accounts: accountKeys, genesisSlot: Math.floor(GENESIS_TIME / BLOCK_TIME_MS) };
}

/** Block at `height` (>= 1) sits in the slot right after its parent: one block per slot. */
export function slotOf(net: BenchNetwork, height: number): number {
  return net.genesisSlot + height;
}

/**
 * The transactions of block `height` (>= 1). Transaction k (counted over the whole chain) is
 * sent by account k mod 64 with nonce floor(k / 64), so every account's nonces run 0, 1, 2, …
 * in chain order and the chain passes the node's state rules; the receiver is never the sender.
 */
export function blockTxs(net: BenchNetwork, spec: ChainSpec, height: number): Tx[] {
  const txs: Tx[] = [];
  const blockTime = slotOf(net, height) * BLOCK_TIME_MS;
  const a = net.accounts.length;
  for (let j = 0; j < spec.txsPerBlock; j++) {
    const k = (height - 1) * spec.txsPerBlock + j;
    const fromIdx = k % a;
    const round = Math.floor(k / a);
    const toIdx = (fromIdx + 1 + (round % (a - 1))) % a;
    txs.push(
      signTx(
        { from: net.accounts[fromIdx].publicKey, to: net.accounts[toIdx].publicKey, amount: 1 + (k % 997), nonce: round, timestamp: blockTime - 1_000 + j },
        net.accounts[fromIdx],
      ),
    );
  }
  return txs;
}
