// A bounded set of recently seen ids (block and tx hashes) so gossip is relayed once and
// echoes are dropped cheaply. Insertion-ordered Map: the oldest entries fall out first.
export class SeenCache {
  private readonly items = new Map<string, number>();

  constructor(private readonly capacity = 50_000) {}

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Adds the id; returns false when it was already there. */
  add(id: string): boolean {
    if (this.items.has(id)) return false;
    this.items.set(id, Date.now());
    if (this.items.size > this.capacity) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    return true;
  }

  delete(id: string): void {
    this.items.delete(id);
  }

  get size(): number {
    return this.items.size;
  }
}
