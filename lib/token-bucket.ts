// Token buckets keyed by a string (an address): each key may spend `burst` tokens at once and
// regains `perSec` tokens a second. Used to cap how often one address may try something
// (e.g. open a P2P link). The map stays bounded: buckets that have refilled to full carry no
// information and are forgotten when the map grows past `maxKeys`.

export interface TokenBucketOptions {
  /** Tokens a key may spend at once (and holds when it is new or idle). */
  burst: number;
  /** Tokens regained per second. */
  perSec: number;
  /** Above this many keys, full buckets are forgotten (and, if still over, the oldest). */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedTokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly opts: TokenBucketOptions) {
    if (!(opts.burst >= 1) || !(opts.perSec > 0)) throw new RangeError(`token bucket needs burst >= 1 and perSec > 0 (got ${opts.burst}, ${opts.perSec})`);
    this.maxKeys = opts.maxKeys ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Spends one token of `key`; false when it has none left (the attempt is over the rate). */
  take(key: string): boolean {
    const b = this.refill(key);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /** Tokens `key` has now (burst for an unknown key). */
  tokens(key: string): number {
    return this.buckets.has(key) ? this.refill(key).tokens : this.opts.burst;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string): Bucket {
    const now = this.now();
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= this.maxKeys) this.prune();
      b = { tokens: this.opts.burst, at: now };
      this.buckets.set(key, b);
      return b;
    }
    b.tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) / 1000) * this.opts.perSec);
    b.at = now;
    return b;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.opts.perSec >= this.opts.burst) this.buckets.delete(key);
    }
    // Still full of busy keys (many addresses at once): forget the oldest, insertion order.
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
