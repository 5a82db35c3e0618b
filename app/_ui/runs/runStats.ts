// What a recorded run's head history says about how the engine behaved under its faults, for
// the run page and the PoA-vs-BFT comparison: how many branches the nodes' heads were on at
// once (forks), how often and how deep a node abandoned blocks (reorgs), and the longest time
// the chain made no progress (stalls). Derived from readings of (node, time, height, hash)
// alone, so it works the same on a run recorded here and on an imported one. Pure, unit-tested.
import type { ChainReading, RunHistory } from '../../../wire/run-history.ts';

export interface Reorg {
  nodeId: string;
  at: number;
  /** The node's head before and after. */
  fromHeight: number;
  toHeight: number;
  /** Blocks of its old chain the node abandoned (down to the highest height both chains share). */
  depth: number;
}

export interface Span {
  from: number;
  to: number;
}

export interface Stall {
  /** The last advance before the stall (or the run's start) and the next advance (or the run's end). */
  from: number;
  to: number;
  ms: number;
}

export interface RunStats {
  /** Most distinct branches the nodes' heads were on at one sample time (1: all on one chain). */
  maxBranches: number;
  /** When that most was first seen; null when the heads never split. */
  maxBranchesAt: number | null;
  /** Total time with heads on more than one branch, ms. */
  forkedMs: number;
  /** When the heads were on more than one branch (from the sample that saw it to the one that saw them agree). */
  forkedSpans: Span[];
  reorgs: Reorg[];
  deepestReorg: number;
  /** The longest time no node's head rose (BFT: no node's finalized height rose). */
  longestStall: Stall | null;
  /** What the stall was measured on. */
  progress: 'head' | 'finalized';
}

/** A node's view of its own chain as far as the readings show it: height → hash. */
type Chain = Map<number, string>;

/** Readings ordered by time, readings of one sample time kept together (stable sort). */
function byTime(readings: readonly ChainReading[]): ChainReading[] {
  return [...readings].sort((a, b) => a.at - b.at);
}

/**
 * The highest height at or below `top` where both chains are known and agree, or null when
 * none is known. Heights only one chain knows are skipped: readings are samples, not every block.
 */
function forkPoint(a: Chain, b: Chain, top: number): number | null {
  for (let k = top; k >= 0; k--) {
    const x = a.get(k);
    const y = b.get(k);
    if (x !== undefined && y !== undefined && x === y) return k;
  }
  return null;
}

/** Another node whose chain holds `hash` at `height`: the branch a node just moved onto. */
function donorOf(chains: Map<string, Chain>, self: string, height: number, hash: string): Chain | undefined {
  for (const [id, chain] of chains) if (id !== self && chain.get(height) === hash) return chain;
  return undefined;
}

/**
 * Whether two heads are on different branches. The lower head is on the higher one's branch
 * when the higher node's chain holds the lower head's hash at its height; when that height is
 * unknown (not sampled) they are taken as one branch, so propagation lag is never a fork.
 */
function apart(a: { height: number; hash: string }, b: { height: number; hash: string }, chainOfHigher: Chain): boolean {
  if (a.hash === b.hash) return false;
  if (a.height === b.height) return true;
  const low = a.height < b.height ? a : b;
  const known = chainOfHigher.get(low.height);
  return known !== undefined && known !== low.hash;
}

/** How many branches the current heads are on: heads not on any other head's branch count once each. */
function branchCount(heads: Map<string, ChainReading>, chains: Map<string, Chain>): number {
  const list = [...heads.values()].sort((a, b) => b.height - a.height);
  const tips: ChainReading[] = [];
  for (const h of list) {
    const onTip = tips.some((t) => !apart(t, h, chains.get(t.nodeId)!));
    if (!onTip) tips.push(h);
  }
  return tips.length;
}

interface HeadWalk {
  maxBranches: number;
  maxBranchesAt: number | null;
  forkedMs: number;
  forkedSpans: Span[];
  reorgs: Reorg[];
}

/**
 * Replays the head readings in time order. A reorg is a node's head moving to a different hash
 * at a height at or below its previous one, or moving up onto another node's branch that
 * holds a different block at the node's previous height. Its depth is counted down to the
 * highest height both chains share, when the readings show one; otherwise the heights the
 * head went back (at least 1).
 */
function walkHeads(readings: readonly ChainReading[], endedAt: number): HeadWalk {
  const heads = new Map<string, ChainReading>();
  const chains = new Map<string, Chain>();
  const reorgs: Reorg[] = [];
  let maxBranches = 0;
  let maxBranchesAt: number | null = null;
  const forkedSpans: Span[] = [];
  let forkedSince: number | null = null;
  const sorted = byTime(readings);
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i];
    const prev = heads.get(r.nodeId);
    let chain = chains.get(r.nodeId);
    if (!chain) chains.set(r.nodeId, (chain = new Map()));
    if (prev && prev.hash !== r.hash) {
      const donor = donorOf(chains, r.nodeId, r.height, r.hash);
      const back = r.height <= prev.height;
      const otherBranch = !back && donor !== undefined && donor.get(prev.height) !== undefined && donor.get(prev.height) !== prev.hash;
      if (back || otherBranch) {
        const fork = donor ? forkPoint(chain, donor, Math.min(prev.height, r.height)) : null;
        const depth = fork !== null ? prev.height - fork : prev.height - r.height + 1;
        reorgs.push({ nodeId: r.nodeId, at: r.at, fromHeight: prev.height, toHeight: r.height, depth: Math.max(1, depth) });
        // The node's chain is now the branch it moved onto: the donor's blocks up to here.
        const next: Chain = new Map();
        const keep = donor ?? chain;
        const below = donor ? r.height + 1 : Math.min(r.height, fork ?? r.height);
        for (const [k, v] of keep) if (k < below) next.set(k, v);
        chains.set(r.nodeId, (chain = next));
      }
    }
    chain.set(r.height, r.hash);
    heads.set(r.nodeId, r);
    // Judge branches once every reading of this sample time is in.
    if (i + 1 < sorted.length && sorted[i + 1].at === r.at) continue;
    const branches = branchCount(heads, chains);
    if (branches > maxBranches) {
      maxBranches = branches;
      maxBranchesAt = r.at;
    }
    if (branches > 1 && forkedSince === null) forkedSince = r.at;
    if (branches <= 1 && forkedSince !== null) {
      forkedSpans.push({ from: forkedSince, to: r.at });
      forkedSince = null;
    }
  }
  if (forkedSince !== null) forkedSpans.push({ from: forkedSince, to: Math.max(forkedSince, endedAt) });
  const forkedMs = forkedSpans.reduce((sum, x) => sum + (x.to - x.from), 0);
  return { maxBranches, maxBranchesAt: maxBranches > 1 ? maxBranchesAt : null, forkedMs, forkedSpans, reorgs };
}

/**
 * The longest time between two moments some node's height rose above its own highest so far
 * (the run's start and end bound the first and last gap). On a chain a node must reach again
 * after a reorg, reaching the same height again is not progress.
 */
export function longestStall(readings: readonly ChainReading[], startedAt: number, endedAt: number): Stall | null {
  if (endedAt <= startedAt) return null;
  const best = new Map<string, number>();
  let last = startedAt;
  let longest: Stall | null = null;
  const consider = (to: number) => {
    if (!longest || to - last > longest.ms) longest = { from: last, to, ms: to - last };
  };
  for (const r of byTime(readings)) {
    const top = best.get(r.nodeId);
    if (top === undefined) {
      best.set(r.nodeId, r.height);
      continue;
    }
    if (r.height > top) {
      best.set(r.nodeId, r.height);
      consider(r.at);
      last = r.at;
    }
  }
  consider(endedAt);
  return longest;
}

export function runStats(history: RunHistory): RunStats {
  const walk = walkHeads(history.heads, history.endedAt);
  const finality = history.engine === 'bft' && history.finalized.length > 0;
  return {
    ...walk,
    deepestReorg: walk.reorgs.reduce((m, r) => Math.max(m, r.depth), 0),
    longestStall: longestStall(finality ? history.finalized : history.heads, history.startedAt, history.endedAt),
    progress: finality ? 'finalized' : 'head',
  };
}
