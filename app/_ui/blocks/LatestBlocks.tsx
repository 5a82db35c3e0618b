'use client';
// The latest blocks across every fork, newest first, updating live.
import Link from 'next/link';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { Hash } from '../common/Hash.tsx';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useLatestBlocks } from './useLatestBlocks.ts';

export function LatestBlocks({ limit = 20, nodes }: { limit?: number; nodes: NodeStatus[] }) {
  const { data, error, isPending } = useLatestBlocks(limit);
  const now = useNow();
  if (isPending) return <Loading what="blocks" />;
  if (error) return <ErrorState error={error} what="blocks" />;
  if (data.blocks.length === 0) return <Empty>No blocks indexed yet. The nodes produce one every block time; they appear here as they arrive.</Empty>;
  const nameOf = new Map(nodes.map((n) => [n.id, n.name]));
  return (
    <table className="table" data-testid="latest-blocks">
      <thead>
        <tr>
          <th scope="col">Height</th>
          <th scope="col">Hash</th>
          <th scope="col">Proposer</th>
          <th scope="col" className="num">Txs</th>
          <th scope="col">Age</th>
          <th scope="col">On the chain of</th>
        </tr>
      </thead>
      <tbody>
        {data.blocks.map((b) => (
          <tr key={b.hash} data-testid="block-row" data-height={b.height} className={b.orphaned ? 'orphaned' : undefined}>
            <td>
              <Link href={`/blocks/${b.hash}`} className="strong">
                {b.height}
              </Link>
            </td>
            <td>
              <Hash value={b.hash} />
            </td>
            <td>{b.proposerName ?? <Hash value={b.proposer} chars={8} />}</td>
            <td className="num">{b.txCount}</td>
            <td className="muted">{age(b.timestamp, now)}</td>
            <td>
              {b.orphaned ? (
                <span className="badge badge-warn" title="No node's canonical chain holds this block any more">orphaned</span>
              ) : b.nodes.length === nodes.length && nodes.length > 0 ? (
                <span className="muted">all nodes</span>
              ) : (
                <span className="muted">{b.nodes.map((id) => nameOf.get(id) ?? id).sort().join(', ') || 'pending'}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
