// Keeps the live fork tree (no `at`) current from pushes: new blocks from `blocks:new`, each
// node's head from `nodes:update`. With the default range the window slides up with the best
// height; an explicit range only takes in blocks inside it. Holders are derived here the way
// the server derives them (walk down from each tip), so they always agree with the tips shown.
// Pure, unit-tested.
import type { BlockSummary, ForkBlock, ForksResponse, NodeStatus, NodeTip } from '../../../wire/explorer-api.ts';

function toForkBlock(b: BlockSummary): ForkBlock {
  return {
    hash: b.hash,
    parentHash: b.parentHash,
    height: b.height,
    proposerName: b.proposerName,
    timestamp: b.timestamp,
    txCount: b.txCount,
    firstSeenAt: b.firstSeenAt,
    nodes: [...b.nodes].sort(),
    orphaned: b.orphaned,
  };
}

function forkPointsOf(blocks: ForkBlock[]): string[] {
  const count = new Map<string, number>();
  for (const b of blocks) count.set(b.parentHash, (count.get(b.parentHash) ?? 0) + 1);
  return blocks.filter((b) => (count.get(b.hash) ?? 0) > 1).map((b) => b.hash);
}

/**
 * How a live range follows new heights: `slide` keeps its span and moves up (the default
 * "last 60"), `grow` keeps its lower end and extends up (only `from` given), `fixed` stays.
 */
export type LiveRange = 'slide' | 'grow' | 'fixed';

/** Never hold more heights than the server would send at once. */
export const MAX_LIVE_SPAN = 500;

/** Heights the server sends when no range is asked for (the "last 60"). */
export const DEFAULT_LIVE_HEIGHTS = 60;

/** Add pushed blocks, moving the range as `range` says. */
export function applyBlocks(res: ForksResponse, incoming: BlockSummary[], range: LiveRange): ForksResponse {
  const span = res.to - res.from;
  const top = Math.max(res.to, ...incoming.map((b) => b.height));
  const to = range === 'fixed' ? res.to : top;
  // A young chain's window starts at genesis and is narrower than the default: it widens
  // with the chain until it holds the default number of heights, and only then slides.
  const slideSpan = res.from === 0 ? Math.max(span, DEFAULT_LIVE_HEIGHTS - 1) : span;
  const from = range === 'slide' ? Math.max(0, to - slideSpan) : range === 'grow' ? Math.max(res.from, to - MAX_LIVE_SPAN + 1) : res.from;
  const byHash = new Map(res.blocks.map((b) => [b.hash, b]));
  let changed = to !== res.to;
  for (const b of incoming) {
    if (b.height < from || b.height > to) continue;
    if (byHash.has(b.hash)) continue;
    byHash.set(b.hash, toForkBlock(b));
    changed = true;
  }
  if (!changed) return res;
  const blocks = [...byHash.values()].filter((b) => b.height >= from).sort((a, b) => a.height - b.height || a.hash.localeCompare(b.hash));
  return withHolders({ ...res, from, to, at: Date.now(), blocks, forkPoints: forkPointsOf(blocks) });
}

/**
 * Move each node's tip to its current head. A head whose block has not arrived yet (a status
 * push can overtake the block push) keeps the old tip until it does; the block push re-applies
 * the latest statuses.
 */
export function applyNodes(res: ForksResponse, nodes: NodeStatus[]): ForksResponse {
  const old = new Map(res.tips.map((t) => [t.nodeId, t]));
  const known = new Set(res.blocks.map((b) => b.hash));
  let changed = false;
  const tips: NodeTip[] = [];
  for (const n of nodes) {
    const prev = old.get(n.id);
    const waiting = n.headHash !== null && n.height !== null && !known.has(n.headHash) && n.height >= res.from;
    if (!n.headHash || n.height === null || (prev && prev.hash === n.headHash) || (waiting && prev)) {
      if (prev) tips.push(prev);
      continue;
    }
    changed = true;
    tips.push({ nodeId: n.id, name: n.name, hash: n.headHash, height: n.height, since: n.lastHeadAt ?? Date.now() });
  }
  if (!changed && tips.length === res.tips.length) return res;
  tips.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return withHolders({ ...res, tips });
}

/** Holders of each block = nodes whose tip descends from it; orphaned = a held sibling exists. */
export function withHolders(res: ForksResponse): ForksResponse {
  const byHash = new Map(res.blocks.map((b) => [b.hash, b]));
  const holders = new Map<string, string[]>();
  for (const t of res.tips) {
    for (let b = byHash.get(t.hash); b; b = byHash.get(b.parentHash)) holders.set(b.hash, [...(holders.get(b.hash) ?? []), t.nodeId]);
  }
  const heldHeights = new Set(res.blocks.filter((b) => holders.has(b.hash)).map((b) => b.height));
  let changed = false;
  const blocks = res.blocks.map((b) => {
    const nodes = (holders.get(b.hash) ?? []).sort();
    const orphaned = nodes.length === 0 && heldHeights.has(b.height);
    if (orphaned === b.orphaned && nodes.join() === b.nodes.join()) return b;
    changed = true;
    return { ...b, nodes, orphaned };
  });
  return changed ? { ...res, blocks } : res;
}
