// The genesis file (chain id, time, block time, validators, allocations, and the consensus
// engine with its parameters) and the genesis block derived from it. The genesis block's
// parentHash commits to the whole file, so two networks with different validators,
// allocations or engines never share a genesis hash.
// A file without `consensus` (written before engines were named) is PoA; PoA with no
// parameters is hashed without the field, so existing chains keep their genesis hash.
import fs from 'node:fs';
import { z } from 'zod';
import { PublicKey, type Block, type BlockHeader } from '../../wire/node-api.ts';
import { ZERO_HASH, ZERO_SIGNATURE, headerHash, txRoot } from './block.ts';
import { hashCanonical } from './encoding.ts';
import { ChainError } from './errors.ts';

/** PoA, the engine of every chain whose genesis names none. */
export const DEFAULT_ENGINE = 'poa';

/** `engine` names an engine of the factory; the other keys are its parameters, checked by it. */
export const ConsensusConfigSchema = z.looseObject({ engine: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/) });
export type ConsensusConfig = z.infer<typeof ConsensusConfigSchema>;

export const GenesisSchema = z.object({
  chainId: z.string().min(1).max(64),
  /** Unix ms; slots before it do not exist. */
  genesisTime: z.number().int().nonnegative(),
  blockTimeMs: z.number().int().min(50).max(3_600_000),
  validators: z.array(PublicKey).min(1).max(1000),
  allocations: z.array(z.object({ address: PublicKey, balance: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) })),
  consensus: ConsensusConfigSchema.default({ engine: DEFAULT_ENGINE }),
});
export type Genesis = z.infer<typeof GenesisSchema>;

export function genesisBlock(g: Genesis): Block {
  const slot = Math.floor(g.genesisTime / g.blockTimeMs);
  const header: BlockHeader = {
    chainId: g.chainId,
    height: 0,
    parentHash: hashCanonical(hashedForm(g)),
    timestamp: slot * g.blockTimeMs,
    slot,
    proposer: ZERO_HASH,
    txRoot: txRoot([]),
  };
  return { hash: headerHash(header), header, txs: [], signature: ZERO_SIGNATURE };
}

/** What the genesis hash commits to: the file, minus a `consensus` that says only "PoA". */
function hashedForm(g: Genesis): object {
  const { consensus, ...rest } = g;
  const isPlainPoa = consensus.engine === DEFAULT_ENGINE && Object.keys(consensus).length === 1;
  return isPlainPoa ? rest : g;
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
