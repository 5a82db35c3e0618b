'use client';
// Every node at a glance: status, height, head, peers, lag and how long since its last block.
// Rows and lags are one snapshot's (useNodes). Pinned nodes come first (kept in this browser);
// Pause freezes the rows while live updates keep arriving underneath.
import { useCallback, useMemo } from 'react';
import Link from 'next/link';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { age } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Hash } from '../common/Hash.tsx';
import { Empty } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { usePause } from '../common/usePause.ts';
import { PauseControl } from '../common/PauseControl.tsx';
import { pinnedFirst } from './pins.ts';
import { usePinnedNodes } from './usePinnedNodes.ts';

const statusClass: Record<NodeStatus['status'], string> = {
  'in-sync': 'badge-ok',
  behind: 'badge-warn',
  diverged: 'badge-bad',
  stalled: 'badge-warn',
  down: 'badge-bad',
};

export { statusClass };

/** What a health-only node is, in the words every page uses. */
export const HEALTH_ONLY_TEXT = 'serves only its health: no blocks or peers';

/** Marks a node attached as `health+…`: its height and head hash are polled, nothing else is read. */
export function HealthOnlyBadge() {
  return (
    <span className="badge" data-testid="health-only-badge" title={`This node ${HEALTH_ONLY_TEXT}. Its height and head hash are read from its health JSON.`}>
      health only
    </span>
  );
}

function PinIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M10.5 1.5 14.5 5.5 12.8 6.3 10.3 8.8 10.7 12.1 9.6 13.2 6.6 10.2 2.6 14.2 1.8 13.4 5.8 9.4 2.8 6.4 3.9 5.3 7.2 5.7 9.7 3.2Z" />
    </svg>
  );
}

function PinButton({ node, pinned, onToggle }: { node: NodeStatus; pinned: boolean; onToggle: (id: string) => void }) {
  return (
    <button
      type="button"
      className="pin-button"
      aria-pressed={pinned}
      aria-label={`Pin ${node.name} to the top`}
      title={pinned ? `Unpin ${node.name}: back to its place` : `Pin ${node.name} to the top (remembered in this browser)`}
      onClick={() => onToggle(node.id)}
      data-testid="pin-node"
    >
      <PinIcon />
    </button>
  );
}

function nodeColumns(now: number, pinned: ReadonlySet<string>, onTogglePin: (id: string) => void): Column<NodeStatus>[] {
  return [
    { key: 'pin', header: '', headerLabel: 'Pinned', className: 'pin-cell', cell: (n) => <PinButton node={n} pinned={pinned.has(n.id)} onToggle={onTogglePin} /> },
    {
      key: 'node',
      header: 'Node',
      cell: (n) => (
        <>
          <Link href={`/nodes/${encodeURIComponent(n.id)}`} className="strong">
            {n.name}
          </Link>{' '}
          {n.healthOnly && <HealthOnlyBadge />} {/* A health-only node without a name= is named by its host:port already. */}
          {n.url.replace(/^https?:\/\//, '') !== n.name && <span className="muted small">{n.url.replace(/^https?:\/\//, '')}</span>}
        </>
      ),
    },
    {
      key: 'status',
      header: 'Status',
      cell: (n) => (
        <>
          <span className={`badge ${statusClass[n.status]}`} title={n.statusReason ?? undefined}>
            {n.status}
          </span>
          {n.nodeHealth === 'degraded' && (
            <span className="badge badge-warn" title={n.healthReasons.join('; ')}>
              degraded
            </span>
          )}
        </>
      ),
    },
    { key: 'height', header: 'Height', align: 'end', cellProps: () => ({ 'data-testid': 'node-height' }), cell: (n) => n.height ?? '—' },
    { key: 'head', header: 'Head', cell: (n) => <Hash value={n.headHash} /> },
    { key: 'peers', header: 'Peers', align: 'end', cell: (n) => n.peers ?? '—' },
    { key: 'lag', header: 'Lag', align: 'end', cellProps: () => ({ 'data-testid': 'node-lag' }), cell: (n) => n.lag ?? '—' },
    { key: 'last', header: 'Last block', className: 'muted', cell: (n) => age(n.lastHeadAt, now) },
  ];
}

/** Where the live rows are, in words: "nodes now at height 289", or "at heights 288–289" mid-block (the banner names the lower). */
export function presentHeights(nodes: NodeStatus[]): string | undefined {
  const heights = nodes.flatMap((n) => (n.height === null || n.status === 'down' ? [] : [n.height]));
  if (heights.length === 0) return undefined;
  const [low, high] = [Math.min(...heights), Math.max(...heights)];
  return low === high ? `nodes now at height ${high}` : `nodes now at heights ${low}–${high}`;
}

/**
 * `nodes` and `seq` are one snapshot's (useNodes); the snapshot number counts the updates that
 * arrived while the table is paused.
 */
export function NodeTable({ nodes, seq = 0 }: { nodes: NodeStatus[]; seq?: number }) {
  const live = useMemo(() => ({ nodes, seq }), [nodes, seq]);
  const { shown, paused, pause, resume } = usePause(live);
  const { pinned, toggle } = usePinnedNodes();
  const clock = useNow();
  // A paused table is a picture of one moment: its ages are as of that moment too.
  const now = paused ? paused.at : clock;
  const pinnedSet = useMemo(() => new Set(pinned), [pinned]);
  const columns = useMemo(() => nodeColumns(now, pinnedSet, toggle), [now, pinnedSet, toggle]);
  const rows = useMemo(() => pinnedFirst(shown.nodes, pinned), [shown.nodes, pinned]);
  const rowProps = useCallback((n: NodeStatus) => ({ 'data-testid': 'node-row', 'data-node': n.name, 'data-pinned': pinnedSet.has(n.id) || undefined }), [pinnedSet]);
  return (
    <div className={paused ? 'live-view is-paused' : 'live-view'} data-testid="node-table-view" data-paused={paused ? 'true' : 'false'}>
      <div className="live-view-head">
        <span className="muted small">{pinned.length > 0 ? `${pinned.length} pinned first` : 'Pin a node to keep it at the top'}</span>
        <PauseControl
          what="the node table"
          paused={paused}
          newCount={paused ? Math.max(0, live.seq - paused.value.seq) : 0}
          present={presentHeights(nodes)}
          onPause={pause}
          onResume={resume}
          testId="node-table-pause"
        />
      </div>
      <DataTable
        columns={columns}
        rows={rows}
        rowKey={(n) => n.id}
        rowProps={rowProps}
        testId="node-table"
        scroll={false}
        empty={<Empty>No nodes yet: the control plane is starting them or connecting to them.</Empty>}
      />
    </div>
  );
}
