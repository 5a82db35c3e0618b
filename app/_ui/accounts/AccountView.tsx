'use client';
// /accounts/[address]: one account. Its balance and nonce as each node holds them at its own
// head (nodes on different branches of a fork disagree, and the page says who holds what),
// then its transactions in and out, newest first, a page at a time, each inclusion marked when
// its block is orphaned or held by only some nodes.
import Link from 'next/link';
import type { Account, AccountNodeView, AccountTx, NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { Holders } from '../blocks/BlockTable.tsx';
import { AddressLink } from '../common/AddressLink.tsx';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useNodes } from '../nodes/useNodes.ts';
import { balanceVerdict, counterparty, groupDigits, readingGroups, rowDifference, signedAmount } from './accountModel.ts';
import { useAccount, useAccountLive, useAccountTxs } from './useAccount.ts';
import styles from './accounts.module.css';

const STATUS_TEXT: Record<AccountNodeView['status'], string> = { reported: '', 'not-reported': 'not reported', unreachable: 'no answer' };

function nodeColumns(account: Account): Column<AccountNodeView>[] {
  const groups = readingGroups(account);
  return [
    {
      key: 'node',
      header: 'Node',
      cell: (n) => (
        <Link href={`/nodes/${encodeURIComponent(n.nodeId)}`} className="strong">
          {n.name}
        </Link>
      ),
    },
    {
      key: 'head',
      header: 'Head',
      // The hash beside the height: two nodes at one height on different blocks are on two branches.
      cell: (n) =>
        n.head ? (
          <Link href={`/blocks/${n.head.hash}`}>
            #{n.head.height} <span className="mono small">{n.head.hash.slice(0, 8)}…</span>
          </Link>
        ) : (
          <span className="muted">—</span>
        ),
    },
    { key: 'balance', header: 'Balance', align: 'end', cell: (n) => (n.balance === null ? '—' : groupDigits(n.balance)), cellProps: () => ({ 'data-testid': 'node-balance' }) },
    { key: 'nonce', header: 'Nonce', align: 'end', cell: (n) => (n.nonce === null ? '—' : n.nonce) },
    {
      key: 'note',
      header: '',
      headerLabel: 'Note',
      className: 'wrap',
      cell: (n) =>
        n.status !== 'reported' ? (
          <span title={n.error ?? undefined}>
            {STATUS_TEXT[n.status]}: <span className="muted small">{n.error}</span>
          </span>
        ) : rowDifference(account, n) === 'behind' ? (
          <span className="badge" title="Its head is below the others': it reads the state of an earlier block">
            earlier head
          </span>
        ) : groups.has(n.nodeId) ? (
          <span
            className={`badge ${n.differs ? 'badge-warn' : ''}`}
            title={n.differs ? 'Another balance or nonce than most nodes, at the same height or above: another branch' : 'The reading most nodes hold'}
            data-testid="reading-group"
          >
            reading {groups.get(n.nodeId)}
          </span>
        ) : null,
    },
  ];
}

function txColumns(nodes: NodeStatus[], now: number): Column<AccountTx>[] {
  return [
    {
      key: 'direction',
      header: '',
      headerLabel: 'Direction',
      cell: (t) => (
        <span className={`badge ${styles.direction} ${t.direction === 'out' ? styles.out : t.direction === 'in' ? styles.in : ''}`} data-testid="tx-direction">
          {t.direction === 'self' ? 'self' : t.direction.toUpperCase()}
        </span>
      ),
    },
    {
      key: 'hash',
      header: 'Transaction',
      cell: (t) => (
        <Link href={`/txs/${t.hash}`} className="mono" data-testid="account-tx-link">
          {t.hash.slice(0, 14)}…
        </Link>
      ),
    },
    {
      key: 'block',
      header: 'Block',
      cell: (t) => (
        <>
          <Link href={`/blocks/${t.blockHash}`}>#{t.blockHeight}</Link>
          {t.orphaned && (
            <span className="badge badge-warn small-badge" title="No node's chain holds this block: the transfer did not happen there" data-testid="tx-orphaned">
              orphaned
            </span>
          )}
        </>
      ),
    },
    {
      key: 'holders',
      header: 'On the chain of',
      className: 'wrap',
      cell: (t) => (t.orphaned ? <span className="muted">no node</span> : <Holders ids={t.nodes} nodes={nodes} />),
    },
    {
      key: 'counterparty',
      header: 'From / to',
      cell: (t) => (t.direction === 'self' ? <span className="muted">itself</span> : <AddressLink address={counterparty(t)} chars={12} />),
    },
    {
      key: 'amount',
      header: 'Amount',
      align: 'end',
      cell: (t) => signedAmount(t),
      className: (t) => (t.direction === 'out' ? styles.out : t.direction === 'in' ? styles.in : undefined),
    },
    {
      key: 'nonce',
      header: 'Nonce',
      align: 'end',
      // The nonce is the sender's: on a received transfer it counts someone else's transactions.
      cell: (t) => (t.direction === 'in' ? <span title="the sender's nonce">{t.nonce}</span> : t.nonce),
      className: (t) => (t.direction === 'in' ? 'muted' : undefined),
    },
    { key: 'age', header: 'Age', align: 'end', cell: (t) => age(t.timestamp, now), className: 'muted' },
  ];
}

function Balances({ address }: { address: string }) {
  const { data, error, isPending } = useAccount(address);
  if (isPending) return <Loading what="balances" />;
  if (error) return <ErrorState error={error} what="the account" />;
  const a = data.account;
  const verdict = balanceVerdict(a);
  const tone = verdict.tone === 'ok' ? styles.verdictOk : verdict.tone === 'warn' ? styles.verdictWarn : styles.verdictNeutral;
  const { sent, received, countCap, lastHeight } = a.activity;
  const count = (n: number) => (n >= countCap ? `${countCap.toLocaleString('en-US')}+` : n.toLocaleString('en-US'));
  return (
    <section aria-labelledby="balances-title">
      <h2 id="balances-title">Balance at each node&apos;s head</h2>
      <p className={`${styles.verdict} ${tone}`} role="status" data-testid="balance-verdict" data-agreement={a.agreement}>
        {verdict.text}
      </p>
      <DataTable
        rows={a.nodes}
        rowKey={(n) => n.nodeId}
        columns={nodeColumns(a)}
        testId="account-balances"
        rowProps={(n) => ({
          className: rowDifference(a, n) === 'fork' ? styles.differs : n.status !== 'reported' ? styles.silent : undefined,
          'data-testid': 'balance-row',
          'data-node': n.name,
          'data-differs': n.differs,
        })}
        empty={<Empty>No node is followed.</Empty>}
      />
      <p className="muted small" data-testid="account-activity">
        Indexed: {count(sent)} sent, {count(received)} received
        {lastHeight !== null ? `, last in block #${lastHeight}` : ''}. Each block that includes a transaction counts, orphaned ones too.
      </p>
    </section>
  );
}

function Pager({ address, nextCursor, firstPage }: { address: string; nextCursor: string | null; firstPage: boolean }) {
  return (
    <nav className="pager" aria-label="Transaction pages">
      {firstPage ? (
        <span className="muted" aria-current="page">
          « Newest
        </span>
      ) : (
        <Link href={`/accounts/${address}`}>« Newest</Link>
      )}
      {nextCursor ? (
        <Link href={`/accounts/${address}?cursor=${nextCursor}`} data-testid="older-txs">
          Older ›
        </Link>
      ) : (
        <span className="muted">no older transactions</span>
      )}
    </nav>
  );
}

function Transactions({ address, cursor }: { address: string; cursor: string | undefined }) {
  const { data, error, isPending } = useAccountTxs(address, cursor);
  const nodes = useNodes().data?.nodes ?? [];
  const now = useNow();
  let body;
  if (isPending) body = <Loading what="transactions" />;
  else if (error) body = <ErrorState error={error} what="transactions" />;
  else if (data.txs.length === 0) body = <Empty>{cursor ? 'No older transactions.' : 'No transaction to or from this address has been indexed.'}</Empty>;
  else
    body = (
      <>
        <DataTable
          rows={data.txs}
          rowKey={(t) => `${t.blockHash}/${t.index}`}
          columns={txColumns(nodes, now)}
          testId="account-txs"
          rowProps={(t) => ({ className: t.orphaned ? 'orphaned' : undefined, 'data-testid': 'account-tx-row', 'data-height': t.blockHeight, 'data-direction': t.direction })}
        />
        <Pager address={address} nextCursor={data.nextCursor} firstPage={!cursor} />
      </>
    );
  return (
    <section aria-labelledby="txs-title">
      <h2 id="txs-title">{cursor ? `Older transactions, from block #${cursor.split('-')[0]} down` : 'Transactions'}</h2>
      <p className="muted lede">
        In and out, newest first. A transaction in blocks on two branches of a fork is listed once per block; a block no node&apos;s chain holds is marked{' '}
        <span className="badge badge-warn small-badge">orphaned</span>.
      </p>
      {body}
    </section>
  );
}

function AccountBody({ address, cursor }: { address: string; cursor: string | undefined }) {
  useAccountLive(address);
  const owner = useAccount(address).data?.account.nodeNames ?? [];
  return (
    <article data-testid="account-detail">
      <h1>Account {owner.length > 0 && <span className="badge">key of {owner.join(', ')}</span>}</h1>
      <p className="mono break" data-testid="account-address">
        {address}
      </p>
      <Balances address={address} />
      <Transactions address={address} cursor={cursor} />
    </article>
  );
}

export function AccountView({ address, cursor }: { address: string; cursor: string | undefined }) {
  if (!/^[0-9a-fA-F]{64}$/.test(address)) {
    return (
      <div className="state" role="alert">
        <span className="mono break">{address}</span> is no address: an address is a public key of 64 hex digits.
      </div>
    );
  }
  return <AccountBody address={address.toLowerCase()} cursor={cursor} />;
}
