'use client';
// /peers: who is connected to whom and how well, live. The graph gives the shape at a glance;
// the table has every link's numbers as each end reports them.
import { useMemo, useState } from 'react';
import Link from 'next/link';
import { age } from '../../_lib/format.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useNodes } from '../nodes/useNodes.ts';
import { PeerGraph, type GraphNode } from './PeerGraph.tsx';
import { PeerTable } from './PeerTable.tsx';
import { BAD_RTT_MS, SLOW_RTT_MS, pairLinks } from './linkHealth.ts';
import { usePeers } from './usePeers.ts';

export function PeersView() {
  const { data, error, isPending } = usePeers();
  const nodesQuery = useNodes();
  const now = useNow();
  const [focus, setFocus] = useState<string | null>(null);
  const nodeList = nodesQuery.data?.nodes;

  const { graphNodes, names } = useMemo(() => {
    const list: GraphNode[] = (nodeList ?? []).map((n) => ({ id: n.id, name: n.name, status: n.status }));
    const known = new Set(list.map((n) => n.id));
    // Peers the control plane does not manage still get a place on the circle.
    for (const l of data?.links ?? []) {
      for (const [id, name] of [
        [l.nodeId, null],
        [l.peerId, l.peerName],
      ] as const) {
        if (id && !known.has(id)) {
          known.add(id);
          list.push({ id, name: name ?? id.slice(0, 8), status: 'unknown' });
        }
      }
    }
    list.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    return { graphNodes: list, names: new Map(list.map((n) => [n.id, n.name])) };
  }, [nodeList, data?.links]);

  const pairs = useMemo(() => pairLinks(data?.links ?? []), [data?.links]);
  const shownLinks = useMemo(() => {
    const links = data?.links ?? [];
    const filtered = focus ? links.filter((l) => l.nodeId === focus || l.peerId === focus) : links;
    return [...filtered].sort(
      (a, b) =>
        (names.get(a.nodeId) ?? a.nodeId).localeCompare(names.get(b.nodeId) ?? b.nodeId, undefined, { numeric: true }) ||
        (a.peerName ?? '').localeCompare(b.peerName ?? '', undefined, { numeric: true }),
    );
  }, [data?.links, focus, names]);

  const bad = pairs.filter((p) => p.tone === 'bad' && p.faults.length === 0).length;
  const faulted = pairs.filter((p) => p.faults.length > 0).length;
  let body;
  if (isPending) body = <Loading what="peer links" />;
  else if (error && !data) body = <ErrorState error={error} what="peer links" />;
  else if (!data || data.links.length === 0)
    body = <Empty>No peer links reported yet. Nodes report their links once they are up; the control plane polls them every few seconds.</Empty>;
  else
    body = (
      <>
        <p className="fork-summary" data-testid="peers-summary">
          {graphNodes.length} nodes · {pairs.length} linked pairs · {data.links.length} connections reported
          {faulted > 0 && (
            <span className="chaos-text">
              {' '}
              · {faulted} under chaos faults (<Link href="/chaos">chaos page</Link>)
            </span>
          )}
          {bad > 0 ? <span className="text-bad"> · {`${bad} ${faulted > 0 ? 'other ' : ''}unhealthy`}</span> : faulted > 0 ? ' · the others healthy' : ' · all healthy'}
          {data.polledAt && <span className="muted small"> · polled {age(data.polledAt, now)}</span>}
        </p>
        <div className="peers-layout">
          <div className="panel peer-graph-box">
            <PeerGraph nodes={graphNodes} pairs={pairs} focus={focus} onFocus={setFocus} />
          </div>
          <div className="peer-side">
            <h2 className="first">Legend</h2>
            <ul className="legend legend-column">
              <li>
                <span className="key-line pg-link-ok" /> connected, RTT under {SLOW_RTT_MS} ms
              </li>
              <li>
                <span className="key-line pg-link-slow" /> slow: RTT {SLOW_RTT_MS}–{BAD_RTT_MS} ms
              </li>
              <li>
                <span className="key-line pg-link-bad" /> RTT over {BAD_RTT_MS} ms
              </li>
              <li>
                <span className="key-line pg-link-bad pg-link-broken" /> not connected, or errors
              </li>
              <li>
                <span className="key-line pg-link-fault" /> under a chaos fault, named on the line (e.g. <span className="chaos-text strong">partition #3</span>: the action&apos;s
                number on the <Link href="/chaos">chaos page</Link>). A partitioned link may still say &ldquo;connected&rdquo;: its messages are dropped.
              </li>
              <li>
                <span className="key-dot pg-ok" /> node in sync <span className="key-dot pg-warn" /> behind / stalled <span className="key-dot pg-bad" /> diverged / down
              </li>
            </ul>
            <p className="muted small">Click a node in the graph to list only its links; click it again to list all.</p>
            {focus && (
              <button type="button" className="button" onClick={() => setFocus(null)}>
                Show all links
              </button>
            )}
          </div>
        </div>
        <h2>
          {focus ? `Links of ${names.get(focus) ?? focus}` : 'All links'} <span className="muted small">(each connection is listed by both of its ends)</span>
        </h2>
        <PeerTable links={shownLinks} names={names} />
      </>
    );

  return (
    <>
      <h1>Peers</h1>
      {body}
    </>
  );
}
