'use client';
// Per-link metrics as each node reports them: direction, state, RTT, traffic, errors, score,
// how long it has been up, why it last reconnected, and the chaos faults in force on it.
import { memo } from 'react';
import Link from 'next/link';
import type { PeerLinkInfo } from '../../../wire/explorer-api.ts';
import { age, bytes, dateTime } from '../../_lib/format.ts';
import { useNow } from '../common/useNow.ts';
import { linkTone } from './linkHealth.ts';

const toneBadge = { ok: 'badge-ok', slow: 'badge-warn', bad: 'badge-bad' } as const;

function NodeName({ id, names }: { id: string | null; names: Map<string, string> }) {
  if (!id) return <span className="muted">unidentified</span>;
  return <Link href={`/nodes/${encodeURIComponent(id)}`}>{names.get(id) ?? id}</Link>;
}

export const PeerTable = memo(function PeerTable({ links, names, showReporter = true }: { links: PeerLinkInfo[]; names: Map<string, string>; showReporter?: boolean }) {
  const now = useNow();
  return (
    <div className="table-scroll">
      <table className="table" data-testid="peer-table">
        <thead>
          <tr>
            {showReporter && <th scope="col">Node</th>}
            <th scope="col">Peer</th>
            <th scope="col">Direction</th>
            <th scope="col">State</th>
            <th scope="col">Faults</th>
            <th scope="col" className="num">
              RTT
            </th>
            <th scope="col" className="num">
              In
            </th>
            <th scope="col" className="num">
              Out
            </th>
            <th scope="col" className="num">
              Errors
            </th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col">Connected</th>
            <th scope="col">Last reconnect reason</th>
          </tr>
        </thead>
        <tbody>
          {links.map((l) => {
            const tone = linkTone(l);
            return (
              <tr key={`${l.nodeId}-${l.peerId ?? l.address}-${l.direction}`} data-testid="peer-row" data-tone={tone} data-faulted={l.faults.length > 0 || undefined}>
                {showReporter && (
                  <td>
                    <NodeName id={l.nodeId} names={names} />
                  </td>
                )}
                <td title={l.address}>
                  {l.peerId ? (
                    <NodeName id={l.peerId} names={names} />
                  ) : (
                    <>
                      <span className="muted">{l.peerName ?? 'unidentified'}</span> <span className="muted small">{l.address.replace(/^wss?:\/\//, '').replace(/\/p2p$/, '')}</span>
                    </>
                  )}
                </td>
                <td>{l.direction === 'outbound' ? 'out →' : '← in'}</td>
                <td>
                  <span className={`badge ${l.state === 'connected' ? toneBadge[tone] : 'badge-bad'}`}>{l.state}</span>
                </td>
                <td data-testid="peer-faults">
                  {l.faults.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <Link href="/chaos" className="fault-badges" title="Active chaos faults on this link; the chaos page can revert them">
                      {l.faults.map((f) => (
                        <span key={f} className="badge badge-chaos" title={f.startsWith('partition') || f.startsWith('one-way partition') ? 'messages on this link are dropped, even while it says connected' : undefined}>
                          {f}
                        </span>
                      ))}
                    </Link>
                  )}
                </td>
                <td className="num">{l.rttMs === null ? '—' : `${l.rttMs < 10 ? l.rttMs.toFixed(1) : Math.round(l.rttMs)} ms`}</td>
                <td className="num" title={`${l.messagesIn.toLocaleString()} messages`}>
                  {bytes(l.bytesIn)} <span className="muted small">/ {l.messagesIn.toLocaleString()} msg</span>
                </td>
                <td className="num" title={`${l.messagesOut.toLocaleString()} messages`}>
                  {bytes(l.bytesOut)} <span className="muted small">/ {l.messagesOut.toLocaleString()} msg</span>
                </td>
                <td className={`num${l.errors > 0 ? ' strong text-bad' : ''}`}>{l.errors}</td>
                <td className="num">{l.score}</td>
                <td className="muted" title={l.connectedSince ? dateTime(l.connectedSince) : undefined}>
                  {l.connectedSince ? `for ${age(l.connectedSince, now).replace(' ago', '')}` : '—'}
                </td>
                <td className="muted wrap">{l.lastReconnectReason ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});
