// How healthy a link looks, from what both ends report: the worst of its connections decides.
// Pure, shared by the peer graph and the tables.
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';

export type LinkTone = 'ok' | 'slow' | 'bad';

export const SLOW_RTT_MS = 50;
export const BAD_RTT_MS = 200;

export function linkTone(l: PeerLinkInfo): LinkTone {
  if (l.state !== 'connected' || l.errors > 0) return 'bad';
  if (l.rttMs !== null && l.rttMs >= BAD_RTT_MS) return 'bad';
  if (l.rttMs !== null && l.rttMs >= SLOW_RTT_MS) return 'slow';
  return 'ok';
}

export interface PeerPair {
  /** The two node ids, sorted. */
  a: string;
  b: string;
  reports: PeerLinkInfo[];
  tone: LinkTone;
  /** Drawn dashed: some connection is not up, or has errors. */
  broken: boolean;
  /** Highest RTT any end reports, ms. */
  rttMs: number | null;
}

const rank: Record<LinkTone, number> = { ok: 0, slow: 1, bad: 2 };

/** One entry per pair of nodes that report a link to each other (either direction). */
export function pairLinks(links: PeerLinkInfo[]): PeerPair[] {
  const pairs = new Map<string, PeerPair>();
  for (const l of links) {
    if (!l.peerId || l.peerId === l.nodeId) continue;
    const [a, b] = [l.nodeId, l.peerId].sort();
    const key = `${a}|${b}`;
    const p = pairs.get(key) ?? { a, b, reports: [], tone: 'ok' as LinkTone, broken: false, rttMs: null };
    p.reports.push(l);
    const tone = linkTone(l);
    if (rank[tone] > rank[p.tone]) p.tone = tone;
    if (l.state !== 'connected' || l.errors > 0) p.broken = true;
    if (l.rttMs !== null) p.rttMs = Math.max(p.rttMs ?? 0, l.rttMs);
    pairs.set(key, p);
  }
  return [...pairs.values()];
}
