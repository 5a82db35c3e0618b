'use client';
// Reorgs as the nodes reported them: when, how deep, the head given up, the head taken, and
// the block both chains share. Used by the fork view (every node) and a node's page (its own).
import { useMemo } from 'react';
import Link from 'next/link';
import type { ReorgRecord } from '../../../wire/explorer-api.ts';
import { age, clockTime, dateTime } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { useNow } from '../common/useNow.ts';

function BlockRef({ block }: { block: { height: number; hash: string } | null }) {
  if (!block) return <span className="muted">—</span>;
  return (
    <Link href={`/blocks/${block.hash}`} className="mono" title={block.hash}>
      #{block.height} {block.hash.slice(0, 8)}…
    </Link>
  );
}

function reorgColumns(showNode: boolean, now: number): Column<ReorgRecord>[] {
  const node: Column<ReorgRecord>[] = showNode ? [{ key: 'node', header: 'Node', cell: (r) => <Link href={`/nodes/${encodeURIComponent(r.nodeId)}`}>{r.name}</Link> }] : [];
  return [
    {
      key: 'when',
      header: 'When',
      cellProps: (r) => ({ title: dateTime(r.at) }),
      cell: (r) => (
        <>
          <span className="mono small">{clockTime(r.at)}</span> <span className="muted small">({age(r.at, now)})</span>
        </>
      ),
    },
    ...node,
    {
      key: 'depth',
      header: 'Depth',
      align: 'end',
      cell: (r) => (
        <span className={`badge ${r.depth > 2 ? 'badge-bad' : 'badge-warn'}`} title={`${r.depth} block${r.depth === 1 ? '' : 's'} replaced`}>
          {r.depth}
        </span>
      ),
    },
    { key: 'old', header: 'Old head', cell: (r) => <BlockRef block={r.oldHead} /> },
    { key: 'arrow', header: null, headerLabel: 'became', className: 'muted', cellProps: () => ({ 'aria-hidden': 'true' }), cell: () => '→' },
    { key: 'new', header: 'New head', cell: (r) => <BlockRef block={r.newHead} /> },
    { key: 'ancestor', header: 'Common ancestor', cell: (r) => <BlockRef block={r.commonAncestor} /> },
  ];
}

const reorgRowProps = (r: ReorgRecord) => ({ 'data-testid': 'reorg-row', 'data-depth': r.depth });

export function ReorgTable({ reorgs, showNode = true, testId = 'fork-reorgs' }: { reorgs: ReorgRecord[]; showNode?: boolean; testId?: string }) {
  const now = useNow();
  const columns = useMemo(() => reorgColumns(showNode, now), [showNode, now]);
  return <DataTable columns={columns} rows={reorgs} rowKey={(r) => `${r.nodeId}-${r.at}-${r.newHead.hash}`} rowProps={reorgRowProps} testId={testId} />;
}
