'use client';
// Per-link metrics as each node reports them: direction, state, RTT, traffic, errors, score,
// how long it has been up, why it last reconnected, and the chaos faults in force on it.
import { memo, useMemo } from 'react';
import Link from 'next/link';
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { age, bytes, dateTime } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { useNow } from '../common/useNow.ts';
import { linkTone } from './linkHealth.ts';

const toneBadge = { ok: 'badge-ok', slow: 'badge-warn', bad: 'badge-bad' } as const;

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
      {bytes(bytesCount)} <span className="muted small">/ {messages.toLocaleString()} msg</span>
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
    { key: 'direction', header: 'Direction', cell: (l) => (l.direction === 'outbound' ? 'out →' : '← in') },
    { key: 'state', header: 'State', cell: (l) => <span className={`badge ${l.state === 'connected' ? toneBadge[linkTone(l)] : 'badge-bad'}`}>{l.state}</span> },
    { key: 'faults', header: 'Faults', cellProps: () => ({ 'data-testid': 'peer-faults' }), cell: (l) => <Faults faults={l.faults} /> },
    { key: 'rtt', header: 'RTT', align: 'end', cell: (l) => rtt(l.rttMs) },
    {
      key: 'in',
      header: 'In',
      align: 'end',
      cellProps: (l) => ({ title: `${l.messagesIn.toLocaleString()} messages` }),
      cell: (l) => <Traffic bytesCount={l.bytesIn} messages={l.messagesIn} />,
    },
    {
      key: 'out',
      header: 'Out',
      align: 'end',
      cellProps: (l) => ({ title: `${l.messagesOut.toLocaleString()} messages` }),
      cell: (l) => <Traffic bytesCount={l.bytesOut} messages={l.messagesOut} />,
    },
    { key: 'errors', header: 'Errors', align: 'end', className: (l) => (l.errors > 0 ? 'strong text-bad' : undefined), cell: (l) => l.errors },
    { key: 'score', header: 'Score', align: 'end', cell: (l) => l.score },
    {
      key: 'connected',
      header: 'Connected',
      className: 'muted',
      cellProps: (l) => ({ title: l.connectedSince ? dateTime(l.connectedSince) : undefined }),
      cell: (l) => (l.connectedSince ? `for ${age(l.connectedSince, now).replace(' ago', '')}` : '—'),
    },
    { key: 'reason', header: 'Last reconnect reason', className: 'muted wrap', cell: (l) => l.lastReconnectReason ?? '—' },
  ];
}

const peerRowProps = (l: PeerLinkInfo) => ({ 'data-testid': 'peer-row', 'data-tone': linkTone(l), 'data-faulted': l.faults.length > 0 || undefined });

export const PeerTable = memo(function PeerTable({ links, names, showReporter = true }: { links: PeerLinkInfo[]; names: Map<string, string>; showReporter?: boolean }) {
  const now = useNow();
  const columns = useMemo(() => peerColumns(names, showReporter, now), [names, showReporter, now]);
  return <DataTable columns={columns} rows={links} rowKey={(l) => `${l.nodeId}-${l.peerId ?? l.address}-${l.direction}`} rowProps={peerRowProps} testId="peer-table" />;
});
