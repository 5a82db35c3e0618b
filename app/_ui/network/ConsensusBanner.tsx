'use client';
// One sentence that answers "do my nodes agree?", the question users used to answer by
// comparing `curl /health | jq` output by eye.
import type { NetworkConsensus, NodeStatus } from '../../../wire/explorer-api.ts';

export function consensusSentence(c: NetworkConsensus, nodes: NodeStatus[]): string {
  const nameOf = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
  const reachable = nodes.filter((n) => n.status !== 'down').length;
  switch (c.status) {
    case 'agreed':
      return (
        `All ${reachable} reachable nodes agree at height ${c.agreedHeight}` +
        (c.engine === 'bft' && c.finalizedHeight !== undefined && c.finalizedHeight !== null ? `, finalized at ${c.finalizedHeight} (BFT)` : '') +
        (reachable < nodes.length ? ` (${nodes.length - reachable} down)` : '')
      );
    case 'forked':
      // No fork height when a branch is known only by its head (a health-only node).
      return `Forked ${c.forkHeight !== undefined ? `at height ${c.forkHeight}` : '(split height unknown)'}: ${(c.groups ?? []).map((g) => g.map(nameOf).join(', ')).join(' | ')}`;
    case 'stalled':
      return `Stalled: no node has produced a block recently (last agreed height ${c.agreedHeight})`;
    case 'halted':
      // BFT chose safety over liveness: nothing is finalized, nothing forks.
      return `Halted at finalized height ${c.finalizedHeight ?? '?'}: ${c.reason ?? 'no block finalized recently'}`;
    default:
      return 'Waiting for the nodes to report their heads…';
  }
}

export function ConsensusBanner({ consensus, nodes }: { consensus: NetworkConsensus | undefined; nodes: NodeStatus[] }) {
  const c = consensus ?? { status: 'unknown' as const, agreedHeight: null };
  const tone = c.status === 'agreed' ? 'ok' : c.status === 'unknown' ? 'neutral' : 'bad';
  return (
    <div className={`banner banner-${tone}`} role="status" data-testid="consensus-banner" data-status={c.status}>
      {consensusSentence(c, nodes)}
    </div>
  );
}
