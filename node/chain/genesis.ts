// The genesis file (chain id, time, block time, validators, allocations) and the genesis
// block derived from it. The genesis block's parentHash commits to the whole file, so two
// networks with different validators or allocations never share a genesis hash.
import fs from 'node:fs';
import { z } from 'zod';
import { PublicKey, type Block, type BlockHeader } from '../../wire/node-api.ts';
import { ZERO_HASH, ZERO_SIGNATURE, headerHash, txRoot } from './block.ts';
import { hashCanonical } from './encoding.ts';
import { ChainError } from './errors.ts';

export const GenesisSchema = z.object({
  chainId: z.string().min(1).max(64),
  /** Unix ms; slots before it do not exist. */
  genesisTime: z.number().int().nonnegative(),
  blockTimeMs: z.number().int().min(50).max(3_600_000),
  validators: z.array(PublicKey).min(1).max(1000),
  allocations: z.array(z.object({ address: PublicKey, balance: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })),
});
export type Genesis = z.infer<typeof GenesisSchema>;

export function genesisBlock(g: Genesis): Block {
  const slot = Math.floor(g.genesisTime / g.blockTimeMs);
  const header: BlockHeader = {
    chainId: g.chainId,
    height: 0,
    parentHash: hashCanonical(g),
    timestamp: slot * g.blockTimeMs,
    slot,
    proposer: ZERO_HASH,
    txRoot: txRoot([]),
  };
  return { hash: headerHash(header), header, txs: [], signature: ZERO_SIGNATURE };
}

export function parseGenesis(raw: unknown, source = 'genesis'): Genesis {
  const r = GenesisSchema.safeParse(raw);
  if (!r.success) throw new ChainError('GENESIS_INVALID', `${source}: ${z.prettifyError(r.error)}`);
  if (new Set(r.data.validators).size !== r.data.validators.length) {
    throw new ChainError('GENESIS_INVALID', `${source}: duplicate validator`);
  }
  return r.data;
}

export function loadGenesisFile(file: string): Genesis {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ChainError('GENESIS_INVALID', `cannot read genesis file ${file}: ${(err as Error).message}`);
  }
  return parseGenesis(raw, file);
}
