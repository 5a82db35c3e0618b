// What one Ed25519 check and one signature cost on this machine (the node's own signBytes and
// verifyBytes, one core), and how many checks a validator makes per height in round 0, so the
// benchmark can say how much of the nodes' CPU per height is signatures.
import { deterministicKeyPair, signBytes, verifyBytes } from '../../node/chain/keys.ts';
import { quorumOf } from '../../node/consensus/bft/validator-set.ts';

export interface SignatureCost {
  verifyUs: number;
  signUs: number;
}

export function measureSignatureCost(rounds = 2_000): SignatureCost {
  const key = deterministicKeyPair('bench-consensus-signature-cost');
  const message = new Uint8Array(64).fill(7);
  const signature = signBytes(message, key);
  for (let i = 0; i < 200; i++) verifyBytes(message, signature, key.publicKey); // warm the key cache and JIT
  let t = performance.now();
  for (let i = 0; i < rounds; i++) if (!verifyBytes(message, signature, key.publicKey)) throw new Error('a fresh signature did not verify');
  const verifyUs = ((performance.now() - t) * 1000) / rounds;
  t = performance.now();
  for (let i = 0; i < rounds / 4; i++) signBytes(message, key);
  const signUs = ((performance.now() - t) * 1000) / (rounds / 4);
  return { verifyUs, signUs };
}

/**
 * Ed25519 checks one validator makes per round-0 height of an n-validator network: every other
 * validator's prevote and precommit, each under its P2P envelope (2 × 2 × (n − 1)); the
 * proposal and its envelope (2); the block signature, when the proposal is judged valid and
 * again when the decided block is imported (2); the commit certificate on import (a quorum).
 * Transactions are left out (checked once, when they enter the mempool).
 */
export function verifiesPerHeight(n: number): number {
  return 4 * (n - 1) + 2 + 2 + quorumOf(n);
}
