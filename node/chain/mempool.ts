// Pending transactions waiting for a block: admitted after intrinsic checks and a nonce
// window against the head state, selected per sender in nonce order, pruned when the head
// moves and refilled with the txs of blocks a reorg took off the chain.
import type { Tx } from '../../wire/node-api.ts';
import { ChainError } from './errors.ts';
import { accountOf, checkTx, StateOverlay, type StateView } from './state.ts';
import { checkTxIntrinsic } from './validate.ts';

export interface MempoolOptions {
  maxSize: number;
  /** How far ahead of the account nonce a tx may be queued. */
  maxNonceGap: number;
}

export class Mempool {
  private readonly byHash = new Map<string, Tx>();
  private readonly bySender = new Map<string, Map<number, Tx>>();

  constructor(private readonly opts: MempoolOptions = { maxSize: 20_000, maxNonceGap: 64 }) {}

  get size(): number {
    return this.byHash.size;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  /** Admits a tx or throws a ChainError saying why not. */
  add(tx: Tx, head: StateView, opts: { verifySignature: boolean } = { verifySignature: true }): void {
    if (this.byHash.has(tx.hash)) throw new ChainError('TX_KNOWN', 'tx already pending', { tx: tx.hash });
    if (this.byHash.size >= this.opts.maxSize) throw new ChainError('TX_MEMPOOL_FULL', 'mempool full', { tx: tx.hash });
    checkTxIntrinsic(tx, opts);
    const acct = accountOf(head, tx.from);
    if (tx.nonce < acct.nonce || tx.nonce > acct.nonce + this.opts.maxNonceGap) {
      throw new ChainError('TX_NONCE_INVALID', `nonce ${tx.nonce} outside [${acct.nonce}, ${acct.nonce + this.opts.maxNonceGap}]`, { tx: tx.hash });
    }
    const queue = this.bySender.get(tx.from) ?? new Map<number, Tx>();
    if (queue.has(tx.nonce)) throw new ChainError('TX_NONCE_INVALID', `nonce ${tx.nonce} already pending`, { tx: tx.hash });
    if (acct.balance < tx.amount) throw new ChainError('TX_INSUFFICIENT_BALANCE', 'balance below amount', { tx: tx.hash });
    queue.set(tx.nonce, tx);
    this.bySender.set(tx.from, queue);
    this.byHash.set(tx.hash, tx);
  }

  /** The next nonce a sender should use: after its contiguous run of pending txs. */
  nextNonce(sender: string, head: StateView): number {
    let n = accountOf(head, sender).nonce;
    const q = this.bySender.get(sender);
    while (q?.has(n)) n++;
    return n;
  }

  /** Txs for a new block, valid in order against the head state. */
  select(head: StateView, max: number): Tx[] {
    const view = new StateOverlay(head);
    const out: Tx[] = [];
    const senders = [...this.bySender.keys()].sort();
    for (const sender of senders) {
      const q = this.bySender.get(sender)!;
      for (let n = accountOf(view, sender).nonce; q.has(n) && out.length < max; n++) {
        const tx = q.get(n)!;
        try {
          checkTx(view, tx);
        } catch {
          break;
        }
        const from = accountOf(view, sender);
        view.put(sender, { balance: from.balance - tx.amount, nonce: from.nonce + 1 });
        const to = accountOf(view, tx.to);
        view.put(tx.to, { balance: to.balance + tx.amount, nonce: to.nonce });
        out.push(tx);
      }
      if (out.length >= max) break;
    }
    return out;
  }

  /** After a head change: drop txs that are now included or stale, re-admit orphaned ones. */
  onHeadChanged(head: StateView, orphanedTxs: Tx[]): void {
    for (const [sender, q] of this.bySender) {
      const nonce = accountOf(head, sender).nonce;
      for (const [n, tx] of q) {
        if (n < nonce) {
          q.delete(n);
          this.byHash.delete(tx.hash);
        }
      }
      if (q.size === 0) this.bySender.delete(sender);
    }
    for (const tx of orphanedTxs) {
      try {
        this.add(tx, head, { verifySignature: false });
      } catch {
        // Already included on the new branch or no longer valid: nothing to keep.
      }
    }
  }
}
