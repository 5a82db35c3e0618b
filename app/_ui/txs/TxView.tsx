'use client';
// One transaction: who sent what to whom, and every block that includes it. Across forks a
// transaction can sit in several blocks; it counts once some node's chain holds one of them.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { api, queryKeys, ApiRequestError, retryUnlessClientError } from '../../_lib/api.ts';
import { age, dateTime } from '../../_lib/format.ts';
import { BlockTable } from '../blocks/BlockTable.tsx';
import { AddressLink } from '../common/AddressLink.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useNodes } from '../nodes/useNodes.ts';

export function TxView({ hash }: { hash: string }) {
  const { data, error, isPending } = useQuery({ queryKey: queryKeys.tx(hash), queryFn: () => api.tx(hash), retry: retryUnlessClientError });
  const nodes = useNodes().data?.nodes ?? [];
  const now = useNow();
  if (isPending) return <Loading what={`transaction ${hash.slice(0, 16)}…`} />;
  if (error) {
    if (error instanceof ApiRequestError && error.status === 404) {
      return (
        <div className="state" role="alert">
          Transaction <span className="mono break">{hash}</span> is not in the index. It may still be waiting in a node&apos;s mempool, or the hash is mistyped.
        </div>
      );
    }
    return <ErrorState error={error} what="the transaction" />;
  }
  const t = data.tx;
  return (
    <article data-testid="tx-detail">
      <h1>
        Transaction{' '}
        {t.canonical ? (
          <span className="badge badge-ok" title="A block on some node's current chain includes it">
            included
          </span>
        ) : (
          <span className="badge badge-warn" title="Only orphaned blocks include it">
            only in orphaned blocks
          </span>
        )}
      </h1>
      <dl className="fields">
        <dt>Hash</dt>
        <dd className="mono break" data-testid="tx-hash">
          {t.hash}
        </dd>
        <dt>Block</dt>
        <dd>
          <Link href={`/blocks/${t.blockHash}`} data-testid="tx-block-link">
            #{t.blockHeight} <span className="mono">{t.blockHash.slice(0, 16)}…</span>
          </Link>{' '}
          <span className="muted">position {t.index}</span>
        </dd>
        <dt>Time</dt>
        <dd>
          {dateTime(t.timestamp)} <span className="muted">({age(t.timestamp, now)})</span>
        </dd>
        <dt>From</dt>
        <dd>
          <AddressLink address={t.from} full testId="tx-from" />
        </dd>
        <dt>To</dt>
        <dd>
          <AddressLink address={t.to} full testId="tx-to" />
        </dd>
        <dt>Amount</dt>
        <dd className="strong">{t.amount}</dd>
        <dt>Nonce</dt>
        <dd>{t.nonce}</dd>
        <dt>Signature</dt>
        <dd className="mono break small">{t.signature}</dd>
      </dl>
      <h2>Included in {t.inBlocks.length === 1 ? '1 block' : `${t.inBlocks.length} blocks`}</h2>
      {t.inBlocks.length > 1 && <p className="muted">The same transaction went into blocks on different branches of a fork.</p>}
      <BlockTable blocks={t.inBlocks} nodes={nodes} testId="tx-blocks" />
    </article>
  );
}
