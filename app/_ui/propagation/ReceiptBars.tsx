'use client';
// The block page's propagation panel: one bar per node, its length the time from the first
// node's receipt of this block to this node's, and in words "+x ms", "first", or why a node
// has no time (it caught up later, or never received the block).
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import type { BlockReceiptView, NodeStatus } from '../../../wire/explorer-api.ts';
import { api, queryKeys } from '../../_lib/api.ts';
import { nodeColorMap } from '../common/nodeColors.ts';
import { useNow } from '../common/useNow.ts';
import { barPercent, formatMs, receiptsPending, receiptText } from './propagationText.ts';
import styles from './propagation.module.css';

interface ReceiptBarsProps {
  /** The block page's id (height or hash): its cached answer is asked again while receipts may still come. */
  blockId: string;
  blockTimestamp: number;
  receipts: readonly BlockReceiptView[];
  nodes: NodeStatus[];
}

export function ReceiptBars({ blockId, blockTimestamp, receipts, nodes }: ReceiptBarsProps) {
  const now = useNow();
  const pending = receiptsPending(receipts, blockTimestamp, now);
  // A second observer of the block page's own query: while a fresh block is still reaching
  // nodes, it is read again every 2 s, so late receipts appear without a reload.
  useQuery({ queryKey: queryKeys.block(blockId), queryFn: () => api.block(blockId), refetchInterval: pending ? 2_000 : false });
  const colors = nodeColorMap(nodes.length ? nodes : receipts.map((r) => ({ id: r.nodeId, name: r.name })));
  const maxMs = Math.max(0, ...receipts.map((r) => r.afterFirstMs ?? 0));
  const first = receipts.find((r) => r.afterFirstMs === 0);
  return (
    <section aria-labelledby="block-receipts-title" data-testid="block-receipts">
      <h2 id="block-receipts-title">Received by each node</h2>
      <p className="muted small">
        {first ? (
          <>
            When each node accepted this block, after {first.name}, the first to have it{maxMs > 0 ? <> (the longest bar is {formatMs(maxMs)})</> : null}. Times come from each
            node&apos;s clock: comparable on one machine; between machines their clock difference adds in.
          </>
        ) : (
          <>No node reported accepting this block live: it reached the index by catching up, which records no time.</>
        )}
      </p>
      {receipts.length === 0 ? (
        <p className="muted">No node is followed.</p>
      ) : (
        <ul className={`panel ${styles.receipts}`}>
          {receipts.map((r) => (
            <li key={r.nodeId} className={styles.receipt} data-testid="receipt" data-node={r.name} data-after-ms={r.afterFirstMs ?? ''}>
              <Link href={`/nodes/${encodeURIComponent(r.nodeId)}`}>{r.name}</Link>
              <span className={styles.track} title={r.acceptedAt === null ? receiptText(r, pending) : `accepted at ${new Date(r.acceptedAt).toISOString()}`}>
                {r.afterFirstMs !== null && (
                  <span className={styles.bar} style={{ width: `${barPercent(r.afterFirstMs, maxMs)}%`, background: colors.get(r.nodeId) ?? 'var(--accent)' }} />
                )}
              </span>
              <span className={r.afterFirstMs !== null ? styles.delay : r.holds ? styles.none : `${styles.none} ${styles.missing}`}>{receiptText(r, pending)}</span>
            </li>
          ))}
          {maxMs > 0 && (
            <li className={styles.receipt} aria-hidden="true">
              <span />
              <span className={styles.scale}>
                <span>0</span>
                <span>{formatMs(maxMs)}</span>
              </span>
              <span />
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
