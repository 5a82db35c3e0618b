'use client';
// One block: header fields, parent and children (several when the chain forked here), the
// nodes whose chain holds it, on BFT blocks the commit that decided it, and its transactions.
import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import type { BlockCommit, BlockSummary, NodeStatus, TxSummary } from '../../../wire/explorer-api.ts';
import { api, queryKeys, ApiRequestError, retryUnlessClientError } from '../../_lib/api.ts';
import { age, dateTime } from '../../_lib/format.ts';
import { Holders } from './BlockTable.tsx';
import { finalityText, signedSentence, signerRows, type SignerRow } from './commitPanel.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { AddressLink } from '../common/AddressLink.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { HEALTH_ONLY_TEXT } from '../nodes/NodeTable.tsx';
import { useNodes } from '../nodes/useNodes.ts';
import { ReceiptBars } from '../propagation/ReceiptBars.tsx';

function BlockLink({ b }: { b: BlockSummary }) {
  return (
    <Link href={`/blocks/${b.hash}`}>
      #{b.height} <span className="mono">{b.hash.slice(0, 10)}…</span>
      {b.orphaned && <span className="badge badge-warn">orphaned</span>}
    </Link>
  );
}

const txColumns: Column<TxSummary>[] = [
  { key: 'index', header: '#', cell: (t) => t.index },
  {
    key: 'hash',
    header: 'Hash',
    cell: (t) => (
      <Link href={`/txs/${t.hash}`} className="mono" data-testid="tx-link">
        {t.hash.slice(0, 16)}…
      </Link>
    ),
  },
  { key: 'from', header: 'From', cell: (t) => <AddressLink address={t.from} testId="tx-from" /> },
  { key: 'to', header: 'To', cell: (t) => <AddressLink address={t.to} testId="tx-to" /> },
  { key: 'amount', header: 'Amount', align: 'end', cell: (t) => t.amount },
  { key: 'nonce', header: 'Nonce', align: 'end', cell: (t) => t.nonce },
];

function Signer({ row }: { row: SignerRow }) {
  const label = row.name ?? 'unknown node';
  return (
    <span data-testid="commit-signer">
      {row.nodeId ? (
        <Link href={`/nodes/${encodeURIComponent(row.nodeId)}`} className="strong">
          {label}
        </Link>
      ) : (
        <span className={row.name ? 'strong' : 'muted'}>{label}</span>
      )}{' '}
      <AddressLink address={row.publicKey} chars={8} testId="signer-address" />
    </span>
  );
}

/** BFT only: the round that decided the block, who signed its commit, and how long finality took. */
function CommitPanel({ commit, nodes }: { commit: BlockCommit; nodes: NodeStatus[] }) {
  return (
    <section aria-labelledby="block-commit-title" data-testid="block-commit">
      <h2 id="block-commit-title">Commit</h2>
      <dl className="fields">
        <dt>Round</dt>
        <dd data-testid="commit-round">
          {commit.round} {commit.round > 0 && <span className="muted">(rounds 0–{commit.round - 1} did not decide)</span>}
        </dd>
        <dt>Signatures</dt>
        <dd data-testid="commit-signed">{signedSentence(commit)}</dd>
        <dt>Signed by</dt>
        <dd>
          <ul className="inline-list" data-testid="commit-signers">
            {signerRows(commit, nodes).map((row) => (
              <li key={row.publicKey}>
                <Signer row={row} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>Time to finality</dt>
        <dd data-testid="commit-finality">
          {finalityText(commit.finalizedAfterMs)} <span className="muted">(from the block&apos;s timestamp to the indexer first seeing it committed)</span>
        </dd>
      </dl>
    </section>
  );
}

export function BlockView({ id }: { id: string }) {
  const { data, error, isPending } = useQuery({
    queryKey: queryKeys.block(id),
    queryFn: () => api.block(id),
    retry: retryUnlessClientError,
  });
  const nodes = useNodes().data?.nodes ?? [];
  const now = useNow();
  if (isPending) return <Loading what={`block ${id}`} />;
  if (error) {
    if (error instanceof ApiRequestError && error.status === 404) {
      const healthOnly = nodes.filter((n) => n.healthOnly);
      const heldBy = healthOnly.filter((n) => n.headHash === id.toLowerCase());
      return (
        <div className="state" role="alert">
          Block <span className="mono">{id}</span> is not in the index. It may not have been produced yet, or no node has reported it.
          {heldBy.length > 0 ? (
            <>
              {' '}
              It is the head of {heldBy.map((n) => n.name).join(', ')}, a node that {HEALTH_ONLY_TEXT.replace(': ', ' (')}), so only its hash and height are known here.
            </>
          ) : (
            healthOnly.length > 0 && (
              <>
                {' '}
                Blocks held only by {healthOnly.map((n) => n.name).join(', ')} are never indexed: {healthOnly.length === 1 ? 'that node serves' : 'those nodes serve'} only their
                health, no blocks or peers.
              </>
            )
          )}
        </div>
      );
    }
    return <ErrorState error={error} what="the block" />;
  }
  const b = data.block;
  const nameOf = (nodeId: string) => nodes.find((n) => n.id === nodeId)?.name ?? nodeId;
  const proposerNode = b.proposerName ? nodes.find((n) => n.name === b.proposerName) : undefined;
  return (
    <article data-testid="block-detail">
      <h1>
        Block #{b.height} {b.orphaned && <span className="badge badge-warn">orphaned</span>}
      </h1>
      <dl className="fields">
        <dt>Hash</dt>
        <dd className="mono break" data-testid="block-hash">
          {b.hash}
        </dd>
        <dt>Parent</dt>
        <dd>
          {b.height === 0 ? (
            <span className="muted">none (genesis)</span>
          ) : (
            <Link href={`/blocks/${b.parentHash}`} className="mono">
              #{b.height - 1} {b.parentHash.slice(0, 16)}…
            </Link>
          )}
        </dd>
        <dt>{b.children.length > 1 ? `Children (${b.children.length}: the chain forked here)` : 'Child'}</dt>
        <dd>
          {b.children.length === 0 ? (
            <span className="muted">none yet</span>
          ) : (
            <ul className="inline-list">
              {b.children.map((c) => (
                <li key={c.hash}>
                  <BlockLink b={c} />
                </li>
              ))}
            </ul>
          )}
        </dd>
        {b.siblings.length > 0 && (
          <>
            <dt>Other blocks at this height</dt>
            <dd>
              <ul className="inline-list">
                {b.siblings.map((s) => (
                  <li key={s.hash}>
                    <BlockLink b={s} />
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>Time</dt>
        <dd>
          {dateTime(b.timestamp)}{' '}
          <span className="muted">
            ({age(b.timestamp, now)}, {b.commit ? `proposed in round ${b.slot}` : `slot ${b.slot}`})
          </span>
        </dd>
        <dt>Proposer</dt>
        <dd>
          {b.proposerName &&
            (proposerNode ? (
              <Link href={`/nodes/${encodeURIComponent(proposerNode.id)}`} className="strong">
                {b.proposerName}
              </Link>
            ) : (
              <span className="strong">{b.proposerName}</span>
            ))}{' '}
          <AddressLink address={b.proposer} chars={16} testId="proposer-address" />
        </dd>
        <dt>Held by</dt>
        <dd data-testid="block-holders">{b.nodes.length ? <Holders ids={b.nodes} nodes={nodes} /> : <span className="muted">no node&apos;s current chain (orphaned)</span>}</dd>
        <dt>First seen</dt>
        <dd>
          {b.firstSeenBy ? (
            <>
              by <Link href={`/nodes/${encodeURIComponent(b.firstSeenBy)}`}>{nameOf(b.firstSeenBy)}</Link>{' '}
            </>
          ) : null}
          <span className="muted">{age(b.firstSeenAt, now)}</span>
        </dd>
        <dt>Size</dt>
        <dd>{b.sizeBytes.toLocaleString()} bytes</dd>
        <dt>Tx root</dt>
        <dd className="mono break">{b.txRoot}</dd>
        <dt>Signature</dt>
        <dd className="mono break small">{b.signature}</dd>
      </dl>
      {b.commit && <CommitPanel commit={b.commit} nodes={nodes} />}
      <ReceiptBars blockId={id} blockTimestamp={b.timestamp} receipts={b.receipts} nodes={nodes} />
      <h2>Transactions ({b.txs.length})</h2>
      <DataTable columns={txColumns} rows={b.txs} rowKey={(t) => t.hash} testId="block-txs" empty={<p className="muted">This block carries no transactions.</p>} />
    </article>
  );
}
