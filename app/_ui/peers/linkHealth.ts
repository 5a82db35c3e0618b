// How healthy a link looks, from what both ends report: the worst of its connections decides.
// Pure, shared by the peer graph and the tables.
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { isCarrying, reportState } from './linkState.ts';

export type LinkTone = 'ok' | 'slow' | 'bad';

export const SLOW_RTT_MS = 50;
export const BAD_RTT_MS = 200;

export function linkTone(l: PeerLinkInfo): LinkTone {
  // Up but silent (a partition lets a reconnect's handshake through, then drops all) is not healthy.
  if (l.state !== 'connected' || l.errors > 0 || !isCarrying(l)) return 'bad';
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
  /** Active chaos faults on the link, as either end's report names them (each once, by id). */
  faults: string[];
  /** The faults that stop this link carrying anything, when some end hears nothing because of them. */
  blockedBy: string[];
}

const rank: Record<LinkTone, number> = { ok: 0, slow: 1, bad: 2 };

/** One entry per pair of nodes that report a link to each other (either direction). */
export function pairLinks(links: PeerLinkInfo[]): PeerPair[] {
  const pairs = new Map<string, PeerPair>();
  for (const l of links) {
    if (!l.peerId || l.peerId === l.nodeId) continue;
    const [a, b] = [l.nodeId, l.peerId].sort();
    const key = `${a}|${b}`;
    const p = pairs.get(key) ?? { a, b, reports: [], tone: 'ok' as LinkTone, broken: false, rttMs: null, faults: [], blockedBy: [] };
    p.reports.push(l);
    const tone = linkTone(l);
    if (rank[tone] > rank[p.tone]) p.tone = tone;
    if (l.state !== 'connected' || l.errors > 0 || !isCarrying(l)) p.broken = true;
    if (reportState(l) === 'blocked') for (const f of l.blockedBy ?? []) if (!p.blockedBy.includes(f)) p.blockedBy.push(f);
    if (l.rttMs !== null) p.rttMs = Math.max(p.rttMs ?? 0, l.rttMs);
    for (const f of l.faults ?? []) if (!p.faults.includes(f)) p.faults.push(f);
    pairs.set(key, p);
  }
  for (const p of pairs.values()) {
    p.faults.sort(byFaultId);
    p.blockedBy.sort(byFaultId);
  }
  return [...pairs.values()];
}

/** "partition #3" → 3; faults without an id sort last. */
function faultId(f: string): number {
  const m = /#(\d+)\s*$/.exec(f);
  return m ? Number(m[1]) : Infinity;
}

function byFaultId(a: string, b: string): number {
  return faultId(a) - faultId(b) || a.localeCompare(b);
}

/** The label drawn on a faulted link: the first fault, and how many more there are. */
export function faultLabel(faults: readonly string[]): string {
  if (faults.length === 0) return '';
  return faults.length === 1 ? faults[0] : `${faults[0]} +${faults.length - 1}`;
}
