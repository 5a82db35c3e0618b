'use client';
// Per-link metrics as each node reports them: direction, state (carrying traffic, blocked by a
// fault, silent, down), RTT, traffic, errors, score, how long it has been up, why it last
// reconnected, and the chaos faults in force on it. Compact enough for 1,366 px: traffic and
// error/score share cells, the reconnect reason wraps.
import { memo, useMemo } from 'react';
import Link from 'next/link';
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { age, bytes, dateTime } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { useNow } from '../common/useNow.ts';
import { linkTone } from './linkHealth.ts';
import { reportState, stateLabel } from './linkState.ts';
import styles from './peers.module.css';

const toneBadge = { ok: 'badge-ok', slow: 'badge-warn', bad: 'badge-bad' } as const;
const stateBadge = { blocked: 'badge-chaos', silent: 'badge-warn', down: 'badge-bad' } as const;

function State({ l }: { l: PeerLinkInfo }) {
  const s = reportState(l);
  const title =
    s === 'blocked'
      ? `the fault drops every message on this link; the socket underneath says '${l.state}' (it reconnects and times out while the fault lasts)`
      : s === 'silent'
        ? 'the socket is up, but nothing arrived for two keep-alive periods: not counted as a peer'
        : s === 'connected'
          ? 'carried traffic within the last two keep-alive periods: counted as a peer'
          : undefined;
  return (
    <span className={`badge ${s === 'connected' ? toneBadge[linkTone(l)] : stateBadge[s]}`} title={title} data-testid="peer-state" data-state={s}>
      {stateLabel(l)}
    </span>
  );
}

function NodeName({ id, names }: { id: string | null; names: Map<string, string> }) {
  if (!id) return <span className="muted">unidentified</span>;
  return <Link href={`/nodes/${encodeURIComponent(id)}`}>{names.get(id) ?? id}</Link>;
}

function rtt(ms: number | null): string {
  return ms === null ? '—' : `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

function Traffic({ bytesCount, messages }: { bytesCount: number; messages: number }) {
  return (
    <>
      {bytes(bytesCount)}
      <br />
      <span className="muted small">{messages.toLocaleString()} msg</span>
    </>
  );
}

function Peer({ l, names }: { l: PeerLinkInfo; names: Map<string, string> }) {
  if (l.peerId) return <NodeName id={l.peerId} names={names} />;
  return (
    <>
      <span className="muted">{l.peerName ?? 'unidentified'}</span> <span className="muted small">{l.address.replace(/^wss?:\/\//, '').replace(/\/p2p$/, '')}</span>
    </>
  );
}

function Faults({ faults }: { faults: string[] }) {
  if (faults.length === 0) return <span className="muted">—</span>;
  return (
    <Link href="/chaos" className="fault-badges" title="Active chaos faults on this link; the chaos page can revert them">
      {faults.map((f) => (
        <span
          key={f}
          className="badge badge-chaos"
          title={f.startsWith('partition') || f.startsWith('one-way partition') ? 'messages on this link are dropped, even while it says connected' : undefined}
        >
          {f}
        </span>
      ))}
    </Link>
  );
}

function peerColumns(names: Map<string, string>, showReporter: boolean, now: number): Column<PeerLinkInfo>[] {
  const reporter: Column<PeerLinkInfo>[] = showReporter ? [{ key: 'node', header: 'Node', cell: (l) => <NodeName id={l.nodeId} names={names} /> }] : [];
  return [
    ...reporter,
    { key: 'peer', header: 'Peer', cellProps: (l) => ({ title: l.address }), cell: (l) => <Peer l={l} names={names} /> },
    { key: 'direction', header: 'Dir', cell: (l) => (l.direction === 'outbound' ? 'out →' : '← in') },
    { key: 'state', header: 'State', className: 'wrap-narrow', cell: (l) => <State l={l} /> },
    { key: 'faults', header: 'Faults', className: 'wrap-narrow', cellProps: () => ({ 'data-testid': 'peer-faults' }), cell: (l) => <Faults faults={l.faults} /> },
    // A blocked link's last RTT is from before the fault: not shown.
    { key: 'rtt', header: 'RTT', align: 'end', cell: (l) => (reportState(l) === 'blocked' ? '—' : rtt(l.rttMs)) },
    { key: 'in', header: 'In', align: 'end', cell: (l) => <Traffic bytesCount={l.bytesIn} messages={l.messagesIn} /> },
    { key: 'out', header: 'Out', align: 'end', cell: (l) => <Traffic bytesCount={l.bytesOut} messages={l.messagesOut} /> },
    {
      key: 'errors',
      header: 'Errors · score',
      align: 'end',
      cellProps: () => ({ title: 'errors on this link (ping timeouts, bad messages) · the peer score (below the ban threshold it is banned)' }),
      cell: (l) => (
        <>
          <span className={l.errors > 0 ? 'strong text-bad' : undefined}>{l.errors}</span> · {l.score}
        </>
      ),
    },
    {
      key: 'connected',
      header: 'Up for',
      className: 'muted',
      cellProps: (l) => ({
        title: l.connectedSince
          ? `socket up since ${dateTime(l.connectedSince)}${reportState(l) === 'blocked' ? ' (under the fault it reconnects and times out again)' : ''}`
          : undefined,
      }),
      // A blocked link's socket reconnects and times out over and over: its age says nothing.
      cell: (l) => (l.connectedSince && reportState(l) !== 'blocked' ? age(l.connectedSince, now).replace(' ago', '') : '—'),
    },
    {
      key: 'reason',
      header: 'Last reconnect reason',
      className: 'muted wrap-narrow',
      cellProps: () => ({ 'data-testid': 'peer-reason' }),
      cell: (l) => l.lastReconnectReason ?? '—',
    },
  ];
}

const peerRowProps = (l: PeerLinkInfo) => ({
  'data-testid': 'peer-row',
  'data-tone': linkTone(l),
  'data-state': reportState(l),
  'data-faulted': l.faults.length > 0 || undefined,
});

export const PeerTable = memo(function PeerTable({ links, names, showReporter = true }: { links: PeerLinkInfo[]; names: Map<string, string>; showReporter?: boolean }) {
  const now = useNow();
  const columns = useMemo(() => peerColumns(names, showReporter, now), [names, showReporter, now]);
  return (
    <DataTable
      columns={columns}
      rows={links}
      rowKey={(l) => `${l.nodeId}-${l.peerId ?? l.address}-${l.direction}`}
      rowProps={peerRowProps}
      testId="peer-table"
      className={styles.table}
    />
  );
});
