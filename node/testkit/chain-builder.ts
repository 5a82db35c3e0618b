// Builds valid chains offline for tests: a small validator set from a seed, and blocks on any
// parent at any later slot, signed by the right proposer, with optional transfers.
import type { Block, Tx } from '../../wire/node-api.ts';
import { signBlock, signTx } from '../chain/block.ts';
import type { Genesis } from '../chain/genesis.ts';
import type { KeyPair } from '../chain/keys.ts';
import { createTestnetGenesis } from '../testnet/testnet-genesis.ts';

export interface TestChain {
  genesis: Genesis;
  validators: KeyPair[];
  accounts: KeyPair[];
  proposerKey(slot: number): KeyPair;
  /** A signed block on `parent` at `slot` (default: the next slot). */
  block(parent: Block, opts?: { slot?: number; txs?: Tx[] }): Block;
  /** `n` blocks in consecutive slots after `parent`. */
  extend(parent: Block, n: number, opts?: { slotGap?: number }): Block[];
  transfer(from: KeyPair, to: KeyPair, amount: number, nonce: number): Tx;
}

export function testChain(opts: { validators?: number; blockTimeMs?: number; genesisTime?: number; seed?: string; accounts?: number } = {}): TestChain {
  const blockTimeMs = opts.blockTimeMs ?? 1000;
  const { genesis, validatorKeys, accountKeys } = createTestnetGenesis({
    validators: opts.validators ?? 4,
    blockTimeMs,
    seed: opts.seed ?? 'test',
    genesisTime: opts.genesisTime ?? 1_700_000_000_000,
    accounts: opts.accounts ?? 4,
    balance: 1000,
  });
  const byPub = new Map(validatorKeys.map((k) => [k.publicKey, k]));
  const proposerKey = (slot: number) => byPub.get(genesis.validators[slot % genesis.validators.length])!;
  const block = (parent: Block, o: { slot?: number; txs?: Tx[] } = {}): Block => {
    const slot = o.slot ?? parent.header.slot + 1;
    return signBlock(
      { chainId: genesis.chainId, height: parent.header.height + 1, parentHash: parent.hash, timestamp: slot * blockTimeMs, slot, proposer: '' },
      o.txs ?? [],
      proposerKey(slot),
    );
  };
  return {
    genesis,
    validators: validatorKeys,
    accounts: accountKeys,
    proposerKey,
    block,
    extend(parent, n, o = {}) {
      const out: Block[] = [];
      let p = parent;
      for (let i = 0; i < n; i++) {
        p = block(p, { slot: p.header.slot + (o.slotGap ?? 1) });
        out.push(p);
      }
      return out;
    },
    transfer: (from, to, amount, nonce) => signTx({ from: from.publicKey, to: to.publicKey, amount, nonce, timestamp: 1 }, from),
  };
}
