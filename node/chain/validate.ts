// Checks of a block that need nothing but the block itself: chain id, hashes, tx root,
// duplicate txs and every signature. Parent, consensus and state checks live in chain.ts.
import type { Block, Tx } from '../../wire/node-api.ts';
import { headerHash, txHash, txRoot, verifyBlockSignature, verifyTxSignature } from './block.ts';
import { ChainError } from './errors.ts';

export const MAX_TXS_PER_BLOCK = 5000;

export function checkTxIntrinsic(tx: Tx, opts: { verifySignature: boolean }): void {
  if (txHash(tx) !== tx.hash) throw new ChainError('TX_HASH_MISMATCH', 'tx hash does not match its body', { tx: tx.hash });
  if (opts.verifySignature && !verifyTxSignature(tx)) {
    throw new ChainError('TX_SIGNATURE_INVALID', 'tx signature does not verify', { tx: tx.hash });
  }
}

export function checkBlockIntrinsic(block: Block, chainId: string, opts: { verifySignatures: boolean }): void {
  const ctx = { height: block.header.height, hash: block.hash };
  if (block.header.chainId !== chainId) {
    throw new ChainError('BLOCK_CHAIN_ID_WRONG', `chain id ${block.header.chainId}, expected ${chainId}`, ctx);
  }
  if (headerHash(block.header) !== block.hash) throw new ChainError('BLOCK_HASH_MISMATCH', 'block hash does not match its header', ctx);
  if (block.txs.length > MAX_TXS_PER_BLOCK) {
    throw new ChainError('BLOCK_TOO_MANY_TXS', `${block.txs.length} txs > ${MAX_TXS_PER_BLOCK}`, ctx);
  }
  if (txRoot(block.txs) !== block.header.txRoot) throw new ChainError('BLOCK_TXROOT_MISMATCH', 'txRoot does not match the txs', ctx);
  if (opts.verifySignatures && !verifyBlockSignature(block)) {
    throw new ChainError('BLOCK_SIGNATURE_INVALID', 'proposer signature does not verify', ctx);
  }
  const seen = new Set<string>();
  for (const tx of block.txs) {
    if (seen.has(tx.hash)) throw new ChainError('BLOCK_DUPLICATE_TX', 'tx appears twice', { ...ctx, tx: tx.hash });
    seen.add(tx.hash);
    try {
      checkTxIntrinsic(tx, { verifySignature: opts.verifySignatures });
    } catch (err) {
      if (err instanceof ChainError) Object.assign(err.context, ctx);
      throw err;
    }
  }
}
