// Genesis and keys of a local testnet, derived deterministically from a seed: validator keys,
// funded load-generator accounts, and genesis.json. The same seed always gives the same
// network, so a testnet directory can be recreated or resumed without surprises.
import { deterministicKeyPair, type KeyPair } from '../chain/keys.ts';
import { parseGenesis, type Genesis } from '../chain/genesis.ts';

export interface TestnetGenesisOptions {
  validators: number;
  blockTimeMs: number;
  seed?: string;
  chainId?: string;
  /** Unix ms; defaults to now, rounded down to a slot boundary. */
  genesisTime?: number;
  /** Funded accounts for the load generators. */
  accounts?: number;
  balance?: number;
  /** The consensus engine (default PoA, whose genesis is written without a `consensus` choice of its own). */
  consensus?: TestnetConsensus;
}

export const TESTNET_CONSENSUS = ['poa', 'bft'] as const;
export type TestnetConsensus = (typeof TESTNET_CONSENSUS)[number];

export interface TestnetGenesis {
  genesis: Genesis;
  validatorKeys: KeyPair[];
  accountKeys: KeyPair[];
}

export const DEFAULT_FUNDED_ACCOUNTS = 64;

export function validatorKey(seed: string, index: number): KeyPair {
  return deterministicKeyPair(`${seed}/validator/${index}`);
}

export function accountKey(seed: string, index: number): KeyPair {
  return deterministicKeyPair(`${seed}/account/${index}`);
}

export function createTestnetGenesis(opts: TestnetGenesisOptions): TestnetGenesis {
  const seed = opts.seed ?? 'local-testnet';
  const validatorKeys = Array.from({ length: opts.validators }, (_, i) => validatorKey(seed, i));
  const accountKeys = Array.from({ length: opts.accounts ?? DEFAULT_FUNDED_ACCOUNTS }, (_, i) => accountKey(seed, i));
  const now = opts.genesisTime ?? Date.now();
  const genesis = parseGenesis({
    chainId: opts.chainId ?? 'local-testnet',
    genesisTime: Math.floor(now / opts.blockTimeMs) * opts.blockTimeMs,
    blockTimeMs: opts.blockTimeMs,
    validators: validatorKeys.map((k) => k.publicKey),
    allocations: accountKeys.map((k) => ({ address: k.publicKey, balance: opts.balance ?? 1_000_000_000_000 })),
    // PoA stays the schema's default, so a PoA testnet's genesis is the same as before engines were named.
    ...(opts.consensus && opts.consensus !== 'poa' ? { consensus: { engine: opts.consensus } } : {}),
  });
  return { genesis, validatorKeys, accountKeys };
}

/** The funded accounts node `index` (0-based) signs with: two of its own, so nonces never race. */
export function loadAccountsFor(index: number, accountKeys: KeyPair[]): KeyPair[] {
  const n = accountKeys.length;
  return [accountKeys[(2 * index) % n], accountKeys[(2 * index + 1) % n]];
}
