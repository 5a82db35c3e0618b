'use client';
// Every node at a glance: status, height, head, peers, lag and how long since its last block.
import { useMemo } from 'react';
import Link from 'next/link';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
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

/** What a health-only node is, in the words every page uses. */
export const HEALTH_ONLY_TEXT = 'serves only its health: no blocks or peers';

/** Marks a node attached as `health+…`: its height and head hash are polled, nothing else is read. */
export function HealthOnlyBadge() {
  return (
    <span className="badge" data-testid="health-only-badge" title={`This node ${HEALTH_ONLY_TEXT}. Its height and head hash are read from its health JSON.`}>
      health only
    </span>
  );
}

function nodeColumns(now: number): Column<NodeStatus>[] {
  return [
    {
      key: 'node',
      header: 'Node',
      cell: (n) => (
        <>
          <Link href={`/nodes/${encodeURIComponent(n.id)}`} className="strong">
            {n.name}
          </Link>{' '}
          {n.healthOnly && <HealthOnlyBadge />} {/* A health-only node without a name= is named by its host:port already. */}
          {n.url.replace(/^https?:\/\//, '') !== n.name && <span className="muted small">{n.url.replace(/^https?:\/\//, '')}</span>}
        </>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (n) => (
        <>
          <span className={`badge ${statusClass[n.status]}`} title={n.statusReason ?? undefined}>
            {n.status}
          </span>
          {n.nodeHealth === 'degraded' && (
            <span className="badge badge-warn" title={n.healthReasons.join('; ')}>
              degraded
            </span>
          )}
        </>
      ),
    },
    { key: 'height', header: 'Height', align: 'end', cellProps: () => ({ 'data-testid': 'node-height' }), cell: (n) => n.height ?? '—' },
    { key: 'head', header: 'Head', cell: (n) => <Hash value={n.headHash} /> },
    { key: 'peers', header: 'Peers', align: 'end', cell: (n) => n.peers ?? '—' },
    { key: 'lag', header: 'Lag', align: 'end', cell: (n) => n.lag ?? '—' },
    { key: 'last', header: 'Last block', className: 'muted', cell: (n) => age(n.lastHeadAt, now) },
  ];
}

const nodeRowProps = (n: NodeStatus) => ({ 'data-testid': 'node-row', 'data-node': n.name });

export function NodeTable({ nodes }: { nodes: NodeStatus[] }) {
  const now = useNow();
  const columns = useMemo(() => nodeColumns(now), [now]);
  return (
    <DataTable
      columns={columns}
      rows={nodes}
      rowKey={(n) => n.id}
      rowProps={nodeRowProps}
      testId="node-table"
      scroll={false}
      empty={<Empty>No nodes yet: the control plane is starting them or connecting to them.</Empty>}
    />
  );
}
