'use client';
// Rows of block summaries: height, hash, proposer, tx count, age and which nodes' chains hold
// each block, with orphaned blocks and forked heights marked. Shared by the overview and /blocks.
import { useMemo } from 'react';
import Link from 'next/link';
import type { BlockSummary, NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Hash } from '../common/Hash.tsx';
import { AddressLink } from '../common/AddressLink.tsx';
import { useNow } from '../common/useNow.ts';

export function Holders({ ids, nodes }: { ids: string[]; nodes: NodeStatus[] }) {
  if (ids.length === 0) return <span className="muted">none yet</span>;
  if (nodes.length > 0 && ids.length === nodes.length) return <span className="muted">all nodes</span>;
  const byId = new Map(nodes.map((n) => [n.id, n.name]));
  const named = ids.map((id) => ({ id, name: byId.get(id) ?? id })).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return (
    <span className="holders">
      {named.map((n, i) => (
        <span key={n.id}>
          {i > 0 && ', '}
          <Link href={`/nodes/${encodeURIComponent(n.id)}`}>{n.name}</Link>
        </span>
      ))}
    </span>
  );
}

interface BlockContext {
  forkedHeights: ReadonlySet<number>;
  idByName: ReadonlyMap<string, string>;
  nodes: NodeStatus[];
  now: number;
}

function Proposer({ b, proposerId }: { b: BlockSummary; proposerId: string | undefined }) {
  if (!b.proposerName) return <AddressLink address={b.proposer} chars={8} testId="proposer-address" />;
  return proposerId ? <Link href={`/nodes/${encodeURIComponent(proposerId)}`}>{b.proposerName}</Link> : <>{b.proposerName}</>;
}

function blockColumns({ forkedHeights, idByName, nodes, now }: BlockContext): Column<BlockSummary>[] {
  return [
    {
      key: 'height',
      header: 'Height',
      cell: (b) => (
        <>
          <Link href={`/blocks/${b.hash}`} className="strong">
            {b.height}
          </Link>
          {forkedHeights.has(b.height) && (
            <span className="badge badge-warn small-badge" title="More than one block exists at this height: the chain forked">
              fork
            </span>
          )}
        </>
      ),
    },
    { key: 'hash', header: 'Hash', cell: (b) => <Hash value={b.hash} /> },
    { key: 'proposer', header: 'Proposer', cell: (b) => <Proposer b={b} proposerId={b.proposerName ? idByName.get(b.proposerName) : undefined} /> },
    { key: 'txs', header: 'Txs', align: 'end', cell: (b) => b.txCount },
    { key: 'age', header: 'Age', className: 'muted', cell: (b) => age(b.timestamp, now) },
    {
      key: 'holders',
      header: 'On the chain of',
      cell: (b) =>
        b.orphaned ? (
          <span className="badge badge-warn" title="No node's canonical chain holds this block any more">
            orphaned
          </span>
        ) : (
          <Holders ids={b.nodes} nodes={nodes} />
        ),
    },
  ];
}

const blockRowProps = (b: BlockSummary) => ({
  'data-testid': 'block-row',
  'data-height': b.height,
  'data-hash': b.hash,
  'data-txs': b.txCount,
  className: b.orphaned ? 'orphaned' : undefined,
});

export function BlockTable({ blocks, nodes, testId = 'block-table' }: { blocks: BlockSummary[]; nodes: NodeStatus[]; testId?: string }) {
  const now = useNow();
  const forkedHeights = useMemo(() => {
    const count = new Map<number, number>();
    for (const b of blocks) count.set(b.height, (count.get(b.height) ?? 0) + 1);
    return new Set([...count].filter(([, c]) => c > 1).map(([h]) => h));
  }, [blocks]);
  const idByName = useMemo(() => new Map(nodes.map((n) => [n.name, n.id])), [nodes]);
  const columns = useMemo(() => blockColumns({ forkedHeights, idByName, nodes, now }), [forkedHeights, idByName, nodes, now]);
  return <DataTable columns={columns} rows={blocks} rowKey={(b) => b.hash} rowProps={blockRowProps} testId={testId} />;
}
