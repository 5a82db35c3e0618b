// Who may open an inbound /p2p link, decided at the HTTP upgrade, before a WebSocket exists:
// not an address banned for misbehaving before its hello, not an address trying more often
// than its token bucket allows, not past the caps of handshakes in progress (overall and per
// address), and not when every inbound peer slot is taken by peers that completed their hello.
// Handshaking sockets are counted apart from peer slots: a socket that never says hello holds
// a pending place for at most the handshake timeout, never a peer slot.
// A refusal is answered with a plain HTTP status (403 banned, 429 over the rate, 503 full),
// counted in node_p2p_inbound_refused_total{reason} and logged at debug (an info summary at
// most every 10 s), so a flood of attempts cannot flood the log.
//
// On a local testnet every honest peer is 127.0.0.1 too, so an address ban there refuses the
// other local nodes' dials to this node for its duration. The mesh holds because this node's
// own dials to them are outbound (never checked here), and peers that completed a hello keep
// being judged by node id; the limits below are sized for a 16-node local testnet on one
// address restarting and reconnecting with backoff.
import type { Duplex } from 'node:stream';
import { KeyedTokenBuckets } from '../../lib/token-bucket.ts';
import { throttledReporter } from '../../lib/http/server-limits.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

export const INBOUND_DEFAULTS = {
  /** How long an address stays banned after a peer from it misbehaved before its hello. */
  addressBanMs: 60_000,
  /** Handshakes in progress on this node, from all addresses. */
  maxPendingHandshakes: 64,
  /** Handshakes in progress from one address: 15 local peers dialing at once fit. */
  maxPendingPerAddress: 20,
  /**
   * Upgrade attempts per address per minute (also the burst). 15 local peers redialing with
   * backoff (base 250 ms, cap 30 s) make about 10 attempts each in their first failing minute
   * and about 2-4 a minute after: 150 at worst, so 300 leaves room for restarts and chaos.
   */
  maxAttemptsPerMinute: 300,
} as const;

export interface InboundLimits {
  maxInbound: number;
  maxPendingHandshakes: number;
  maxPendingPerAddress: number;
  maxAttemptsPerMinute: number;
}

export type RefusalReason = 'address_banned' | 'attempt_rate' | 'pending_full' | 'pending_address_full' | 'inbound_full';

export interface Refusal {
  reason: RefusalReason;
  status: 403 | 429 | 503;
  message: string;
}

/** What the host knows right now about its inbound links. */
export interface InboundCounts {
  /** Inbound links that completed their hello. */
  connected: number;
  /** Inbound sockets still handshaking, overall. */
  pending: number;
  /** Of those, from this address. */
  pendingFrom(ip: string): number;
}

export class InboundAdmission {
  private readonly attempts: KeyedTokenBuckets;

  constructor(
    private readonly limits: InboundLimits,
    private readonly isAddressBanned: (ip: string) => boolean,
    now: () => number = Date.now,
  ) {
    this.attempts = new KeyedTokenBuckets({ burst: limits.maxAttemptsPerMinute, perSec: limits.maxAttemptsPerMinute / 60, now });
  }

  /** null admits the attempt (and counts it against the address's rate). */
  admit(ip: string, counts: InboundCounts): Refusal | null {
    const l = this.limits;
    if (this.isAddressBanned(ip)) return { reason: 'address_banned', status: 403, message: `address ${ip} is banned for misbehaviour; try later` };
    if (!this.attempts.take(ip)) return { reason: 'attempt_rate', status: 429, message: `over ${l.maxAttemptsPerMinute} link attempts a minute from ${ip}` };
    if (counts.pending >= l.maxPendingHandshakes) return { reason: 'pending_full', status: 503, message: `${counts.pending} handshakes already in progress` };
    const fromIp = counts.pendingFrom(ip);
    if (fromIp >= l.maxPendingPerAddress) return { reason: 'pending_address_full', status: 503, message: `${fromIp} handshakes already in progress from ${ip}` };
    if (counts.connected >= l.maxInbound) return { reason: 'inbound_full', status: 503, message: `all ${l.maxInbound} inbound peer slots taken` };
    return null;
  }
}

/** Refused upgrades are logged at debug each, and summed up at info at most this often. */
const REFUSAL_SUMMARY_MS = 10_000;

/** Counts each refusal in metrics; logs it at debug, and a summary at info at most every 10 s. */
export function refusalReporter(metrics: Metrics, log: Logger): (refusal: Refusal, peer: string) => void {
  let last: Refusal | null = null;
  const summary = throttledReporter(REFUSAL_SUMMARY_MS, (n) =>
    log.info({ refused: n, last: last?.reason, message: last?.message }, 'inbound link attempts refused (counted in node_p2p_inbound_refused_total)'),
  );
  return (refusal, peer) => {
    metrics.inboundRefused.inc({ reason: refusal.reason });
    if (refusal.reason === 'inbound_full') metrics.errors.inc({ kind: 'TOO_MANY_PEERS' });
    log.debug({ peer, reason: refusal.reason }, `inbound link refused: ${refusal.message}`);
    last = refusal;
    summary();
  };
}

const STATUS_TEXT: Record<Refusal['status'], string> = { 403: 'Forbidden', 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Answers a refused upgrade on its raw socket (no WebSocket exists yet) and closes it. */
export function answerRefusal(socket: Duplex, refusal: Refusal): void {
  const body = `${refusal.reason}: ${refusal.message}`;
  const retry = refusal.status === 403 ? '' : 'Retry-After: 5\r\n';
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status]}\r\nConnection: close\r\n${retry}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The remote IP of a socket, with IPv4-mapped IPv6 (::ffff:1.2.3.4) written as IPv4. */
export function remoteIp(socket: { remoteAddress?: string }): string {
  const a = socket.remoteAddress ?? 'unknown';
  return a.startsWith('::ffff:') && a.includes('.') ? a.slice(7) : a;
}
