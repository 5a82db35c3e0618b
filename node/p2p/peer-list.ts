// The /peers view: one PeerInfo per live link, per dialer still trying, per banned offender
// and per recently departed inbound peer, each remote node shown once.
import type { PeerInfo } from '../../wire/node-api.ts';
import type { Dialer } from './dialer.ts';
import { CUT_BY_FAULT, type PeerConnection } from './peer-connection.ts';
import type { PeerScoreBook } from './peer-score.ts';

export interface PeerListSource {
  conns: Iterable<PeerConnection>;
  /** The link kept for a remote node id (others to it are duplicates being closed). */
  kept(id: string): PeerConnection | undefined;
  dialers: Dialer[];
  /** Dialers whose link is currently open (shown through that link). */
  busyDialers: Set<Dialer>;
  names: Map<string, string>;
  departed: PeerInfo[];
  scores: PeerScoreBook;
  info(c: PeerConnection): PeerInfo;
}

export function connectionInfo(c: PeerConnection, score: number, dialerReason: string | null, state?: PeerInfo['state'], now = Date.now()): PeerInfo {
  // A link whose handshake a fault cut is named by the hello it lost; it carries nothing, so
  // the socket-level ping it still answers is no round trip of the link.
  const who = c.remote ?? c.cutPeer;
  return {
    id: who?.id ?? null,
    name: who?.name ?? null,
    address: c.address,
    direction: c.direction,
    state: state ?? (c.state === 'closed' ? 'disconnected' : c.state),
    rttMs: c.cutPeer ? null : c.rttMs,
    bytesIn: c.bytesIn,
    bytesOut: c.bytesOut,
    messagesIn: c.messagesIn,
    messagesOut: c.messagesOut,
    errors: c.errors,
    score,
    connectedSince: c.connectedSince,
    lastReconnectReason: c.cutPeer ? CUT_BY_FAULT : (dialerReason ?? c.closeReason),
    head: c.head,
    silentMs: c.lastHeardAt === null ? null : Math.max(0, now - c.lastHeardAt),
    carrying: state === undefined && c.carrying(now),
  };
}

const idle = { rttMs: null, bytesIn: 0, bytesOut: 0, messagesIn: 0, messagesOut: 0, errors: 0, connectedSince: null, head: null, silentMs: null, carrying: false };

export function listPeers(src: PeerListSource): PeerInfo[] {
  const out: PeerInfo[] = [];
  const shown = new Set<string>();
  // Established links first: a node is shown by its live link rather than by a handshake to
  // it that a fault cut (both nodes dial each other, so there may be two of those).
  const conns = [...src.conns].sort((a, b) => Number(b.state === 'connected') - Number(a.state === 'connected'));
  for (const c of conns) {
    if (c.remote && src.kept(c.remote.id) && src.kept(c.remote.id) !== c) continue; // losing duplicate
    if (c.cutPeer && shown.has(c.cutPeer.id)) continue; // the other cut handshake to that node
    out.push(src.info(c));
    const who = c.remote ?? c.cutPeer; // never both: a cut hello sets no remote
    if (who) shown.add(who.id);
    shown.add(c.address);
  }
  for (const d of src.dialers) {
    if (src.busyDialers.has(d) || d.state === 'stopped' || d.state === 'standby') continue;
    if (d.remoteId && shown.has(d.remoteId)) continue;
    const banned = d.remoteId !== null && src.scores.isBanned(d.remoteId);
    out.push({
      ...idle,
      id: d.remoteId,
      name: d.remoteId ? (src.names.get(d.remoteId) ?? null) : null,
      address: d.url,
      direction: 'outbound',
      state: banned ? 'banned' : d.state === 'connecting' ? 'connecting' : 'backoff',
      score: d.remoteId ? src.scores.score(d.remoteId) : 0,
      lastReconnectReason: d.lastReason,
    });
    if (d.remoteId) shown.add(d.remoteId);
  }
  for (const b of src.scores.activeBans()) {
    if (shown.has(b.key)) continue;
    shown.add(b.key);
    out.push({
      ...idle,
      id: /^[0-9a-f]{16}$/.test(b.key) ? b.key : null,
      name: b.name,
      address: b.address,
      direction: b.direction,
      state: 'banned',
      score: src.scores.score(b.key),
      lastReconnectReason: `banned until ${new Date(b.until).toISOString()}: ${b.reason}`,
    });
  }
  for (const info of [...src.departed].reverse()) {
    const key = info.id ?? info.address;
    if (shown.has(key)) continue;
    shown.add(key);
    out.push({ ...info, score: src.scores.score(key) });
  }
  return out;
}
