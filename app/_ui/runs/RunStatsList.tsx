'use client';
// What the engine did under the run's faults, from its head history (runStats.ts): forks,
// reorgs and the longest stall, in words a newcomer can read.
import type { RunStats } from './runStats.ts';

export function reorgText(s: RunStats): string {
  if (s.reorgs.length === 0) return 'none';
  return `${s.reorgs.length}, deepest ${s.deepestReorg} block${s.deepestReorg === 1 ? '' : 's'}`;
}

export function forkText(s: RunStats): string {
  if (s.maxBranches <= 1) return 'never: all heads on one chain';
  return `up to ${s.maxBranches} branches at once, ${(s.forkedMs / 1000).toFixed(1)} s in all`;
}

export function stallText(s: RunStats): string {
  if (!s.longestStall) return '—';
  return `${(s.longestStall.ms / 1000).toFixed(1)} s ${s.progress === 'finalized' ? 'without a finalized block' : 'without any node’s head rising'}`;
}

export function RunStatsList({ stats }: { stats: RunStats }) {
  return (
    <dl className="fields" data-testid="run-stats">
      <dt title="Nodes whose heads are on chains that disagree at some height">Forks</dt>
      <dd data-testid="stat-forks">{forkText(stats)}</dd>
      <dt title="A node dropping blocks of its chain for another branch; depth = blocks dropped">Reorgs</dt>
      <dd data-testid="stat-reorgs">{reorgText(stats)}</dd>
      <dt title={stats.progress === 'finalized' ? 'BFT: the longest time no node finalized a new block' : 'The longest time no node’s head rose'}>Longest stall</dt>
      <dd data-testid="stat-stall">{stallText(stats)}</dd>
    </dl>
  );
}
