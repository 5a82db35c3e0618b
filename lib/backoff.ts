// Retry delays, shared by every reconnecting or retrying part (P2P dialer, the indexer's node
// subscriber, the index writer): exponential with full jitter and a cap,
//   delay(n) = random() * min(cap, base * 2^n)   for the n-th retry, n = 0, 1, 2, …
// so that parts which failed at the same moment do not retry in lockstep. The random source
// is injectable so tests can pin the sequence.

export interface BackoffOptions {
  /** Ceiling of the first delay, ms. */
  baseMs: number;
  /** Largest ceiling any delay can reach, ms. */
  capMs: number;
  /** Uniform in [0, 1); Math.random unless a test pins it. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions) {
    if (!(opts.baseMs > 0) || !(opts.capMs >= opts.baseMs)) throw new RangeError(`backoff needs 0 < baseMs <= capMs (got ${opts.baseMs}, ${opts.capMs})`);
    this.baseMs = opts.baseMs;
    this.capMs = opts.capMs;
    this.random = opts.random ?? Math.random;
  }

  /** Delays handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The ceiling the next delay is drawn under. */
  ceiling(): number {
    // The exponent is bounded so 2^n never overflows however long a peer stays away.
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
  }

  /** The next delay, whole ms in [0, ceiling). */
  next(): number {
    const ceiling = this.ceiling();
    this.attempt++;
    return Math.floor(this.random() * ceiling);
  }

  reset(): void {
    this.attempt = 0;
  }
}
