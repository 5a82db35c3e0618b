// Account state (balances and nonces) and the transfer rule. Applying a block returns an
// undo record (the prior value of every account it touched) so a reorg can roll state back
// and forward exactly. Side branches are checked on an overlay without touching the base.
import type { Block, Tx } from '../../wire/node-api.ts';
import { ChainError } from './errors.ts';
import type { Genesis } from './genesis.ts';

export interface Account {
  balance: number;
  nonce: number;
}

/** Prior value of each touched account, in first-touch order; null = did not exist. */
export type UndoRecord = Array<[address: string, prior: Account | null]>;

export interface StateView {
  /** The stored account, or null when it does not exist. */
  lookup(address: string): Account | null;
  put(address: string, account: Account | null): void;
}

const EMPTY: Account = Object.freeze({ balance: 0, nonce: 0 });

export function accountOf(view: StateView, address: string): Account {
  return view.lookup(address) ?? EMPTY;
}

export class AccountState implements StateView {
  private readonly accounts = new Map<string, Account>();

  static fromGenesis(g: Genesis): AccountState {
    const s = new AccountState();
    for (const a of g.allocations) {
      const prev = s.accounts.get(a.address)?.balance ?? 0;
      s.accounts.set(a.address, { balance: prev + a.balance, nonce: 0 });
    }
    return s;
  }

  lookup(address: string): Account | null {
    return this.accounts.get(address) ?? null;
  }

  put(address: string, account: Account | null): void {
    if (account === null) this.accounts.delete(address);
    else this.accounts.set(address, account);
  }

  get size(): number {
    return this.accounts.size;
  }
}

/** Overlay over a base view: reads fall through, writes stay here. */
export class StateOverlay implements StateView {
  private readonly changes = new Map<string, Account | null>();
  constructor(private readonly base: StateView) {}

  lookup(address: string): Account | null {
    return this.changes.has(address) ? this.changes.get(address)! : this.base.lookup(address);
  }

  put(address: string, account: Account | null): void {
    this.changes.set(address, account);
  }
}

/** Checks one transfer against the view without changing it; throws a ChainError. */
export function checkTx(view: StateView, tx: Tx): void {
  const from = accountOf(view, tx.from);
  if (tx.nonce !== from.nonce) {
    throw new ChainError('TX_NONCE_INVALID', `nonce ${tx.nonce}, expected ${from.nonce}`, { tx: tx.hash });
  }
  if (from.balance < tx.amount) {
    throw new ChainError('TX_INSUFFICIENT_BALANCE', `balance ${from.balance} < amount ${tx.amount}`, { tx: tx.hash });
  }
  if (tx.to !== tx.from && accountOf(view, tx.to).balance + tx.amount > Number.MAX_SAFE_INTEGER) {
    throw new ChainError('TX_BALANCE_OVERFLOW', 'receiver balance would overflow', { tx: tx.hash });
  }
}

function applyTx(view: StateView, tx: Tx, undo: UndoRecord, touched: Set<string>): void {
  checkTx(view, tx);
  for (const addr of [tx.from, tx.to]) {
    if (!touched.has(addr)) {
      touched.add(addr);
      undo.push([addr, view.lookup(addr)]);
    }
  }
  const from = accountOf(view, tx.from);
  view.put(tx.from, { balance: from.balance - tx.amount, nonce: from.nonce + 1 });
  const to = accountOf(view, tx.to);
  view.put(tx.to, { balance: to.balance + tx.amount, nonce: to.nonce });
}

/** Applies every tx of a block, all or nothing; returns the undo record. */
export function applyBlock(view: StateView, block: Block): UndoRecord {
  const undo: UndoRecord = [];
  const touched = new Set<string>();
  try {
    for (const tx of block.txs) applyTx(view, tx, undo, touched);
  } catch (err) {
    revertBlock(view, undo);
    if (err instanceof ChainError) {
      err.context.height = block.header.height;
      err.context.hash = block.hash;
    }
    throw err;
  }
  return undo;
}

export function revertBlock(view: StateView, undo: UndoRecord): void {
  for (let i = undo.length - 1; i >= 0; i--) view.put(undo[i][0], undo[i][1]);
}
