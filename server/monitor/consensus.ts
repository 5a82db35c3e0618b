// Pure consensus rules: from each node's head and recent canonical chain, decide whether the
// network agrees, which nodes follow which branch, where the branches split, and each node's
// sync status. No I/O here, so every rule is unit-tested directly.
import type { NetworkConsensus, NodeSyncStatus } from '../../wire/explorer-api.ts';

export interface NodeChainView {
  id: string;
  /** False when the node does not answer (no stream, no /health). */
  reachable: boolean;
  head: { height: number; hash: string } | null;
  /** When the head last changed (ms). */
  lastHeadAt: number | null;
  /** The node's canonical hash at a height, if known (recent window). */
  hashAt(height: number): string | undefined;
}

export interface ConsensusOptions {
  now: number;
  blockTimeMs: number;
  /** A head unchanged for this many block times counts as stalled. */
  stallBlockTimes: number;
  /** A node this many blocks under the best head of its branch counts as behind. */
  behindBlocks: number;
}

export interface ConsensusVerdict {
  network: NetworkConsensus;
  nodes: Map<string, { status: NodeSyncStatus; reason: string | null; lag: number | null }>;
}

/** True when `lower`'s head lies on `higher`'s canonical chain. */
function onSameBranch(higher: NodeChainView, lower: NodeChainView): boolean {
  if (!higher.head || !lower.head) return false;
  return higher.hashAt(lower.head.height) === lower.head.hash;
}

/** Highest height where both canonical chains hold the same hash (scan down from the lower head). */
export function commonAncestorHeight(a: NodeChainView, b: NodeChainView): number | null {
  if (!a.head || !b.head) return null;
  for (let h = Math.min(a.head.height, b.head.height); h >= 0; h--) {
    const x = a.hashAt(h);
    const y = b.hashAt(h);
    if (x === undefined || y === undefined) return null; // outside the known window
    if (x === y) return h;
  }
  return null;
}

export function judgeConsensus(views: NodeChainView[], opts: ConsensusOptions): ConsensusVerdict {
  const nodes: ConsensusVerdict['nodes'] = new Map();
  const live = views.filter((v) => v.reachable && v.head);
  for (const v of views) {
    if (!v.reachable) nodes.set(v.id, { status: 'down', reason: 'not answering', lag: null });
    // Reachable but not yet read (the indexer is still connecting or backfilling): not down.
    else if (!v.head) nodes.set(v.id, { status: 'behind', reason: 'connecting: no head read yet', lag: null });
  }
  if (live.length === 0) {
    return { network: { status: 'unknown', agreedHeight: null }, nodes };
  }

  // Group nodes by branch: highest heads first, each joining the first group whose
  // representative (its highest node) has this node's head on its chain.
  const sorted = [...live].sort((a, b) => b.head!.height - a.head!.height || a.id.localeCompare(b.id));
  const groups: NodeChainView[][] = [];
  for (const v of sorted) {
    const group = groups.find((g) => onSameBranch(g[0], v));
    if (group) group.push(v);
    else groups.push([v]);
  }
  // The main branch: most nodes, then the highest head.
  groups.sort((a, b) => b.length - a.length || b[0].head!.height - a[0].head!.height);
  const main = groups[0];
  const bestHeight = sorted[0].head!.height;

  const stallMs = opts.stallBlockTimes * opts.blockTimeMs;
  const lastMove = Math.max(...live.map((v) => v.lastHeadAt ?? 0));
  const networkStalled = opts.now - lastMove > stallMs;

  for (const group of groups) {
    const top = group[0].head!.height;
    for (const v of group) {
      const lag = bestHeight - v.head!.height;
      const idle = v.lastHeadAt !== null && opts.now - v.lastHeadAt > stallMs;
      if (group !== main) {
        const ancestor = commonAncestorHeight(main[0], v);
        const where = ancestor === null ? 'below the recent window' : `at height ${ancestor + 1}`;
        nodes.set(v.id, { status: 'diverged', reason: `on another branch, split ${where}`, lag });
      } else if (idle) {
        const secs = Math.round((opts.now - v.lastHeadAt!) / 1000);
        nodes.set(v.id, { status: 'stalled', reason: `no new head for ${secs} s`, lag });
      } else if (top - v.head!.height >= opts.behindBlocks) {
        nodes.set(v.id, { status: 'behind', reason: `${top - v.head!.height} blocks behind`, lag });
      } else {
        nodes.set(v.id, { status: 'in-sync', reason: null, lag });
      }
    }
  }

  const agreedHeight = groups.length === 1 ? Math.min(...live.map((v) => v.head!.height)) : lowestAncestor(groups);
  if (groups.length > 1) {
    const forkAt = agreedHeight === null ? undefined : agreedHeight + 1;
    return {
      network: {
        status: 'forked',
        agreedHeight,
        ...(forkAt !== undefined ? { forkHeight: forkAt } : {}),
        groups: groups.map((g) => g.map((v) => v.id).sort()),
      },
      nodes,
    };
  }
  return {
    network: { status: networkStalled ? 'stalled' : 'agreed', agreedHeight, groups: [main.map((v) => v.id).sort()] },
    nodes,
  };
}

function lowestAncestor(groups: NodeChainView[][]): number | null {
  let lowest: number | null = null;
  for (let i = 1; i < groups.length; i++) {
    const h = commonAncestorHeight(groups[0][0], groups[i][0]);
    if (h === null) return null;
    lowest = lowest === null ? h : Math.min(lowest, h);
  }
  return lowest;
}
