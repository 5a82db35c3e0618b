// Block and transaction identity: what is hashed (the canonical encoding of the header, or of
// the tx body without hash and signature), what is signed (that hash), and the tx Merkle root.
import crypto from 'node:crypto';
import type { Block, BlockHeader, Tx } from '../../wire/node-api.ts';
import { canonicalBytes, hashCanonical } from './encoding.ts';
import { ChainError } from './errors.ts';
import { signBytes, verifyBytes, type KeyPair } from './keys.ts';
import { sharedSignaturePool, type SignatureCheck } from './signature-pool.ts';

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

const HASH_HEX = /^[0-9a-f]{64}$/;

/** The 32 bytes of a hash; refuses anything but 64 lowercase hex chars (Buffer.from would not). */
function hashBytes(hash: string): Buffer {
  if (!HASH_HEX.test(hash)) throw new ChainError('ENCODING_INVALID', `not a 32-byte lowercase hex hash: ${hash.slice(0, 70)}`);
  return Buffer.from(hash, 'hex');
}

const sha256 = (bytes: Uint8Array): Buffer => crypto.createHash('sha256').update(bytes).digest();

/** Binary Merkle tree over tx hashes; an odd node is paired with itself. */
export function txRoot(txs: readonly { hash: string }[]): string {
  if (txs.length === 0) return sha256(new Uint8Array(0)).toString('hex');
  let level: Buffer[] = txs.map((t) => hashBytes(t.hash));
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = level[i + 1] ?? left;
      next.push(crypto.createHash('sha256').update(left).update(right).digest());
    }
    level = next;
  }
  return level[0].toString('hex');
}

export function signTx(body: TxBody, kp: KeyPair): Tx {
  const b = txBody({ ...body, from: kp.publicKey });
  const hash = txHash(b);
  return { hash, ...b, signature: signBytes(hashBytes(hash), kp) };
}

/**
 * Signatures already checked, as hash + signature + public key. Whether a signature verifies
 * is a pure function of those three, so a success can be remembered: txs are checked in the
 * mempool and again in every block that carries them, and sync checks a whole batch's
 * signatures in parallel (preverifySignatures) before importing it block by block.
 * Callers compare the hash with the content before asking (checkBlockIntrinsic does).
 */
class VerifiedSignatures {
  /** signature → what it was checked against; keyed by the signature alone, so no key string is built. */
  private readonly bySignature = new Map<string, { hash: string; publicKey: string }>();
  constructor(private readonly max: number) {}
  has(hash: string, signature: string, publicKey: string): boolean {
    const e = this.bySignature.get(signature);
    return e !== undefined && e.hash === hash && e.publicKey === publicKey;
  }
  add(hash: string, signature: string, publicKey: string): void {
    if (this.bySignature.size >= this.max) this.bySignature.clear();
    this.bySignature.set(signature, { hash, publicKey });
  }
  /** A block's entry is of no use once the block is in the tree (a known block is not checked again). */
  delete(signature: string): void {
    this.bySignature.delete(signature);
  }
}
const verifiedTxs = new VerifiedSignatures(100_000);
const verifiedBlocks = new VerifiedSignatures(10_000);

export function verifyTxSignature(tx: Tx): boolean {
  if (verifiedTxs.has(tx.hash, tx.signature, tx.from)) return true;
  const ok = HASH_HEX.test(tx.hash) && verifyBytes(Buffer.from(tx.hash, 'hex'), tx.signature, tx.from);
  if (ok) verifiedTxs.add(tx.hash, tx.signature, tx.from);
  return ok;
}

export function signBlock(header: Omit<BlockHeader, 'txRoot'>, txs: Tx[], kp: KeyPair): Block {
  const h: BlockHeader = { ...header, proposer: kp.publicKey, txRoot: txRoot(txs) };
  const hash = headerHash(h);
  return { hash, header: h, txs, signature: signBytes(hashBytes(hash), kp) };
}

export function verifyBlockSignature(block: Block): boolean {
  if (verifiedBlocks.has(block.hash, block.signature, block.header.proposer)) {
    verifiedBlocks.delete(block.signature);
    return true;
  }
  return HASH_HEX.test(block.hash) && verifyBytes(Buffer.from(block.hash, 'hex'), block.signature, block.header.proposer);
}

/**
 * Checks the proposer and tx signatures of many blocks at once on worker threads (every
 * core), remembering each success, so that importing the blocks one by one afterwards finds
 * them checked. A failure is not remembered: the import checks that signature again and
 * rejects the block exactly as without this step. Returns how many signatures did not verify.
 */
export async function preverifySignatures(blocks: readonly Block[]): Promise<number> {
  const checks: SignatureCheck[] = [];
  const memos: VerifiedSignatures[] = [];
  let failed = 0;
  const check = (memo: VerifiedSignatures, hash: string, signature: string, publicKey: string) => {
    if (memo.has(hash, signature, publicKey)) return;
    checks.push({ hash, signature, publicKey });
    memos.push(memo);
  };
  for (const block of blocks) {
    check(verifiedBlocks, block.hash, block.signature, block.header.proposer);
    for (const tx of block.txs) check(verifiedTxs, tx.hash, tx.signature, tx.from);
  }
  if (checks.length === 0) return 0;
  const ok = await sharedSignaturePool().verifyAll(checks);
  for (let i = 0; i < checks.length; i++) {
    if (ok[i]) memos[i].add(checks[i].hash, checks[i].signature, checks[i].publicKey);
    else failed++;
  }
  return failed;
}

export function headRef(block: Block): { height: number; hash: string } {
  return { height: block.header.height, hash: block.hash };
}

/** Canonical bytes of a whole block, e.g. for size accounting. */
export function blockBytes(block: Block): Uint8Array {
  return canonicalBytes(block);
}
