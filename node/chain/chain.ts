// The node's view of the chain: imports a block through every check (intrinsic, parent,
// consensus, state on the right branch), persists it, runs fork choice and reorganises the
// account state (undo on the old branch, apply on the new one). Reports blocks and heads
// through listeners; knows nothing about the network.
import type { Block, HeadRef, Reorg } from '../../wire/node-api.ts';
import { BlockTree, type TreeNode } from './block-tree.ts';
import { ChainError } from './errors.ts';
import { genesisBlock, type Genesis } from './genesis.ts';
import type { ChainRules } from './rules.ts';
import { AccountState, StateOverlay, accountOf, applyBlock, revertBlock, type Account, type StateView } from './state.ts';
import { checkBlockIntrinsic } from './validate.ts';

export interface HeadChange {
  head: HeadRef;
  reorg: Reorg | null;
  /** Blocks that left the canonical chain (newest first) and that joined it (ascending). */
  removed: Block[];
  added: Block[];
}

export interface ChainListener {
  onBlock?(block: Block): void;
  onHead?(change: HeadChange): void;
}

export interface BlockSink {
  append(block: Block): void;
}

export interface ImportOptions {
  /** Blocks from our own log: signatures and the clock-skew guard are skipped. */
  trusted?: boolean;
  /** Check signatures even of trusted blocks (replay checked them in a batch first); default !trusted. */
  verifySignatures?: boolean;
  nowMs: number;
}

export type ImportResult = { status: 'known' } | { status: 'accepted'; headChange: HeadChange | null };

export interface Checkpoint {
  height: number;
  hash: string;
}

export class Chain {
  readonly genesis: Block;
  private readonly tree: BlockTree;
  private readonly state: AccountState;
  private readonly listeners: ChainListener[] = [];
  private sink: BlockSink | null = null;

  constructor(
    readonly config: Genesis,
    private readonly rules: ChainRules,
    private readonly checkpoint: Checkpoint | null = null,
  ) {
    this.genesis = genesisBlock(config);
    this.tree = new BlockTree(this.genesis);
    this.state = AccountState.fromGenesis(config);
    rules.attachChain?.(this);
  }

  get chainId(): string {
    return this.config.chainId;
  }

  get genesisHash(): string {
    return this.genesis.hash;
  }

  setSink(sink: BlockSink | null): void {
    this.sink = sink;
  }

  listen(l: ChainListener): () => void {
    this.listeners.push(l);
    return () => {
      const i = this.listeners.indexOf(l);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  head(): Block {
    return this.tree.head.block;
  }

  headRef(): HeadRef {
    return this.tree.headRef();
  }

  has(hash: string): boolean {
    return this.tree.has(hash);
  }

  get blockCount(): number {
    return this.tree.size;
  }

  getByHash(hash: string): Block | undefined {
    return this.tree.get(hash)?.block;
  }

  getByHeight(height: number): Block | undefined {
    return this.tree.canonicalAt(height)?.block;
  }

  isCanonical(hash: string): boolean {
    return this.tree.isCanonical(hash);
  }

  range(from: number, limit: number): Block[] {
    return this.tree.canonicalRange(from, limit);
  }

  locator(): string[] {
    return this.tree.locator();
  }

  /** Account at the canonical head. */
  account(address: string): Account {
    return accountOf(this.state, address);
  }

  /** Read-only view of the head state (for the mempool and block building). */
  headState(): StateView {
    return new StateOverlay(this.state);
  }

  importBlock(block: Block, opts: ImportOptions): ImportResult {
    if (this.tree.has(block.hash)) return { status: 'known' };
    const trusted = opts.trusted ?? false;
    const ctx = { height: block.header.height, hash: block.hash };
    checkBlockIntrinsic(block, this.chainId, { verifySignatures: opts.verifySignatures ?? !trusted });
    const parent = this.tree.get(block.header.parentHash);
    if (!parent) throw new ChainError('BLOCK_PARENT_UNKNOWN', `parent ${block.header.parentHash.slice(0, 16)} unknown`, ctx);
    if (block.header.height !== parent.block.header.height + 1) {
      throw new ChainError('BLOCK_HEIGHT_INVALID', `height ${block.header.height} after parent ${parent.block.header.height}`, ctx);
    }
    this.rules.checkBlock(block, parent.block, opts.nowMs, { skipFutureCheck: trusted, trusted });
    if (this.checkpoint && block.header.height === this.checkpoint.height && block.hash !== this.checkpoint.hash) {
      throw new ChainError('BLOCK_CHECKPOINT_MISMATCH', `block at checkpoint height ${this.checkpoint.height} is not ${this.checkpoint.hash.slice(0, 16)}`, ctx);
    }
    const finalized = this.rules.finalized();
    if (finalized !== null) this.checkAboveFinalized(parent, finalized, ctx);
    applyBlock(this.stateAt(parent), block); // throws on a bad transfer; the overlay is discarded

    this.sink?.append(block);
    const node = this.tree.add(block);
    for (const l of this.listeners) l.onBlock?.(block);

    const head = this.tree.head;
    let headChange: HeadChange | null = null;
    if (this.rules.compareHeads(block, head.block) > 0) headChange = this.switchHead(node);
    if (headChange) for (const l of this.listeners) l.onHead?.(headChange);
    return { status: 'accepted', headChange };
  }

  /**
   * Never revert below finalized: a block whose branch leaves the canonical chain below the
   * finalized height could only become head by undoing a finalized block, so it is refused
   * before it is stored (whether or not it would win fork choice now).
   */
  private checkAboveFinalized(parent: TreeNode, finalized: HeadRef, ctx: { height: number; hash: string }): void {
    const { ancestor } = this.tree.branchTo(parent.block.hash);
    const forkHeight = ancestor.block.header.height;
    if (forkHeight < finalized.height) {
      throw new ChainError('REORG_BELOW_FINALIZED', `block forks from the canonical chain at height ${forkHeight}, below finalized height ${finalized.height}`, {
        ...ctx,
        forkHeight,
        finalized,
      });
    }
  }

  /** A view of the state after `node`, built on an overlay over the head state. */
  private stateAt(node: TreeNode): StateView {
    const overlay = new StateOverlay(this.state);
    const { ancestor, branch } = this.tree.branchTo(node.block.hash);
    const headHeight = this.tree.head.block.header.height;
    for (let h = headHeight; h > ancestor.block.header.height; h--) revertBlock(overlay, this.tree.canonicalAt(h)!.undo!);
    for (const b of branch) applyBlock(overlay, b.block);
    return overlay;
  }

  private switchHead(target: TreeNode): HeadChange {
    const oldHead = this.tree.headRef();
    const { ancestor, branch } = this.tree.branchTo(target.block.hash);
    const removed: Block[] = [];
    while (this.tree.head !== ancestor) {
      const n = this.tree.popCanonical();
      revertBlock(this.state, n.undo!);
      n.undo = null;
      removed.push(n.block);
    }
    const added: Block[] = [];
    for (const n of branch) {
      // Cannot fail: the branch was checked on an overlay when each block was imported.
      n.undo = applyBlock(this.state, n.block);
      this.tree.pushCanonical(n);
      added.push(n.block);
    }
    const reorg: Reorg | null = removed.length > 0 ? { oldHead, commonAncestor: { height: ancestor.block.header.height, hash: ancestor.block.hash }, depth: removed.length } : null;
    return { head: this.tree.headRef(), reorg, removed, added };
  }
}
