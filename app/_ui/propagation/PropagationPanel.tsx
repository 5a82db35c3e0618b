'use client';
// The overview's propagation panel (as ethstats shows it): how long the last N blocks took to
// reach each node after the first one had them, as a histogram and per node (median, p95),
// and the stale rate over as many heights.
import Link from 'next/link';
import type { NodeLateness, PropagationBucket } from '../../../wire/explorer-api.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { bucketLabel, formatMs, STALE_DEFINITION, staleSentence, visibleBuckets } from './propagationText.ts';
import { usePropagation } from './usePropagation.ts';
import styles from './propagation.module.css';

const ms = (v: number | null) => (v === null ? '—' : formatMs(v));

const latenessColumns: Column<NodeLateness>[] = [
  { key: 'node', header: 'Node', cell: (n) => <Link href={`/nodes/${encodeURIComponent(n.nodeId)}`}>{n.name}</Link> },
  { key: 'received', header: 'Blocks', align: 'end', cell: (n) => n.received, cellProps: () => ({ title: 'blocks of the window this node reported accepting live' }) },
  { key: 'first', header: 'Had first', align: 'end', cell: (n) => n.first, cellProps: () => ({ title: 'blocks it had before every other node (usually the ones it proposed)' }) },
  { key: 'median', header: 'Median', align: 'end', cell: (n) => ms(n.medianMs), cellProps: (n) => ({ 'data-testid': 'lateness-median', 'data-ms': n.medianMs ?? '' }) },
  { key: 'p95', header: 'p95', align: 'end', cell: (n) => ms(n.p95Ms), cellProps: (n) => ({ 'data-testid': 'lateness-p95', 'data-ms': n.p95Ms ?? '' }) },
  { key: 'max', header: 'Max', align: 'end', cell: (n) => ms(n.maxMs) },
];

function Histogram({ buckets }: { buckets: readonly PropagationBucket[] }) {
  const shown = visibleBuckets(buckets);
  const top = Math.max(1, ...shown.map((b) => b.count));
  const total = buckets.reduce((n, b) => n + b.count, 0);
  return (
    <figure className={`panel ${styles.figure}`} data-testid="propagation-histogram" data-receipts={total}>
      <figcaption className="small muted">
        {total} receipt{total === 1 ? '' : 's'} by delay after the block&apos;s first receipt (each block&apos;s first node left out)
      </figcaption>
      <ol className={styles.histogram} aria-label="Receipts per delay">
        {shown.map((b) => (
          <li
            key={b.fromMs}
            className={styles.bucket}
            data-testid="propagation-bucket"
            data-count={b.count}
            title={`${b.count} receipt${b.count === 1 ? '' : 's'} ${bucketLabel(b)} after the first`}
          >
            <span className={styles.count}>{b.count > 0 ? b.count : ''}</span>
            <span className={`${styles.column} ${b.count === 0 ? styles.columnEmpty : ''}`} style={{ height: `${(b.count / top) * 85}%` }} />
          </li>
        ))}
      </ol>
      <ol className={styles.bucketLabels} aria-hidden="true">
        {shown.map((b) => (
          <li key={b.fromMs}>{bucketLabel(b)}</li>
        ))}
      </ol>
    </figure>
  );
}

export function PropagationPanel({ blocks = 100 }: { blocks?: number }) {
  const { data, error, isPending } = usePropagation(blocks);
  return (
    <section aria-labelledby="propagation-title" data-testid="propagation">
      <h2 id="propagation-title">Propagation over the last {blocks} blocks</h2>
      {isPending ? (
        <Loading what="propagation" />
      ) : error && !data ? (
        <ErrorState error={error} what="propagation" />
      ) : (
        <>
          <p className={`${styles.stale} small`} data-testid="stale-rate" title={STALE_DEFINITION}>
            <span className="strong">Stale rate</span> over the last {data.stale.heights} heights: {staleSentence(data.stale)}. <span className="muted">{STALE_DEFINITION}</span>
          </p>
          {data.blocks === 0 ? (
            <p className="state">No block has a receipt yet: receipts come from each node&apos;s live stream as blocks arrive.</p>
          ) : (
            <>
              <p className="small muted">
                {data.blocks} block{data.blocks === 1 ? '' : 's'} at heights {data.fromHeight}–{data.toHeight} (fork blocks included). Lateness is how long after the first node a
                node accepted a block: 0 on the blocks it had first.
              </p>
              <div className={styles.layout}>
                <Histogram buckets={data.histogram} />
                <div>
                  <p className={`small muted ${styles.caption}`}>Lateness per node, after each block&apos;s first receipt</p>
                  <DataTable columns={latenessColumns} rows={data.nodes} rowKey={(n) => n.nodeId} testId="lateness-table" />
                </div>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
