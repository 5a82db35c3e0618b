'use client';
// Every node at a glance: status, height, head, peers, lag and how long since its last block.
import Link from 'next/link';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { Hash } from '../common/Hash.tsx';
import { Empty } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';

const statusClass: Record<NodeStatus['status'], string> = {
  'in-sync': 'badge-ok',
  behind: 'badge-warn',
  diverged: 'badge-bad',
  stalled: 'badge-warn',
  down: 'badge-bad',
};

export { statusClass };

export function NodeTable({ nodes }: { nodes: NodeStatus[] }) {
  const now = useNow();
  if (nodes.length === 0) return <Empty>No nodes yet: the control plane is starting them or connecting to them.</Empty>;
  return (
    <table className="table" data-testid="node-table">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Status</th>
          <th scope="col" className="num">Height</th>
          <th scope="col">Head</th>
          <th scope="col" className="num">Peers</th>
          <th scope="col" className="num">Lag</th>
          <th scope="col">Last block</th>
        </tr>
      </thead>
      <tbody>
        {nodes.map((n) => (
          <tr key={n.id} data-testid="node-row" data-node={n.name}>
            <td>
              <Link href={`/nodes/${encodeURIComponent(n.id)}`} className="strong">
                {n.name}
              </Link>{' '}
              <span className="muted small">{n.url.replace(/^https?:\/\//, '')}</span>
            </td>
            <td>
              <span className={`badge ${statusClass[n.status]}`} title={n.statusReason ?? undefined}>
                {n.status}
              </span>
              {n.nodeHealth === 'degraded' && (
                <span className="badge badge-warn" title={n.healthReasons.join('; ')}>
                  degraded
                </span>
              )}
            </td>
            <td className="num" data-testid="node-height">
              {n.height ?? '—'}
            </td>
            <td>
              <Hash value={n.headHash} />
            </td>
            <td className="num">{n.peers ?? '—'}</td>
            <td className="num">{n.lag ?? '—'}</td>
            <td className="muted">{age(n.lastHeadAt, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
