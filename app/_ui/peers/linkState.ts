// What one end's report says of a link, in the words the peers page uses everywhere (matrix,
// graph, table, counts): carrying traffic, blocked by a chaos fault, up but silent, or down.
// Pure. A partition drops pings too, so its links reconnect and time out in a loop; their socket
// state says little, and they are shown as blocked by the fault instead.
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';

export type LinkState = 'connected' | 'blocked' | 'silent' | 'down';

/** Whether the link delivered traffic within two keep-alive periods (the node decides, with its
 *  own ping interval); a report from an older node says only 'connected'. */
export function isCarrying(l: PeerLinkInfo): boolean {
  return l.carrying ?? l.state === 'connected';
}

export function reportState(l: PeerLinkInfo): LinkState {
  // Blocked from the moment the fault is in force (the server names only faults that stop what
  // this end receives: a one-way partition blocks one end's report), though the last traffic
  // may still be inside the node's carrying window.
  if ((l.blockedBy ?? []).length > 0) return 'blocked';
  if (isCarrying(l)) return 'connected';
  return l.state === 'connected' ? 'silent' : 'down';
}

/** A node's peers: the links that carried traffic lately and are not blocked now. The node table's
 *  count (from the node's /health) follows within two keep-alive periods. */
export function countedPeers(links: readonly PeerLinkInfo[]): number {
  return links.filter((l) => l.peerId !== null && reportState(l) === 'connected').length;
}

/** Words for a report's state: "connected", "blocked by partition #3", "silent for 12 s", "backoff". */
export function stateLabel(l: PeerLinkInfo): string {
  const s = reportState(l);
  if (s === 'blocked') return `blocked by ${(l.blockedBy ?? []).join(', ')}`;
  if (s === 'silent') return l.silentMs === null || l.silentMs === undefined ? 'connected, nothing heard yet' : `connected, silent for ${Math.round(l.silentMs / 1000)} s`;
  if (s === 'down') return l.state;
  return 'connected';
}

export const stateRank: Record<LinkState, number> = { connected: 0, silent: 1, down: 2, blocked: 3 };
