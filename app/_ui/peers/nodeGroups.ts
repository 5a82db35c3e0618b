// The peer table per node: each node's own reports of its links, so every report is listed once,
// under the node that made it, with the node's counts in its heading. Pure.
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import type { MatrixNode } from './linkMatrix.ts';
import { reportState, type LinkState } from './linkState.ts';

export interface NodeLinkGroup {
  node: MatrixNode;
  links: PeerLinkInfo[];
  /** Reports per state; `connected` is the node's peer count (links that carried traffic lately). */
  counts: Record<LinkState, number>;
}

/** Above this many nodes the groups start collapsed (the matrix leads), at or below it open. */
export const OPEN_GROUPS_UP_TO = 8;

export function groupLinksByNode(nodes: readonly MatrixNode[], links: readonly PeerLinkInfo[], nameOf: (id: string) => string): NodeLinkGroup[] {
  const byNode = new Map<string, PeerLinkInfo[]>();
  for (const l of links) byNode.set(l.nodeId, [...(byNode.get(l.nodeId) ?? []), l]);
  const peerName = (l: PeerLinkInfo) => (l.peerId ? nameOf(l.peerId) : (l.peerName ?? l.address));
  return nodes
    .filter((node) => byNode.has(node.id))
    .map((node) => {
      const own = [...(byNode.get(node.id) ?? [])].sort((a, b) => peerName(a).localeCompare(peerName(b), undefined, { numeric: true }));
      const counts: Record<LinkState, number> = { connected: 0, blocked: 0, silent: 0, down: 0 };
      for (const l of own) if (l.peerId) counts[reportState(l)]++;
      return { node, links: own, counts };
    });
}

/** The heading's summary, short enough for a tile: "1 peer · 2 blocked". */
export function groupSummary(counts: Record<LinkState, number>): string {
  const parts = [`${counts.connected} ${counts.connected === 1 ? 'peer' : 'peers'}`];
  if (counts.blocked > 0) parts.push(`${counts.blocked} blocked`);
  if (counts.silent > 0) parts.push(`${counts.silent} silent`);
  if (counts.down > 0) parts.push(`${counts.down} down`);
  return parts.join(' · ');
}

/** The same in full, for the heading's tooltip. */
export function groupSummaryLong(counts: Record<LinkState, number>): string {
  const parts = [`${counts.connected} ${counts.connected === 1 ? 'peer' : 'peers'} carrying traffic (links that delivered something within two keep-alive periods)`];
  if (counts.blocked > 0) parts.push(`${counts.blocked} links blocked by chaos faults`);
  if (counts.silent > 0) parts.push(`${counts.silent} up but silent`);
  if (counts.down > 0) parts.push(`${counts.down} down`);
  return parts.join('; ');
}
