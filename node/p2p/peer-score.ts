// Peer reputation: misbehaviour costs points by kind; at the ban threshold the peer is banned
// for a while (by node id once known, else by address: the IP of an inbound link, the URL of
// an outbound one). Scores recover slowly toward zero,
// so an honest peer with one bad moment is not punished forever.
import type { P2PErrorCode } from './errors.ts';

export const PENALTIES: Partial<Record<P2PErrorCode, number>> = {
  MALFORMED: 25,
  SCHEMA_INVALID: 25,
  VERSION_UNSUPPORTED: 10,
  SIGNATURE_INVALID: 50,
  IDENTITY_MISMATCH: 50,
  UNEXPECTED_MESSAGE: 10,
  OVERSIZE: 50,
  FLOOD: 10, // reported once per 100 messages over the rate limit
  INVALID_BLOCK: 20,
  INVALID_TX: 2,
  GENESIS_MISMATCH: 100,
  CHAIN_MISMATCH: 100,
};

export const BAN_THRESHOLD = -100;

export interface BanRecord {
  key: string;
  reason: string;
  until: number;
  since: number;
  /** Display info kept for /peers. */
  name: string | null;
  address: string;
  direction: 'inbound' | 'outbound';
}

export class PeerScoreBook {
  private readonly scores = new Map<string, { score: number; at: number }>();
  private readonly bans = new Map<string, BanRecord>();

  constructor(
    private readonly banMs = 60_000,
    /** Points recovered per second toward zero. */
    private readonly recoveryPerSec = 0.2,
    private readonly now: () => number = Date.now,
  ) {}

  score(key: string): number {
    const s = this.scores.get(key);
    if (!s) return 0;
    const recovered = Math.min(0, s.score + ((this.now() - s.at) / 1000) * this.recoveryPerSec);
    return Math.round(recovered * 10) / 10;
  }

  /** Lowers a score; returns true when the peer has just crossed the ban threshold. */
  penalize(key: string, points: number): boolean {
    if (this.scores.size > 10_000) this.prune();
    const next = this.score(key) - points;
    this.scores.set(key, { score: next, at: this.now() });
    return next <= BAN_THRESHOLD && !this.isBanned(key);
  }

  /** Forgets peers whose score has recovered. */
  private prune(): void {
    for (const key of this.scores.keys()) if (this.score(key) === 0 && !this.bans.has(key)) this.scores.delete(key);
  }

  /** Bans `rec.key` for `ms` (the book's ban time unless told otherwise). */
  ban(rec: Omit<BanRecord, 'until' | 'since'>, ms = this.banMs): BanRecord {
    const b: BanRecord = { ...rec, since: this.now(), until: this.now() + ms };
    this.bans.set(rec.key, b);
    return b;
  }

  isBanned(key: string): boolean {
    const b = this.bans.get(key);
    if (!b) return false;
    if (b.until <= this.now()) {
      this.bans.delete(key);
      // The ban served; start afresh rather than one penalty away from the next ban.
      this.scores.delete(key);
      return false;
    }
    return true;
  }

  activeBans(): BanRecord[] {
    return [...this.bans.values()].filter((b) => this.isBanned(b.key));
  }
}
