'use client';
// One node: its status now, how its height and peer count moved, its links, its reorgs (kept
// by the server apart from the head history, which a fast chain scrolls past), its head
// history, and the alerts raised about it.
import { useMemo, useState } from 'react';
import Link from 'next/link';
import type { AlertRecord, HeadPoint, HealthPoint, ReorgRecord } from '../../../wire/explorer-api.ts';
import { ApiRequestError } from '../../_lib/api.ts';
import { age, clockTime } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Hash } from '../common/Hash.tsx';
import { LinkedNames } from '../common/LinkedNames.tsx';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { Sparkline } from '../common/Sparkline.tsx';
import { useNow } from '../common/useNow.ts';
import { severityClass } from '../network/ActiveAlerts.tsx';
import { PeerTable } from '../peers/PeerTable.tsx';
import { ReorgTable } from '../forks/ReorgTable.tsx';
import { HEALTH_ONLY_TEXT, HealthOnlyBadge, statusClass } from './NodeTable.tsx';
import { useNodeDetail } from './useNodeDetail.ts';
import { useNodes } from './useNodes.ts';

const SAMPLE_ROWS = 12;
const HEAD_ROWS = 15;
const REORG_ROWS = 10;

const healthColumns: Column<HealthPoint>[] = [
  { key: 'time', header: 'Time', className: 'mono small', cell: (h) => clockTime(h.at) },
  { key: 'height', header: 'Height', align: 'end', cell: (h) => h.height },
  { key: 'peers', header: 'Peers', align: 'end', cell: (h) => h.peers },
  {
    key: 'health',
    header: 'Health',
    cell: (h) => (
      <>
        <span className={`badge ${h.status === 'ok' ? 'badge-ok' : 'badge-warn'}`}>{h.status}</span>
        {h.paused && <span className="badge badge-warn">paused</span>}
      </>
    ),
  },
  { key: 'clock', header: 'Clock offset', align: 'end', cell: (h) => (h.clockOffsetMs === 0 ? '0' : `${h.clockOffsetMs > 0 ? '+' : ''}${h.clockOffsetMs} ms`) },
  { key: 'reasons', header: 'Reasons', className: 'muted', cell: (h) => h.reasons.join('; ') || '—' },
];

function HealthSamples({ health }: { health: HealthPoint[] }) {
  const recent = health.slice(-SAMPLE_ROWS).reverse();
  return <DataTable columns={healthColumns} rows={recent} rowKey={(h) => h.at} testId="health-samples" />;
}

const headColumns: Column<HeadPoint>[] = [
  { key: 'time', header: 'Time', className: 'mono small', cell: (h) => clockTime(h.at) },
  { key: 'height', header: 'Height', align: 'end', cell: (h) => h.height },
  {
    key: 'head',
    header: 'Head',
    cell: (h) => (
      <Link href={`/blocks/${h.hash}`} className="mono">
        {h.hash.slice(0, 12)}…
      </Link>
    ),
  },
  {
    key: 'reorg',
    header: 'Reorg',
    cell: (h) => (h.reorgDepth > 0 ? <span className={`badge ${h.reorgDepth > 2 ? 'badge-bad' : 'badge-warn'}`}>depth {h.reorgDepth}</span> : <span className="muted">—</span>),
  },
];

const headRowProps = (h: HeadPoint) => ({ className: h.reorgDepth > 0 ? 'row-reorg' : undefined, 'data-reorg': h.reorgDepth || undefined });

function HeadHistory({ heads }: { heads: HeadPoint[] }) {
  const [all, setAll] = useState(false);
  const rows = all ? heads : heads.slice(0, HEAD_ROWS);
  return (
    <>
      <DataTable columns={headColumns} rows={rows} rowKey={(h) => `${h.at}-${h.hash}`} rowProps={headRowProps} testId="head-history" />
      {heads.length > HEAD_ROWS && (
        <button type="button" className="button more" onClick={() => setAll((v) => !v)}>
          {all ? `Show the latest ${HEAD_ROWS}` : `Show all ${heads.length}`}
        </button>
      )}
    </>
  );
}

function Reorgs({ reorgs }: { reorgs: ReorgRecord[] }) {
  const [all, setAll] = useState(false);
  if (reorgs.length === 0) return <Empty>This node has not reorganised its chain (none on record).</Empty>;
  const deepest = reorgs.reduce((m, r) => Math.max(m, r.depth), 0);
  return (
    <>
      <p className="muted small" data-testid="node-reorg-summary">
        {reorgs.length === 1 ? '1 reorg' : `${reorgs.length} reorgs`}
        {reorgs.length >= 50 ? ' (the latest 50)' : ''}, deepest {deepest} block{deepest === 1 ? '' : 's'}. Each replaced the old head&apos;s blocks down to the common ancestor
        with the new head&apos;s branch.
      </p>
      <ReorgTable reorgs={all ? reorgs : reorgs.slice(0, REORG_ROWS)} showNode={false} testId="node-reorgs" />
      {reorgs.length > REORG_ROWS && (
        <button type="button" className="button more" onClick={() => setAll((v) => !v)}>
          {all ? `Show the latest ${REORG_ROWS}` : `Show all ${reorgs.length}`}
        </button>
      )}
    </>
  );
}

function Alerts({ alerts, now, ids }: { alerts: AlertRecord[]; now: number; ids: Map<string, string> }) {
  if (alerts.length === 0) return <Empty>No alerts about this node.</Empty>;
  return (
    <ul className="alert-list" data-testid="node-alerts">
      {alerts.map((a) => (
        <li key={a.id}>
          <span className={`badge ${severityClass[a.severity] ?? ''}`}>{a.severity}</span>
          <span className="muted small">{a.kind}</span> <LinkedNames text={a.message} ids={ids} />{' '}
          <span className="muted small">
            raised {age(a.raisedAt, now)}
            {a.clearedAt ? `, cleared ${age(a.clearedAt, now)}` : ', still active'}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function NodeView({ id }: { id: string }) {
  const { data, error, isPending } = useNodeDetail(id);
  const nodes = useNodes().data?.nodes;
  const now = useNow();
  const names = useMemo(() => new Map((nodes ?? []).map((n) => [n.id, n.name])), [nodes]);
  const ids = useMemo(() => new Map((nodes ?? []).map((n) => [n.name, n.id])), [nodes]);
  const heightPoints = useMemo(() => (data?.health ?? []).map((h): [number, number] => [h.at, h.height]), [data?.health]);
  const peerPoints = useMemo(() => (data?.health ?? []).map((h): [number, number] => [h.at, h.peers]), [data?.health]);

  if (isPending) return <Loading what="the node" />;
  if (error && !data) {
    if (error instanceof ApiRequestError && error.status === 404) {
      return (
        <div className="state" role="alert">
          There is no node <span className="mono">{id}</span>. The <Link href="/">overview</Link> lists every node the control plane knows.
        </div>
      );
    }
    return <ErrorState error={error} what="the node" />;
  }
  if (!data) return <ErrorState error={error} what="the node" />;
  const n = data.node;
  const span = data.health.length > 1 ? data.health[data.health.length - 1].at - data.health[0].at : 0;
  return (
    <article data-testid="node-detail">
      <h1>
        {n.name} <span className={`badge ${statusClass[n.status]}`}>{n.status}</span>
        {n.nodeHealth === 'degraded' && <span className="badge badge-warn">degraded</span>}
        {n.healthOnly && <HealthOnlyBadge />}
      </h1>
      {error && <p className="state-error small">Could not refresh: {error.message}</p>}
      {n.healthOnly && (
        <p className="state" data-testid="health-only-notice">
          This node {HEALTH_ONLY_TEXT}. The control plane reads its height and head hash from its health JSON about once a block time, so it counts in the consensus verdict, the
          alerts and the height chart; its blocks, peers, health samples and reorgs are not visible from here.
        </p>
      )}
      <dl className="fields" data-testid="node-status">
        <dt>Status</dt>
        <dd>
          {n.status}
          {n.statusReason && <span className="muted">: {n.statusReason}</span>}
        </dd>
        <dt>Height</dt>
        <dd className="strong">
          {n.height ?? '—'} {n.lag !== null && n.lag > 0 && <span className="badge badge-warn">{n.lag} behind</span>}
        </dd>
        <dt>Head</dt>
        <dd>
          {n.headHash ? (
            <>
              <Link href={`/blocks/${n.headHash}`}>block #{n.height}</Link> <Hash value={n.headHash} chars={16} />
            </>
          ) : (
            '—'
          )}{' '}
          <span className="muted">last block {age(n.lastHeadAt, now)}</span>
        </dd>
        <dt>Peers</dt>
        <dd>{n.healthOnly ? <span className="muted">not served</span> : (n.peers ?? '—')}</dd>
        <dt>Health</dt>
        <dd>
          {n.healthOnly ? <span className="muted">only height and head hash are read</span> : (n.nodeHealth ?? 'unknown')}
          {n.healthReasons.length > 0 && <span className="muted">: {n.healthReasons.join('; ')}</span>}
        </dd>
        <dt>Address</dt>
        <dd className="mono">{n.url}</dd>
        <dt>Role</dt>
        <dd>
          {n.healthOnly ? 'unknown (no public key)' : n.validator ? 'validator' : 'follower'}, {n.source === 'local' ? 'started by the control plane' : 'attached by URL'}
          {n.healthOnly && ', health only'}
        </dd>
      </dl>

      <h2>Alerts</h2>
      <Alerts alerts={data.alerts} now={now} ids={ids} />

      {n.healthOnly ? (
        <>
          <h2>Health samples, peers and reorgs</h2>
          <Empty>Not available: this node {HEALTH_ONLY_TEXT}.</Empty>
        </>
      ) : (
        <>
          <h2>Health history {span > 0 && <span className="muted small">(last {Math.round(span / 60_000) || '<1'} min)</span>}</h2>
          {data.health.length === 0 ? (
            <Empty>No health samples yet. The control plane records one every few seconds.</Empty>
          ) : (
            <>
              <div className="sparks panel" data-testid="node-health">
                <Sparkline points={heightPoints} label="Height" testId="spark-height" />
                <Sparkline points={peerPoints} label="Peers" testId="spark-peers" />
              </div>
              <h3>Recent samples</h3>
              <HealthSamples health={data.health} />
            </>
          )}

          <h2>Peers ({data.peers.length})</h2>
          {data.peers.length === 0 ? <Empty>This node reports no peer links.</Empty> : <PeerTable links={data.peers} names={names} showReporter={false} />}

          <h2>Reorgs {data.reorgs.length > 0 && <span className="muted small">({data.reorgs.length})</span>}</h2>
          <Reorgs reorgs={data.reorgs ?? []} />
        </>
      )}

      <h2>
        Head history <span className="muted small">(the latest {data.heads.length} head changes)</span>
      </h2>
      {data.heads.length === 0 ? <Empty>No head changes recorded yet.</Empty> : <HeadHistory heads={data.heads} />}
    </article>
  );
}
