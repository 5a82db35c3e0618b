// Block and transaction identity: what is hashed (the canonical encoding of the header, or of
// the tx body without hash and signature), what is signed (that hash), and the tx Merkle root.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { Block, BlockHeader, Tx } from '../../wire/node-api.ts';
import { canonicalBytes, hashCanonical } from './encoding.ts';
import { signBytes, verifyBytes, type KeyPair } from './keys.ts';

export type { Block, BlockHeader, Tx };
export type TxBody = Omit<Tx, 'hash' | 'signature'>;

export const ZERO_HASH = '0'.repeat(64);
export const ZERO_SIGNATURE = '0'.repeat(128);

export function headerHash(header: BlockHeader): string {
  return hashCanonical(header);
}

export function txBody(tx: TxBody): TxBody {
  return { from: tx.from, to: tx.to, amount: tx.amount, nonce: tx.nonce, timestamp: tx.timestamp };
}

export function txHash(tx: TxBody): string {
  return hashCanonical(txBody(tx));
}

/** Binary Merkle tree over tx hashes; an odd node is paired with itself. */
export function txRoot(txs: readonly { hash: string }[]): string {
  if (txs.length === 0) return bytesToHex(sha256(new Uint8Array(0)));
  let level: Uint8Array[] = txs.map((t) => hexToBytes(t.hash));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = level[i + 1] ?? left;
      const buf = new Uint8Array(64);
      buf.set(left, 0);
      buf.set(right, 32);
      next.push(sha256(buf));
    }
    level = next;
  }
  return bytesToHex(level[0]);
}

export function signTx(body: TxBody, kp: KeyPair): Tx {
  const b = txBody({ ...body, from: kp.publicKey });
  const hash = txHash(b);
  return { hash, ...b, signature: signBytes(hexToBytes(hash), kp) };
}

/** Tx signatures already checked (mempool first, then again in every block that carries the tx). */
const verifiedTxs = new Set<string>();
const VERIFIED_TXS_MAX = 100_000;

/** Pure in (hash, signature, from), so a success can be remembered. */
export function verifyTxSignature(tx: Tx): boolean {
  const key = tx.hash + tx.signature + tx.from;
  if (verifiedTxs.has(key)) return true;
  const ok = verifyBytes(hexToBytes(tx.hash), tx.signature, tx.from);
  if (ok) {
    if (verifiedTxs.size >= VERIFIED_TXS_MAX) verifiedTxs.clear();
    verifiedTxs.add(key);
  }
  return ok;
}

export function signBlock(header: Omit<BlockHeader, 'txRoot'>, txs: Tx[], kp: KeyPair): Block {
  const h: BlockHeader = { ...header, proposer: kp.publicKey, txRoot: txRoot(txs) };
  const hash = headerHash(h);
  return { hash, header: h, txs, signature: signBytes(hexToBytes(hash), kp) };
}

export function verifyBlockSignature(block: Block): boolean {
  return verifyBytes(hexToBytes(block.hash), block.signature, block.header.proposer);
}

export function headRef(block: Block): { height: number; hash: string } {
  return { height: block.header.height, hash: block.hash };
}

/** Canonical bytes of a whole block, e.g. for size accounting. */
export function blockBytes(block: Block): Uint8Array {
  return canonicalBytes(block);
}
