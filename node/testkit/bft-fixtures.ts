// Test fixtures for the BFT modules: a validator set of deterministic keys and signed votes,
// proposals and commits made with them. Tests only; the keys are public knowledge.
import type { Proposal, Vote, VoteType } from '../../wire/bft.ts';
import { deterministicKeyPair, type KeyPair } from '../chain/keys.ts';
import { makeCommit } from '../consensus/bft/commit.ts';
import { signProposal, signVote } from '../consensus/bft/signing.ts';
import { ValidatorSet } from '../consensus/bft/validator-set.ts';

export const TEST_CHAIN_ID = 'bft-test';

export interface TestValidators {
  keys: KeyPair[];
  set: ValidatorSet;
  /** A key that is not in the set. */
  outsider: KeyPair;
}

export function testValidators(n: number, label = 'bft-validator'): TestValidators {
  const keys = Array.from({ length: n }, (_, i) => deterministicKeyPair(`${label}-${i}`));
  return { keys, set: new ValidatorSet(keys.map((k) => k.publicKey)), outsider: deterministicKeyPair(`${label}-outsider`) };
}

/** A block hash made from a label: distinct labels, distinct hashes. */
export function testHash(label: string | number): string {
  return Buffer.from(String(label)).toString('hex').padEnd(64, '0').slice(0, 64);
}

export function vote(key: KeyPair, type: VoteType, height: number, round: number, blockHash: string | null, chainId = TEST_CHAIN_ID): Vote {
  return signVote(chainId, { type, height, round, blockHash, validator: key.publicKey }, key);
}

export function proposal(key: KeyPair, height: number, round: number, blockHash: string, validRound = -1, chainId = TEST_CHAIN_ID): Proposal {
  return signProposal(chainId, { height, round, blockHash, validRound, proposer: key.publicKey }, key);
}

/** A valid commit of `blockHash` signed by the first `signers` validators (all by default). */
export function signedCommit(v: TestValidators, height: number, round: number, blockHash: string, signers = v.keys.length, chainId = TEST_CHAIN_ID) {
  const precommits = v.keys.slice(0, signers).map((k) => vote(k, 'precommit', height, round, blockHash, chainId));
  return makeCommit(height, round, blockHash, precommits, v.set);
}
