'use client';
// /peers: who is connected to whom and how well, live. Up to 8 nodes the graph gives the shape
// at a glance; above that the link matrix leads (the graph is a hairball there, shown on demand).
// Below, every link as each node reports it, grouped per node. A node's peers are the links that
// carried traffic lately; a link under a partition shows as blocked by it, not as 'connected'.
import { useCallback, useMemo, useState } from 'react';
import Link from 'next/link';
import { age } from '../../_lib/format.ts';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useNodes } from '../nodes/useNodes.ts';
import { LinkMatrix, MatrixLegend } from './LinkMatrix.tsx';
import { PeerGraph, type GraphNode } from './PeerGraph.tsx';
import { PeerGroups, type OpenRequest } from './PeerGroups.tsx';
import { PeerTable } from './PeerTable.tsx';
import { BAD_RTT_MS, SLOW_RTT_MS, pairLinks } from './linkHealth.ts';
import { linkMatrix, type LinkMatrixModel } from './linkMatrix.ts';
import { OPEN_GROUPS_UP_TO, groupLinksByNode } from './nodeGroups.ts';
import styles from './peers.module.css';
import { usePeers } from './usePeers.ts';

type View = 'matrix' | 'graph';

/** "every node: 3 peers carrying traffic", or the range when they differ. */
function peerCountsText(model: LinkMatrixModel): string {
  const counts = model.rows.map((r) => r.counted);
  if (counts.length === 0) return '';
  const lo = Math.min(...counts);
  const hi = Math.max(...counts);
  return lo === hi ? `every node: ${lo} ${lo === 1 ? 'peer' : 'peers'} carrying traffic` : `${lo}–${hi} peers carrying traffic per node`;
}

function LinkDetails({ model, cell, names, onClose }: { model: LinkMatrixModel; cell: { row: string; col: string }; names: Map<string, string>; onClose: () => void }) {
  const r = model.nodes.findIndex((x) => x.id === cell.row);
  const k = model.nodes.findIndex((x) => x.id === cell.col);
  const c = r >= 0 && k >= 0 ? model.rows[r].cells[k] : null;
  if (!c) return null;
  const reports = [c.fromRow, c.fromCol].filter((x) => x !== null);
  return (
    <div className={styles.details} data-testid="link-details">
      <h2>
        {names.get(c.row) ?? c.row} ↔ {names.get(c.col) ?? c.col}{' '}
        <button type="button" className="linkish small" onClick={onClose}>
          close
        </button>
      </h2>
      {reports.length === 0 ? <Empty>Neither node reports a link to the other.</Empty> : <PeerTable links={reports} names={names} />}
      {reports.length === 1 && <p className="muted small">Only one end reports this link.</p>}
    </div>
  );
}

export function PeersView() {
  const { data, error, isPending } = usePeers();
  const nodesQuery = useNodes();
  const now = useNow();
  const [focus, setFocus] = useState<string | null>(null);
  const [chosenView, setView] = useState<View | null>(null);
  const [cell, setCell] = useState<{ row: string; col: string } | null>(null);
  const [openRequest, setOpenRequest] = useState<OpenRequest | null>(null);
  const openGroup = useCallback((id: string) => setOpenRequest((prev) => ({ id, seq: (prev?.seq ?? 0) + 1 })), []);
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
  const matrix = useMemo(() => linkMatrix(graphNodes, data?.links ?? []), [graphNodes, data?.links]);
  const groups = useMemo(() => {
    const links = data?.links ?? [];
    const shown = focus ? links.filter((l) => l.nodeId === focus || l.peerId === focus) : links;
    return groupLinksByNode(graphNodes, shown, (id) => names.get(id) ?? id);
  }, [data?.links, focus, graphNodes, names]);

  const many = graphNodes.length > OPEN_GROUPS_UP_TO;
  const view: View = chosenView ?? (many ? 'matrix' : 'graph');
  const bad = pairs.filter((p) => p.tone === 'bad' && p.faults.length === 0).length;
  const faulted = pairs.filter((p) => p.faults.length > 0).length;
  const blocked = pairs.filter((p) => p.blockedBy.length > 0).length;
  let body;
  if (isPending) body = <Loading what="peer links" />;
  else if (error && !data) body = <ErrorState error={error} what="peer links" />;
  else if (!data || data.links.length === 0)
    body = <Empty>No peer links reported yet. Nodes report their links once they are up; the control plane polls them every few seconds.</Empty>;
  else
    body = (
      <>
        <p className="fork-summary" data-testid="peers-summary">
          {graphNodes.length} nodes · {pairs.length} linked pairs · <span data-testid="peers-counted">{peerCountsText(matrix)}</span>
          {faulted > 0 && (
            <span className="chaos-text">
              {' '}
              · {faulted} under chaos faults{blocked > 0 ? `, ${blocked} blocked` : ''} (<Link href="/chaos">chaos page</Link>)
            </span>
          )}
          {bad > 0 ? <span className="text-bad"> · {`${bad} ${faulted > 0 ? 'other ' : ''}unhealthy`}</span> : faulted > 0 ? ' · the others healthy' : ' · all healthy'}
          {data.polledAt && <span className="muted small"> · polled {age(data.polledAt, now)}</span>}
        </p>
        <div className={styles.toolbar}>
          <span className="button-group" role="group" aria-label="Show the links as">
            <button type="button" className="button" aria-pressed={view === 'matrix'} data-testid="view-matrix" onClick={() => setView('matrix')}>
              Matrix
            </button>
            <button type="button" className="button" aria-pressed={view === 'graph'} data-testid="view-graph" onClick={() => setView('graph')}>
              Graph
            </button>
          </span>
          <span className="muted small">
            {many
              ? `With ${graphNodes.length} nodes the graph's ${pairs.length} lines overlap; the matrix shows each link in its own cell.`
              : 'A peer counts when its link carried traffic within two keep-alive periods.'}
          </span>
        </div>
        {view === 'matrix' ? (
          <div className={styles.matrixLayout}>
            <div className={`panel ${styles.matrixBox}`}>
              <LinkMatrix model={matrix} selected={cell} onSelect={setCell} onNode={openGroup} />
            </div>
            <div className="peer-side">
              <h2 className="first">Legend</h2>
              <MatrixLegend />
              <p className="muted small">
                Row: the node reporting; column: its peer. A one-way fault colours one side of the diagonal only. Click a cell for the link as both ends report it, a row&apos;s
                name for that node&apos;s links.
              </p>
            </div>
          </div>
        ) : (
          <div className="peers-layout">
            <div className="panel peer-graph-box">
              <PeerGraph nodes={graphNodes} pairs={pairs} focus={focus} onFocus={setFocus} />
            </div>
            <div className="peer-side">
              <h2 className="first">Legend</h2>
              <ul className="legend legend-column">
                <li>
                  <span className="key-line pg-link-ok" /> carrying traffic, RTT under {SLOW_RTT_MS} ms
                </li>
                <li>
                  <span className="key-line pg-link-slow" /> slow: RTT {SLOW_RTT_MS}–{BAD_RTT_MS} ms
                </li>
                <li>
                  <span className="key-line pg-link-bad" /> RTT over {BAD_RTT_MS} ms
                </li>
                <li>
                  <span className="key-line pg-link-bad pg-link-broken" /> down, silent, or errors
                </li>
                <li>
                  <span className="key-line pg-link-fault" /> under a chaos fault, named on the line (e.g. <span className="chaos-text strong">partition #3</span>: the
                  action&apos;s number on the <Link href="/chaos">chaos page</Link>). A partition blocks the link: nothing crosses it, and its redials lose their handshake until
                  the heal.
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
        )}
        {view === 'matrix' && cell && <LinkDetails model={matrix} cell={cell} names={names} onClose={() => setCell(null)} />}
        <h2>
          {focus ? `Links of ${names.get(focus) ?? focus}` : 'Links by node'}{' '}
          <span className="muted small">(each node&apos;s own report of each of its links{many && !focus ? '; open a node to see them' : ''})</span>
        </h2>
        <PeerGroups groups={groups} names={names} collapsed={many && !focus} request={openRequest} />
      </>
    );

  return (
    <>
      <h1>Peers</h1>
      {body}
    </>
  );
}
