// Pure helper for the node rows and the verdict a page shows: they live in ONE cache entry,
// filled only by whole snapshots (GET /api/nodes, `nodes:update`), each numbered by the
// monitor. Rows, their lag and the banner are therefore always one evaluation's (issue 16:
// moving a row's height on `heads:new` while its lag and the banner waited for the next
// snapshot showed height 63 with lag 1 under "agree at height 62").
import type { NodeStatus, NodesResponse } from '../../../wire/explorer-api.ts';

/**
 * The snapshot to keep: the newer of the one held and the one that arrived. An HTTP answer
 * sent before a push can arrive after it; it must not take the page back in time.
 */
export function newerSnapshot(held: NodesResponse | undefined, arrived: NodesResponse): NodesResponse {
  return held && held.seq > arrived.seq ? held : arrived;
}

/** A `nodes:update` push (rows, then the verdict of the same evaluation) as the snapshot it is. */
export function snapshotOfPush(nodes: NodeStatus[], verdict: Omit<NodesResponse, 'nodes'>): NodesResponse {
  return { nodes, network: verdict.network, seq: verdict.seq };
}
