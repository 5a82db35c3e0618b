// Pairs each committed height's proposal with its commit on every node, pure: the proposal
// time is the block header's timestamp (the proposer's clock when it built the block, whole
// ms, floored: a latency is over-stated by < 1 ms), the commit time is the node's `block`
// event `acceptedAt` (sub-ms): a BFT block is accepted only with its commit certificate.
//
// A height of the window yields one sample per node that accepted its block, and one
// "every node" figure (the last node's) when all did. Heights with two different blocks would
// be a safety violation: they are counted, not measured.

export interface CommittedBlock {
  height: number;
  hash: string;
  /** Header timestamp: when the proposer built the block (Unix ms). */
  proposedAt: number;
  /** Node index → when that node accepted the block with its commit (Unix ms, sub-ms). */
  acceptedAt: ReadonlyMap<number, number>;
  /** Round of the commit certificate, when a node reported it; null when none did. */
  round: number | null;
  /** Index of the node that proposed it (its header's proposer), -1 when not one of the nodes tapped. */
  proposer: number;
}

export interface LatencyWindow {
  /** Heights in (fromHeight, toHeight] are measured: the warm-up ends at fromHeight. */
  fromHeight: number;
  toHeight: number;
  nodes: number;
}

export interface CommitLatencies {
  /** Heights of the window with exactly one block. */
  heights: number;
  /** ms, one per (height, node that accepted it): acceptance − proposal. */
  samples: number[];
  /** ms, one per height every node accepted: the last node's acceptance − proposal. */
  everyNode: number[];
  /** (height, node) pairs with no acceptance: a stream lost, or a node that fell behind. */
  missing: number;
  /** Heights of the window never seen by any node. */
  absentHeights: number;
  /** Heights committed in a round above 0. */
  roundsAboveZero: number;
  /** Heights with more than one block (never in a safe BFT network). */
  forkedHeights: number;
  /** Samples below zero: an acceptance before the proposer's build time (clock trouble). */
  negative: number;
}

export function commitLatencies(blocks: Iterable<CommittedBlock>, w: LatencyWindow): CommitLatencies {
  const byHeight = new Map<number, CommittedBlock[]>();
  for (const b of blocks) {
    if (b.height <= w.fromHeight || b.height > w.toHeight) continue;
    const list = byHeight.get(b.height);
    if (list) list.push(b);
    else byHeight.set(b.height, [b]);
  }
  const out: CommitLatencies = { heights: 0, samples: [], everyNode: [], missing: 0, absentHeights: 0, roundsAboveZero: 0, forkedHeights: 0, negative: 0 };
  for (let h = w.fromHeight + 1; h <= w.toHeight; h++) {
    const list = byHeight.get(h);
    if (!list) {
      out.absentHeights++;
      continue;
    }
    if (list.length > 1) {
      out.forkedHeights++;
      continue;
    }
    const [b] = list;
    out.heights++;
    if (b.round !== null && b.round > 0) out.roundsAboveZero++;
    let last = -Infinity;
    for (let node = 0; node < w.nodes; node++) {
      const at = b.acceptedAt.get(node);
      if (at === undefined) {
        out.missing++;
        continue;
      }
      const d = at - b.proposedAt;
      if (d < 0) out.negative++;
      out.samples.push(d);
      last = Math.max(last, d);
    }
    if (b.acceptedAt.size >= w.nodes) out.everyNode.push(last);
  }
  return out;
}

/**
 * For each window height: how long its proposer paused between accepting the block below (by
 * its own clock) and building this one. A validator that decided the height below itself
 * waits commitWait (the block time) before the next; a much shorter pause means it took the
 * block below from gossip with its commit before deciding it, and started the height at once.
 */
export function proposerPauses(blocks: Iterable<CommittedBlock>, w: LatencyWindow): Array<{ height: number; pauseMs: number }> {
  const byHeight = new Map<number, CommittedBlock[]>();
  for (const b of blocks) byHeight.set(b.height, [...(byHeight.get(b.height) ?? []), b]);
  const pauses: Array<{ height: number; pauseMs: number }> = [];
  for (let h = w.fromHeight + 1; h <= w.toHeight; h++) {
    const [b, ...more] = byHeight.get(h) ?? [];
    const [below, ...moreBelow] = byHeight.get(h - 1) ?? [];
    if (!b || !below || more.length > 0 || moreBelow.length > 0 || b.proposer < 0) continue;
    const acceptedBelow = below.acceptedAt.get(b.proposer);
    if (acceptedBelow !== undefined) pauses.push({ height: h, pauseMs: b.proposedAt - acceptedBelow });
  }
  return pauses;
}

/** measured ÷ goal, or null when nothing was measured. */
export function goalRatio(measured: number | null, goalMs: number): number | null {
  return measured === null ? null : measured / goalMs;
}
