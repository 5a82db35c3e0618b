// Where the proposal → commit time goes, pure: for every (height, node) of round 0 in the
// window, the node's own step changes (its `round` events, whole ms) split the latency into
//   proposal → height start  how long the proposal waited for the node to begin the height
//                          (0 when the node was there first): each node begins a height
//                          commitWait after its own decision of the one below
//   proposal → prevote     the proposal reached the node and was checked (block, txs, header)
//   prevote → precommit    > 2/3 prevotes arrived (a polka)
//   precommit → accepted   > 2/3 precommits arrived, the block was decided, imported with its
//                          commit (certificate check, state) and published (acceptedAt, sub-ms)
// (The node's `commit` step event is published after the import, so it cannot split the last
// phase.)
// Step times are floored to the ms, so each phase is ±1 ms per sample; medians and p99s over
// hundreds of samples still show which phase grows with the validator count.
import type { CommittedBlock, LatencyWindow } from './commit-latency.ts';

/** When a node entered each step of round 0 of one height (Unix ms). */
export type StepTimes = Partial<Record<'propose' | 'prevote' | 'precommit' | 'commit', number>>;

export const PHASES = ['proposal → height start', 'proposal → prevote', 'prevote → precommit', 'precommit → accepted'] as const;
export type Phase = (typeof PHASES)[number];

/** ms samples per phase, over the round-0 heights of the window. */
export function phaseBreakdown(blocks: Iterable<CommittedBlock>, steps: ReadonlyMap<number, ReadonlyMap<number, StepTimes>>, w: LatencyWindow): Record<Phase, number[]> {
  const out = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<Phase, number[]>;
  for (const b of blocks) {
    if (b.height <= w.fromHeight || b.height > w.toHeight || b.round !== 0) continue;
    const perNode = steps.get(b.height);
    if (!perNode) continue;
    for (const [node, t] of perNode) {
      const accepted = b.acceptedAt.get(node);
      if (t.propose !== undefined) out['proposal → height start'].push(Math.max(0, t.propose - b.proposedAt));
      const edges: Array<[Phase, number | undefined, number | undefined]> = [
        ['proposal → prevote', b.proposedAt, t.prevote],
        ['prevote → precommit', t.prevote, t.precommit],
        ['precommit → accepted', t.precommit, accepted],
      ];
      for (const [phase, from, to] of edges) if (from !== undefined && to !== undefined) out[phase].push(to - from);
    }
  }
  return out;
}
