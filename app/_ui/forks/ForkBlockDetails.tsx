'use client';
// What the reader hovers or clicks in the fork graph: the block's facts and where it leads.
import Link from 'next/link';
import type { ForkBlock, NodeStatus, NodeTip } from '../../../wire/explorer-api.ts';
import { age, dateTime } from '../../_lib/format.ts';
import { Holders } from '../blocks/BlockTable.tsx';
import { Hash } from '../common/Hash.tsx';
import { useNow } from '../common/useNow.ts';

export function ForkBlockDetails({
  block,
  tips,
  forkPoint,
  nodes,
  pinned,
}: {
  block: ForkBlock | null;
  tips: NodeTip[];
  forkPoint: boolean;
  nodes: NodeStatus[];
  pinned: boolean;
}) {
  const now = useNow();
  if (!block) {
    return (
      <div className="panel fork-details muted" data-testid="fork-details">
        Hover over or click a block (or Tab to the graph and use the arrow keys) to see its details here.
      </div>
    );
  }
  return (
    <div className="panel fork-details" data-testid="fork-details" aria-live="polite">
      <div className="panel-head">
        <span className="strong">
          Block #{block.height} {block.orphaned && <span className="badge badge-warn">orphaned</span>}
          {forkPoint && <span className="badge badge-bad">fork point</span>}
        </span>
        <span className="muted small">{pinned ? 'selected' : 'hovered — click to keep'}</span>
        <Link href={`/blocks/${block.hash}`} className="strong" data-testid="fork-details-link">
          Open block page →
        </Link>
      </div>
      <dl className="fields fields-compact">
        <dt>Hash</dt>
        <dd>
          <Hash value={block.hash} chars={24} />
        </dd>
        <dt>Parent</dt>
        <dd>
          <Link href={`/blocks/${block.parentHash}`} className="mono">
            {block.parentHash.slice(0, 16)}…
          </Link>
        </dd>
        <dt>Proposer</dt>
        <dd>{block.proposerName ?? <span className="muted">unknown key</span>}</dd>
        <dt>Time</dt>
        <dd>
          {dateTime(block.timestamp)}{' '}
          <span className="muted">
            ({age(block.timestamp, now)}), {block.txCount} txs
          </span>
        </dd>
        <dt>Held by</dt>
        <dd>{block.orphaned ? <span className="muted">no node (orphaned)</span> : <Holders ids={block.nodes} nodes={nodes} />}</dd>
        {tips.length > 0 && (
          <>
            <dt>Tip of</dt>
            <dd>{tips.map((t) => t.name).join(', ')}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
