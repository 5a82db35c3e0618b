// The pieces a link shaper decides with: correlated yes/no draws and values (netem's
// correlation), a token bucket for bandwidth, and the byte flip of a corrupted frame. Pure but
// for the random source and clock they are given, so tests can drive them exactly.

/**
 * A yes/no decision at `pct` percent whose successive outcomes are correlated by `correlationPct`:
 * with that probability the previous outcome repeats, otherwise a fresh draw decides. The long-run
 * rate stays `pct` (netem mixes the random values instead, which skews the rate at high
 * correlation) and the lag-1 correlation of outcomes is `correlationPct` / 100.
 */
export class CorrelatedChance {
  private last: boolean | null = null;

  decide(pct: number, correlationPct: number, random: () => number): boolean {
    if (pct <= 0) return (this.last = false);
    if (this.last !== null && correlationPct > 0 && random() * 100 < correlationPct) return this.last;
    this.last = random() * 100 < pct;
    return this.last;
  }

  reset(): void {
    this.last = null;
  }
}

/** A value in [0, 1) correlated with the previous one as netem's get_crandom does: u = ρ·last + (1−ρ)·fresh. */
export class CorrelatedValue {
  private last: number | null = null;

  next(correlationPct: number, random: () => number): number {
    const fresh = random();
    const rho = Math.min(1, Math.max(0, correlationPct / 100));
    this.last = this.last === null || rho === 0 ? fresh : rho * this.last + (1 - rho) * fresh;
    return this.last;
  }

  reset(): void {
    this.last = null;
  }
}

/**
 * Bandwidth as a token bucket: `rate` bytes/s refill a bucket `burst` bytes deep, which starts
 * full. A message leaves when the bucket holds its bytes; otherwise when the refill has caught up
 * (messages queue behind each other, so the release times never go backwards). With burst 0 every
 * message waits for its own bytes at the rate: the spacing the cap always had.
 */
export class TokenBucket {
  private tokens: number | null = null;
  /** The time the tokens were counted at; ahead of now while messages are queued. */
  private at = 0;

  /** When a message of `bytes` may leave (ms since the epoch, >= now). */
  release(bytes: number, rate: number, burst: number, now: number): number {
    const start = Math.max(now, this.at);
    const refilled = this.tokens === null ? burst : this.tokens + ((start - this.at) * rate) / 1000;
    const tokens = Math.min(burst, refilled);
    if (tokens >= bytes) {
      this.tokens = tokens - bytes;
      this.at = start;
      return start;
    }
    // Wait until the refill covers the shortfall; the bucket is then empty.
    this.at = start + ((bytes - Math.max(0, tokens)) * 1000) / rate;
    this.tokens = 0;
    return this.at;
  }
}

/**
 * A copy of a text frame with one byte changed to another printable ASCII character (an ASCII
 * byte is chosen, so the frame stays valid UTF-8 and reaches the receiver's envelope checks rather
 * than failing the WebSocket's own UTF-8 check and closing the link).
 */
export function corruptText(text: string, random: () => number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return text;
  const from = Math.floor(random() * bytes.length);
  for (let k = 0; k < bytes.length; k++) {
    const i = (from + k) % bytes.length;
    if (bytes[i] >= 0x80) continue;
    // 0x20..0x7e is 95 characters; an offset of 1..94 never lands on the original.
    const offset = 1 + Math.floor(random() * 94);
    bytes[i] = 0x20 + ((Math.max(0x20, bytes[i]) - 0x20 + offset) % 95);
    return bytes.toString('utf8');
  }
  return text;
}
