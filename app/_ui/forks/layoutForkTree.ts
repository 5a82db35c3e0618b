// Where each block of the fork view goes: its column is its height, its lane (row) is its
// branch. The branch most nodes follow runs straight along lane 0; every side branch gets the
// first lane below whose stretch of heights is free, so 200 heights with many one-block
// orphans stay a few lanes tall. Pure: no React, no DOM, unit-tested.
import type { ForkBlock, NodeTip } from '../../../wire/explorer-api.ts';

export interface PlacedBlock {
  block: ForkBlock;
  /** Column: height − minHeight. */
  col: number;
  lane: number;
  /** Nodes whose chain passes through this block (its holders plus tips above it). */
  weight: number;
}

export interface Branch {
  lane: number;
  /** Blocks of the branch, lowest height first. */
  blocks: PlacedBlock[];
  /** The block this branch forks from, when it is in range. */
  parent: PlacedBlock | null;
  weight: number;
}

export interface ForkLayout {
  minHeight: number;
  maxHeight: number;
  columns: number;
  laneCount: number;
  blocks: PlacedBlock[];
  byHash: Map<string, PlacedBlock>;
  /** Parent → child links between blocks both in range. */
  edges: Array<{ parent: PlacedBlock; child: PlacedBlock }>;
  branches: Branch[];
  /** Block hash → the tips of the nodes whose head it is. */
  tipsAt: Map<string, NodeTip[]>;
  /** Tips whose block is not in the range (below it, or not indexed yet). */
  missingTips: NodeTip[];
  /** Blocks with more than one child in range: where the chain split. */
  forkPoints: Set<string>;
  /** Blocks with children, keyed by hash (for keyboard navigation). */
  children: Map<string, PlacedBlock[]>;
}

export interface LayoutOptions {
  /** Free columns kept to the right of a branch tip that carries node labels. */
  tipLabelColumns?: number;
}

const byName = (a: NodeTip, b: NodeTip) => a.name.localeCompare(b.name, undefined, { numeric: true });

export function layoutForkTree(blocks: ForkBlock[], tips: NodeTip[], opts: LayoutOptions = {}): ForkLayout {
  const labelCols = opts.tipLabelColumns ?? 4;
  const byHashBlock = new Map<string, ForkBlock>();
  for (const b of blocks) byHashBlock.set(b.hash, b);
  const unique = [...byHashBlock.values()];

  const tipsAt = new Map<string, NodeTip[]>();
  const missingTips: NodeTip[] = [];
  for (const t of tips) {
    if (byHashBlock.has(t.hash)) tipsAt.set(t.hash, [...(tipsAt.get(t.hash) ?? []), t]);
    else missingTips.push(t);
  }
  for (const list of tipsAt.values()) list.sort(byName);
  missingTips.sort(byName);

  if (unique.length === 0) {
    return {
      minHeight: 0,
      maxHeight: -1,
      columns: 0,
      laneCount: 0,
      blocks: [],
      byHash: new Map(),
      edges: [],
      branches: [],
      tipsAt,
      missingTips,
      forkPoints: new Set(),
      children: new Map(),
    };
  }

  const childrenOf = new Map<string, ForkBlock[]>();
  for (const b of unique) {
    if (!byHashBlock.has(b.parentHash)) continue;
    childrenOf.set(b.parentHash, [...(childrenOf.get(b.parentHash) ?? []), b]);
  }

  // Nodes through each block: its holders, plus every node whose tip lies at or above it
  // (so the ranking holds even when the server sends no holders). Children before parents.
  const ordered = [...unique].sort((a, b) => b.height - a.height);
  const through = new Map<string, Set<string>>();
  const reach = new Map<string, number>(); // highest height in the block's subtree
  for (const b of ordered) {
    const set = new Set(b.nodes);
    for (const t of tipsAt.get(b.hash) ?? []) set.add(t.nodeId);
    let top = b.height;
    for (const c of childrenOf.get(b.hash) ?? []) {
      for (const id of through.get(c.hash)!) set.add(id);
      top = Math.max(top, reach.get(c.hash)!);
    }
    through.set(b.hash, set);
    reach.set(b.hash, top);
  }
  const weight = (b: ForkBlock) => through.get(b.hash)!.size;
  // Heavier first; then the branch that reaches higher; then the lower hash (fork choice's tie-break).
  const rank = (a: ForkBlock, b: ForkBlock) => weight(b) - weight(a) || reach.get(b.hash)! - reach.get(a.hash)! || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);

  // Split the tree into branches: from each start, follow the best child; every other child
  // starts a branch of its own.
  interface RawBranch {
    blocks: ForkBlock[];
    parent: ForkBlock | null;
  }
  const raw: RawBranch[] = [];
  const starts: Array<{ block: ForkBlock; parent: ForkBlock | null }> = unique
    .filter((b) => !byHashBlock.has(b.parentHash))
    .sort(rank)
    .map((block) => ({ block, parent: null }));
  while (starts.length > 0) {
    const { block, parent } = starts.shift()!;
    const chain: ForkBlock[] = [];
    let cur: ForkBlock | undefined = block;
    while (cur) {
      chain.push(cur);
      const kids = [...(childrenOf.get(cur.hash) ?? [])].sort(rank);
      for (const k of kids.slice(1)) starts.push({ block: k, parent: cur });
      cur = kids[0];
    }
    raw.push({ blocks: chain, parent });
  }

  const minHeight = Math.min(...unique.map((b) => b.height));
  const maxHeight = Math.max(...unique.map((b) => b.height));

  // Lane 0 for the heaviest branch; the others by weight, then left to right (which packs
  // intervals into the fewest lanes), each into the first lane whose occupied columns it does
  // not touch (including the fork's elbow and the room the tip's labels need).
  const order = raw
    .map((r, i) => ({ r, i }))
    .sort((x, y) => {
      if (x.i === 0 || y.i === 0) return x.i === 0 ? -1 : 1;
      const a = x.r.blocks[0];
      const b = y.r.blocks[0];
      return weight(b) - weight(a) || a.height - b.height || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0);
    });
  const occupied: Array<Array<[number, number]>> = [];
  const placed = new Map<string, PlacedBlock>();
  const branches: Branch[] = [];
  for (const { r } of order) {
    const first = r.blocks[0].height - minHeight;
    const last = r.blocks[r.blocks.length - 1];
    const end = last.height - minHeight + (tipsAt.has(last.hash) ? labelCols : 0);
    const span: [number, number] = [first - 1, end + 1];
    let lane = 0;
    if (branches.length > 0) {
      lane = 1;
      while ((occupied[lane] ?? []).some(([a, b]) => span[0] <= b && a <= span[1])) lane++;
    }
    (occupied[lane] ??= []).push(span);
    const pbs = r.blocks.map((b) => {
      const p: PlacedBlock = { block: b, col: b.height - minHeight, lane, weight: weight(b) };
      placed.set(b.hash, p);
      return p;
    });
    branches.push({ lane, blocks: pbs, parent: null, weight: weight(r.blocks[0]) });
  }
  // Parents are placed once every branch is: a side branch's parent lies on an earlier one.
  order.forEach(({ r }, i) => {
    if (r.parent) branches[i].parent = placed.get(r.parent.hash) ?? null;
  });

  const edges: ForkLayout['edges'] = [];
  const children = new Map<string, PlacedBlock[]>();
  const forkPoints = new Set<string>();
  for (const [parentHash, kids] of childrenOf) {
    const parent = placed.get(parentHash)!;
    const pk = kids.map((k) => placed.get(k.hash)!).sort((a, b) => a.lane - b.lane);
    children.set(parentHash, pk);
    if (kids.length > 1) forkPoints.add(parentHash);
    for (const child of pk) edges.push({ parent, child });
  }

  const all = [...placed.values()].sort((a, b) => a.col - b.col || a.lane - b.lane);
  return {
    minHeight,
    maxHeight,
    columns: maxHeight - minHeight + 1,
    laneCount: occupied.length,
    blocks: all,
    byHash: placed,
    edges,
    branches,
    tipsAt,
    missingTips,
    forkPoints,
    children,
  };
}
