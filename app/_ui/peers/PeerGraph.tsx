'use client';
// The peer graph: nodes on a circle, one line per linked pair. Green is a healthy link, orange
// a slow one, red a bad one; dashed red means a connection that is down or has errors. A link
// under an active chaos fault (partition, latency, loss…) is drawn violet dash-dot with the
// fault's name on it, whatever its health; one a partition blocks carries nothing (its redials
// lose their handshake to the fault), and its title says "blocked by …".
// Clicking a node (or Enter on it) narrows the table below to that node's links.
import { memo } from 'react';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { faultLabel, type PeerPair } from './linkHealth.ts';

const SIZE = 440;
const R_NODE = 20;

export interface GraphNode {
  id: string;
  name: string;
  status: NodeStatus['status'] | 'unknown';
}

function position(i: number, n: number, radius: number): { x: number; y: number } {
  const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
  return { x: SIZE / 2 + radius * Math.cos(angle), y: SIZE / 2 + radius * Math.sin(angle) };
}

const statusTone: Record<GraphNode['status'], string> = {
  'in-sync': 'pg-ok',
  behind: 'pg-warn',
  stalled: 'pg-warn',
  diverged: 'pg-bad',
  down: 'pg-bad',
  unknown: 'pg-unknown',
};

export const PeerGraph = memo(function PeerGraph({
  nodes,
  pairs,
  focus,
  onFocus,
}: {
  nodes: GraphNode[];
  pairs: PeerPair[];
  focus: string | null;
  onFocus: (id: string | null) => void;
}) {
  const n = nodes.length;
  const radius = SIZE / 2 - R_NODE - 30;
  const at = new Map(nodes.map((node, i) => [node.id, position(i, n, radius)]));
  const showRtt = n <= 8;
  const showFaults = n <= 12;
  // Above 8 nodes (the graph is then shown only on demand) hairlines keep the circle legible.
  const thin = n > 8 ? { strokeWidth: 1 } : undefined;
  const nameOf = (id: string) => nodes.find((x) => x.id === id)?.name ?? id;
  // Fault labels sit mid-line; lines through the centre (a circle's diameters) would all put
  // theirs on the same spot, so those move out along their line, alternately one way and the other.
  let throughCentre = 0;
  return (
    <svg viewBox={`0 0 ${SIZE} ${SIZE}`} className="peer-graph" data-testid="peer-graph" role="group" aria-label={`Peer links between ${n} nodes`}>
      {pairs.map((p) => {
        const a = at.get(p.a);
        const b = at.get(p.b);
        if (!a || !b) return null;
        const dim = focus !== null && p.a !== focus && p.b !== focus;
        const blocked = p.blockedBy.length > 0;
        const states = blocked
          ? `blocked by ${p.blockedBy.join(', ')}`
          : [...new Set(p.reports.map((r) => (r.carrying === false && r.state === 'connected' ? 'silent' : r.state)))].join('/');
        const faulted = p.faults.length > 0;
        // Across a partition no ping is answered: the last RTT measured is stale, so it is not drawn.
        const partitioned = blocked || p.faults.some((f) => /partition/.test(f));
        let t = 0.5;
        if (faulted && Math.hypot((a.x + b.x) / 2 - SIZE / 2, (a.y + b.y) / 2 - SIZE / 2) < 40) t = throughCentre++ % 2 === 0 ? 0.28 : 0.72;
        const fx = a.x + (b.x - a.x) * t;
        const fy = a.y + (b.y - a.y) * t;
        return (
          <g
            key={`${p.a}|${p.b}`}
            className={dim ? 'pg-dim' : undefined}
            data-testid="peer-link"
            data-tone={p.tone}
            data-faults={faulted ? p.faults.join('; ') : undefined}
            data-blocked={blocked || undefined}
          >
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} style={thin} className={faulted ? 'pg-link pg-link-fault' : `pg-link pg-link-${p.tone}${p.broken ? ' pg-link-broken' : ''}`}>
              <title>{`${nameOf(p.a)} ↔ ${nameOf(p.b)}: ${states}${p.rttMs !== null ? `, RTT ${p.rttMs.toFixed(1)} ms` : ''}${p.reports.some((r) => r.errors > 0) ? ', errors' : ''}${faulted ? `; chaos: ${p.faults.join(', ')}` : ''}`}</title>
            </line>
            {showRtt && p.rttMs !== null && !partitioned && (
              // 40% along from the first node, so lines crossing at the centre keep their labels apart.
              <text x={a.x + (b.x - a.x) * 0.4} y={a.y + (b.y - a.y) * 0.4 - 4} textAnchor="middle" className="pg-rtt">
                {p.rttMs < 10 ? p.rttMs.toFixed(1) : Math.round(p.rttMs)} ms
              </text>
            )}
            {showFaults && faulted && (
              // Below the line where an RTT label sits above it.
              <text x={fx} y={showRtt && p.rttMs !== null && !partitioned ? fy + 14 : fy + 4} textAnchor="middle" className="pg-fault" data-testid="peer-link-fault">
                {faultLabel(p.faults)}
              </text>
            )}
          </g>
        );
      })}
      {nodes.map((node) => {
        const { x, y } = at.get(node.id)!;
        // Name above a node in the upper half, below one in the lower half: never off the sides.
        const labelY = y < SIZE / 2 - 1 ? y - R_NODE - 8 : y + R_NODE + 18;
        const selected = focus === node.id;
        return (
          <g
            key={node.id}
            className={`pg-node ${statusTone[node.status]}${selected ? ' pg-selected' : ''}${focus !== null && !selected ? ' pg-dim' : ''}`}
            role="button"
            tabIndex={0}
            aria-pressed={selected}
            aria-label={`${node.name}, ${node.status}; show only its links`}
            data-testid="peer-node"
            data-node={node.name}
            onClick={() => onFocus(selected ? null : node.id)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                onFocus(selected ? null : node.id);
              }
            }}
          >
            <circle cx={x} cy={y} r={R_NODE} />
            <text x={x} y={labelY} textAnchor="middle" className="pg-label">
              {node.name}
            </text>
            <text x={x} y={y + 4} textAnchor="middle" className="pg-inner">
              {node.status === 'in-sync' ? '✓' : node.status === 'unknown' ? '?' : '!'}
            </text>
          </g>
        );
      })}
    </svg>
  );
});
