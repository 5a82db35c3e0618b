// One node's canonical chain as the indexer last saw it: height → hash for a recent window.
// Moving the head walks parent links back to where the old chain and the new one meet, which
// yields exactly the heights to rewrite (and the reorg depth) without trusting the node.
import type { BlockLink } from './block-graph.ts';

export type LinkLookup = (hash: string) => Promise<BlockLink | undefined>;

export interface HeadMove {
  /** First height whose hash changed (or was added). */
  fromHeight: number;
  /** New hashes from fromHeight up to the new head. */
  hashes: string[];
  /** Blocks of the old chain that are no longer canonical. */
  reorgDepth: number;
  oldHead: { height: number; hash: string } | null;
}

export class UnknownAncestorError extends Error {
  readonly code = 'INDEX_ANCESTOR_UNKNOWN';
}

export class CanonicalChain {
  private readonly byHeight = new Map<number, string>();
  private headRef: { height: number; hash: string } | null = null;

  constructor(private readonly window = 5_000) {}

  get head(): { height: number; hash: string } | null {
    return this.headRef;
  }

  hashAt(height: number): string | undefined {
    return this.byHeight.get(height);
  }

  /** Seed from persisted rows (e.g. after a server restart). */
  load(rows: Map<number, string>): void {
    let top = -1;
    for (const [h, hash] of rows) {
      this.byHeight.set(h, hash);
      if (h > top) top = h;
    }
    if (top >= 0) this.headRef = { height: top, hash: rows.get(top)! };
    this.trim();
  }

  /**
   * Move the head to `newHead`, walking parents until a height where this chain already
   * holds the same hash. Throws UnknownAncestorError when a parent is unknown.
   */
  async moveHead(newHead: BlockLink, lookup: LinkLookup): Promise<HeadMove> {
    const oldHead = this.headRef;
    const segment: string[] = [];
    let cursor: BlockLink | undefined = newHead;
    while (cursor && this.byHeight.get(cursor.height) !== cursor.hash) {
      segment.push(cursor.hash);
      if (cursor.height === 0) break;
      const parentHash: string = cursor.parentHash;
      cursor = await lookup(parentHash);
      if (!cursor) throw new UnknownAncestorError(`parent ${parentHash.slice(0, 12)} of height ${newHead.height} is not indexed`);
      // Below the window we cannot compare: treat the window's floor as the meeting point.
      if (this.byHeight.size > 0 && cursor.height < this.floor()) break;
    }
    segment.reverse();
    const fromHeight = newHead.height - segment.length + 1;
    let reorgDepth = 0;
    if (oldHead) {
      for (let h = fromHeight; h <= oldHead.height; h++) if (this.byHeight.has(h)) reorgDepth++;
    }
    if (oldHead) for (let h = fromHeight; h <= oldHead.height; h++) this.byHeight.delete(h);
    segment.forEach((hash, i) => this.byHeight.set(fromHeight + i, hash));
    this.headRef = { height: newHead.height, hash: newHead.hash };
    this.trim();
    return { fromHeight, hashes: segment, reorgDepth, oldHead };
  }

  /** Set heights fromHeight.. to `hashes` and drop everything above: a backfilled page. */
  replaceFrom(fromHeight: number, hashes: string[], isHead: boolean): void {
    if (isHead && this.headRef) for (let h = fromHeight; h <= this.headRef.height; h++) this.byHeight.delete(h);
    hashes.forEach((hash, i) => this.byHeight.set(fromHeight + i, hash));
    const top = fromHeight + hashes.length - 1;
    if (hashes.length && (isHead || !this.headRef || top > this.headRef.height)) {
      this.headRef = { height: top, hash: hashes[hashes.length - 1] };
    }
    this.trim();
  }

  private floor(): number {
    return this.headRef ? Math.max(0, this.headRef.height - this.window + 1) : 0;
  }

  private trim(): void {
    if (this.byHeight.size <= this.window * 1.2) return;
    const floor = this.floor();
    for (const h of this.byHeight.keys()) if (h < floor) this.byHeight.delete(h);
  }
}
