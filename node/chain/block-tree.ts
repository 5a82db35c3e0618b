// Every block this node has accepted, canonical or not, linked by parent hash, plus the
// index of the canonical chain by height. Pure bookkeeping: no validation, no state.
import type { Block, HeadRef } from '../../wire/node-api.ts';
import type { UndoRecord } from './state.ts';

export interface TreeNode {
  block: Block;
  /** Set while the block is on the canonical chain. */
  undo: UndoRecord | null;
}

export class BlockTree {
  private readonly nodes = new Map<string, TreeNode>();
  /** canonical[h] = hash of the canonical block at height h. */
  private readonly canonical: string[] = [];

  constructor(genesis: Block) {
    this.nodes.set(genesis.hash, { block: genesis, undo: [] });
    this.canonical.push(genesis.hash);
  }

  get size(): number {
    return this.nodes.size;
  }

  has(hash: string): boolean {
    return this.nodes.has(hash);
  }

  get(hash: string): TreeNode | undefined {
    return this.nodes.get(hash);
  }

  add(block: Block): TreeNode {
    const node: TreeNode = { block, undo: null };
    this.nodes.set(block.hash, node);
    return node;
  }

  get head(): TreeNode {
    return this.nodes.get(this.canonical[this.canonical.length - 1])!;
  }

  headRef(): HeadRef {
    const b = this.head.block;
    return { height: b.header.height, hash: b.hash };
  }

  canonicalAt(height: number): TreeNode | undefined {
    const h = this.canonical[height];
    return h === undefined ? undefined : this.nodes.get(h);
  }

  isCanonical(hash: string): boolean {
    const n = this.nodes.get(hash);
    return n !== undefined && this.canonical[n.block.header.height] === hash;
  }

  canonicalRange(from: number, limit: number): Block[] {
    const out: Block[] = [];
    for (let h = Math.max(0, from); h < this.canonical.length && out.length < limit; h++) {
      out.push(this.nodes.get(this.canonical[h])!.block);
    }
    return out;
  }

  /** Pops the canonical tip (during a reorg); returns it. */
  popCanonical(): TreeNode {
    const hash = this.canonical.pop()!;
    return this.nodes.get(hash)!;
  }

  pushCanonical(node: TreeNode): void {
    if (node.block.header.height !== this.canonical.length) throw new Error('canonical push out of order');
    this.canonical.push(node.block.hash);
  }

  /** Blocks from just above the canonical fork point up to `hash` (ascending), and the fork point. */
  branchTo(hash: string): { ancestor: TreeNode; branch: TreeNode[] } {
    const branch: TreeNode[] = [];
    let n = this.nodes.get(hash);
    while (n && !this.isCanonical(n.block.hash)) {
      branch.push(n);
      n = this.nodes.get(n.block.header.parentHash);
    }
    if (!n) throw new Error(`block ${hash} does not connect to the canonical chain`);
    branch.reverse();
    return { ancestor: n, branch };
  }

  /** Hashes of the canonical chain at head, head-1, head-2, head-4, … , genesis (a sync locator). */
  locator(): string[] {
    const out: string[] = [];
    let step = 1;
    for (let h = this.canonical.length - 1; h > 0; h -= step) {
      out.push(this.canonical[h]);
      if (out.length >= 10) step *= 2;
    }
    out.push(this.canonical[0]);
    return out;
  }
}
