'use client';
// Rows of block summaries: height, hash, proposer, tx count, age and which nodes' chains hold
// each block, with orphaned blocks and forked heights marked. Shared by the overview and /blocks.
import { memo, useMemo } from 'react';
import Link from 'next/link';
import type { BlockSummary, NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { Hash } from '../common/Hash.tsx';
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

const Row = memo(function Row({ b, forked, nodes, proposerId, now }: { b: BlockSummary; forked: boolean; nodes: NodeStatus[]; proposerId: string | undefined; now: number }) {
  return (
    <tr data-testid="block-row" data-height={b.height} data-hash={b.hash} data-txs={b.txCount} className={b.orphaned ? 'orphaned' : undefined}>
      <td>
        <Link href={`/blocks/${b.hash}`} className="strong">
          {b.height}
        </Link>
        {forked && (
          <span className="badge badge-warn small-badge" title="More than one block exists at this height: the chain forked">
            fork
          </span>
        )}
      </td>
      <td>
        <Hash value={b.hash} />
      </td>
      <td>{b.proposerName ? proposerId ? <Link href={`/nodes/${encodeURIComponent(proposerId)}`}>{b.proposerName}</Link> : b.proposerName : <Hash value={b.proposer} chars={8} />}</td>
      <td className="num">{b.txCount}</td>
      <td className="muted">{age(b.timestamp, now)}</td>
      <td>
        {b.orphaned ? (
          <span className="badge badge-warn" title="No node's canonical chain holds this block any more">
            orphaned
          </span>
        ) : (
          <Holders ids={b.nodes} nodes={nodes} />
        )}
      </td>
    </tr>
  );
});

export function BlockTable({ blocks, nodes, testId = 'block-table' }: { blocks: BlockSummary[]; nodes: NodeStatus[]; testId?: string }) {
  const now = useNow();
  const forkedHeights = useMemo(() => {
    const count = new Map<number, number>();
    for (const b of blocks) count.set(b.height, (count.get(b.height) ?? 0) + 1);
    return new Set([...count].filter(([, c]) => c > 1).map(([h]) => h));
  }, [blocks]);
  const idByName = useMemo(() => new Map(nodes.map((n) => [n.name, n.id])), [nodes]);
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Height</th>
            <th scope="col">Hash</th>
            <th scope="col">Proposer</th>
            <th scope="col" className="num">
              Txs
            </th>
            <th scope="col">Age</th>
            <th scope="col">On the chain of</th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((b) => (
            <Row key={b.hash} b={b} forked={forkedHeights.has(b.height)} nodes={nodes} proposerId={b.proposerName ? idByName.get(b.proposerName) : undefined} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
