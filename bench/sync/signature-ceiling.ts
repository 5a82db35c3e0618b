// A second baseline: how fast this machine checks the chain's Ed25519 signatures one after
// another on one core (the node's own verifyBytes), turned into the blocks/s that signature
// checking alone would allow. Sync on one core cannot beat it; sync that does beat it is
// spreading the checks over more cores.
import type { Block } from '../../wire/node-api.ts';
import { verifyBytes } from '../../node/chain/keys.ts';
import { voteSignBytes } from '../../node/consensus/bft/signing.ts';

export interface SignatureCeiling {
  signatures: number;
  perSec: number;
  /** Signatures per block in this chain (proposer + one per transfer + a BFT block's precommits). */
  perBlock: number;
  blocksPerSec: number;
}

export function measureSignatureCeiling(blocks: Block[], chainId: string, maxSignatures = 2_000): SignatureCeiling {
  const checks: Array<[Uint8Array, string, string]> = [];
  for (const b of blocks) {
    if (checks.length >= maxSignatures) break;
    checks.push([Buffer.from(b.hash, 'hex'), b.signature, b.header.proposer]);
    for (const tx of b.txs) checks.push([Buffer.from(tx.hash, 'hex'), tx.signature, tx.from]);
    if (b.commit) {
      const bytes = voteSignBytes(chainId, { type: 'precommit', height: b.commit.height, round: b.commit.round, blockHash: b.commit.blockHash });
      for (const s of b.commit.signatures) checks.push([bytes, s.signature, s.validator]);
    }
  }
  const t0 = performance.now();
  for (const [msg, sig, pub] of checks) if (!verifyBytes(msg, sig, pub)) throw new Error('a generated signature did not verify');
  const perSec = checks.length / ((performance.now() - t0) / 1000);
  const sample = blocks.slice(0, 100);
  const perBlock = sample.reduce((n, b) => n + 1 + b.txs.length + (b.commit?.signatures.length ?? 0), 0) / Math.max(1, sample.length);
  return { signatures: checks.length, perSec, perBlock, blocksPerSec: perSec / perBlock };
}
