// A bounded in-memory map of recent blocks' links (hash → height, parent), so following a
// node's chain backwards rarely needs the database. Oldest entries are evicted first.
export interface BlockLink {
  hash: string;
  height: number;
  parentHash: string;
}

export class BlockGraph {
  private readonly links = new Map<string, BlockLink>();

  constructor(private readonly capacity = 50_000) {}

  add(link: BlockLink): void {
    if (this.links.has(link.hash)) return;
    this.links.set(link.hash, link);
    if (this.links.size > this.capacity) {
      // Map iterates in insertion order: the first key is the oldest.
      const oldest = this.links.keys().next().value as string;
      this.links.delete(oldest);
    }
  }

  get(hash: string): BlockLink | undefined {
    return this.links.get(hash);
  }

  has(hash: string): boolean {
    return this.links.has(hash);
  }
}
