// Pure helper for the node table: move each node's height and head hash as soon as a
// `heads:new` push says it moved, instead of waiting for the next status snapshot (which
// follows within a tick and brings the status, lag and reason computed from it). Kept apart
// from React so it is unit-tested.
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import type { HeadChange } from '../../../wire/live-events.ts';

/** The nodes with `heads` applied in order (the last move of a node wins); the same array when nothing changed. */
export function applyHeadChanges(nodes: NodeStatus[], heads: HeadChange[]): NodeStatus[] {
  const latest = new Map<string, HeadChange>();
  for (const h of heads) {
    const seen = latest.get(h.nodeId);
    if (!seen || h.seq > seen.seq) latest.set(h.nodeId, h);
  }
  let changed = false;
  const next = nodes.map((n) => {
    const h = latest.get(n.id);
    if (!h || (n.height === h.height && n.headHash === h.hash)) return n;
    changed = true;
    return { ...n, height: h.height, headHash: h.hash };
  });
  return changed ? next : nodes;
}
