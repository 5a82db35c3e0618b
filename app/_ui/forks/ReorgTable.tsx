'use client';
// Reorgs as the nodes reported them: when, how deep, the head given up, the head taken, and
// the block both chains share. Used by the fork view (every node) and a node's page (its own).
import Link from 'next/link';
import type { ReorgRecord } from '../../../wire/explorer-api.ts';
import { age, clockTime, dateTime } from '../../_lib/format.ts';
import { useNow } from '../common/useNow.ts';

function BlockRef({ block }: { block: { height: number; hash: string } | null }) {
  if (!block) return <span className="muted">—</span>;
  return (
    <Link href={`/blocks/${block.hash}`} className="mono" title={block.hash}>
      #{block.height} {block.hash.slice(0, 8)}…
    </Link>
  );
}

export function ReorgTable({ reorgs, showNode = true, testId = 'fork-reorgs' }: { reorgs: ReorgRecord[]; showNode?: boolean; testId?: string }) {
  const now = useNow();
  return (
    <div className="table-scroll">
      <table className="table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showNode && <th scope="col">Node</th>}
            <th scope="col" className="num">
              Depth
            </th>
            <th scope="col">Old head</th>
            <th scope="col" aria-label="became" />
            <th scope="col">New head</th>
            <th scope="col">Common ancestor</th>
          </tr>
        </thead>
        <tbody>
          {reorgs.map((r) => (
            <tr key={`${r.nodeId}-${r.at}-${r.newHead.hash}`} data-testid="reorg-row" data-depth={r.depth}>
              <td title={dateTime(r.at)}>
                <span className="mono small">{clockTime(r.at)}</span> <span className="muted small">({age(r.at, now)})</span>
              </td>
              {showNode && (
                <td>
                  <Link href={`/nodes/${encodeURIComponent(r.nodeId)}`}>{r.name}</Link>
                </td>
              )}
              <td className="num">
                <span className={`badge ${r.depth > 2 ? 'badge-bad' : 'badge-warn'}`} title={`${r.depth} block${r.depth === 1 ? '' : 's'} replaced`}>
                  {r.depth}
                </span>
              </td>
              <td>
                <BlockRef block={r.oldHead} />
              </td>
              <td className="muted" aria-hidden="true">
                →
              </td>
              <td>
                <BlockRef block={r.newHead} />
              </td>
              <td>
                <BlockRef block={r.commonAncestor} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
