// Pure consensus rules: from each node's head and recent canonical chain, decide whether the
// network agrees, which nodes follow which branch, where the branches split, and each node's
// sync status. No I/O here, so every rule is unit-tested directly.
//
// On a BFT network (any node reports the engine 'bft') finality adds one verdict: when no
// node's finalized height rose for `stallBlockTimes` block times the network is 'halted' (not
// merely 'stalled': BFT stops on purpose without a quorum, to stay safe), with the reason in
// words (how many validators answer against the quorum, which do not). 'forked' still wins,
// since it is the worse news. PoA views carry no finality and are judged exactly as before.
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
  /** Shown in reasons instead of the id, when known. */
  name?: string;
  /** The node votes (genesis validator set); counted against the BFT quorum. */
  validator?: boolean;
  /** The engine the node reports on /health (`consensus.engine`), when it reports one. */
  engine?: string | null;
  /** The node's finalized tip (`blockchain.finalized_*` on /health); null on PoA or not yet read. */
  finalized?: { height: number; hash: string } | null;
  /** When the node's finalized height last rose (ms). */
  lastFinalizedAt?: number | null;
  /** The node's public key (how votes name validators). */
  publicKey?: string;
  /** BFT, while halted: public keys of the validators whose votes this node hears in its current round (votes-heard.ts); null when not read. */
  votesHeard?: string[] | null;
  /**
   * Only the head is known (a health-only node: no chain to compare below it), so an unknown
   * hash at a height means "cannot tell", not "another branch": such a node is judged diverged
   * only where two hashes at one height are known and differ.
   */
  headOnly?: boolean;
}

/** Votes needed to finalize among n validators of equal power: more than two thirds. */
export function bftQuorum(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
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

/**
 * True when `v`'s head lies on the branch of `group` (its first node holds the highest head).
 * Full nodes compare against that first node's chain. When it cannot tell and a health-only
 * node is involved, `v` joins unless a member that knows the hash at `v`'s height disagrees.
 */
function onSameBranch(group: NodeChainView[], v: NodeChainView): boolean {
  const top = group[0];
  if (!top.head || !v.head) return false;
  const known = top.hashAt(v.head.height);
  if (known !== undefined) return known === v.head.hash;
  if (!top.headOnly && !v.headOnly) return false;
  return group.every((m) => {
    const hash = m.hashAt(v.head!.height);
    return hash === undefined || hash === v.head!.hash;
  });
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
  const verdict = judgeHeads(views, opts);
  const engine = views.some((v) => v.engine === 'bft') ? 'bft' : views.find((v) => v.engine)?.engine;
  if (!engine) return verdict;
  if (engine !== 'bft') return { ...verdict, network: { ...verdict.network, engine } };
  return { ...verdict, network: judgeFinality(views, verdict.network, opts) };
}

/**
 * `finalizedHeight` is the highest height finalized by every reachable node that reports
 * finality (the lowest of their finalized tips), like `agreedHeight` for heads: every block at
 * or under it is final everywhere one can look. Halted: the network's highest finalized
 * height did not rise for k block times. It rose when the first node reached it, so progress
 * is the earliest `lastFinalizedAt` among the nodes at that height: a lagging node syncing up
 * to it later is not progress, and a node that finalized and then went down still counts.
 */
function judgeFinality(views: NodeChainView[], network: NetworkConsensus, opts: ConsensusOptions): NetworkConsensus {
  const tips = views.filter((v) => v.reachable && v.finalized).map((v) => v.finalized!.height);
  const out: NetworkConsensus = { ...network, engine: 'bft', finalizedHeight: tips.length ? Math.min(...tips) : null };
  const known = views.filter((v) => v.finalized && typeof v.lastFinalizedAt === 'number');
  if (network.status === 'forked' || known.length === 0) return out;
  const top = Math.max(...known.map((v) => v.finalized!.height));
  const rose = Math.min(...known.filter((v) => v.finalized!.height === top).map((v) => v.lastFinalizedAt!));
  const idleMs = opts.now - rose;
  if (idleMs <= opts.stallBlockTimes * opts.blockTimeMs) return out;

  const validators = views.filter((v) => v.validator);
  const reachable = validators.filter((v) => v.reachable);
  const missing = validators.filter((v) => !v.reachable);
  const quorum = bftQuorum(validators.length);
  const missingNames = missing.length ? ` (missing: ${missing.map((v) => v.name ?? v.id).join(', ')})` : '';
  const secs = Math.round(idleMs / 1000);
  const votes = missingVotes(reachable, validators);
  const votesText = votes.length ? `; ${describeMissingVotes(votes, validators, quorum)}` : '';
  const reason =
    validators.length === 0
      ? `no block finalized for ${secs} s (no validator known)`
      : reachable.length < quorum
        ? `no quorum: ${reachable.length} of ${validators.length} validators reachable, need ${quorum}${missingNames}${votesText}`
        : `no block finalized for ${secs} s although ${reachable.length} of ${validators.length} validators are reachable (quorum ${quorum})${missingNames}${votesText}`;
  return {
    ...out,
    status: 'halted',
    reason,
    validators: {
      total: validators.length,
      reachable: reachable.length,
      quorum,
      missing: missing.map((v) => v.id),
      ...(votes.length ? { missingVotes: votes } : {}),
    },
  };
}

/** Per reachable validator whose heard votes are known: the validators (ids) whose votes it lacks. */
function missingVotes(reachable: NodeChainView[], validators: NodeChainView[]): Array<{ nodeId: string; missing: string[] }> {
  const out: Array<{ nodeId: string; missing: string[] }> = [];
  for (const v of reachable) {
    if (!v.votesHeard) continue;
    const heard = new Set(v.votesHeard);
    const lacking = validators.filter((w) => w.publicKey !== undefined && !heard.has(w.publicKey)).map((w) => w.id);
    if (lacking.length) out.push({ nodeId: v.id, missing: lacking });
  }
  return out;
}

/** "node-1, node-2 lack votes from node-3, node-4 (hear 2 of 4, need 3)": nodes with the same gap grouped. */
export function describeMissingVotes(votes: Array<{ nodeId: string; missing: string[] }>, validators: NodeChainView[], quorum: number): string {
  const name = (id: string) => validators.find((v) => v.id === id)?.name ?? id;
  const groups = new Map<string, string[]>();
  for (const v of votes) {
    const key = v.missing.join(',');
    groups.set(key, [...(groups.get(key) ?? []), v.nodeId]);
  }
  const parts = [...groups].map(([key, nodes]) => {
    const lacking = key.split(',');
    const hears = validators.length - lacking.length;
    return `${nodes.map(name).join(', ')} lack${nodes.length === 1 ? 's' : ''} votes from ${lacking.map(name).join(', ')} (hear ${hears} of ${validators.length}, need ${quorum})`;
  });
  return `votes missing: ${parts.join('; ')}`;
}

/** The head-level rules (both engines): branches, fork height, stall, per-node status. */
function judgeHeads(views: NodeChainView[], opts: ConsensusOptions): ConsensusVerdict {
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
    const group = groups.find((g) => onSameBranch(g, v));
    if (group) group.push(v);
    else groups.push([v]);
  }
  // The main branch: the one most nodes follow (then the highest head, for the order of
  // `groups`). In an even split no branch is main: both sides grow at the same pace and take
  // turns being a block ahead, so calling the side ahead "in sync" would flip every few slots.
  groups.sort((a, b) => b.length - a.length || b[0].head!.height - a[0].head!.height);
  const main = groups.length > 1 && groups[1].length === groups[0].length ? null : groups[0];
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
        // Where this branch left the main one, or (even split) the nearest other branch.
        const other = main?.[0] ?? (group === groups[0] ? groups[1][0] : groups[0][0]);
        const ancestor = commonAncestorHeight(other, v);
        const where =
          ancestor !== null
            ? `at height ${ancestor + 1}`
            : v.headOnly || other.headOnly
              ? 'at an unknown height (a health-only node reports only its head)'
              : 'below the recent window';
        const reason = main ? `on another branch, split ${where}` : `split ${where} into branches of ${groups[0].length} nodes each: none is the main one`;
        nodes.set(v.id, { status: 'diverged', reason, lag });
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
    network: { status: networkStalled ? 'stalled' : 'agreed', agreedHeight, groups: [groups[0].map((v) => v.id).sort()] },
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
