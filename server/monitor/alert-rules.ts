// Pure alert rules: from the monitor's verdict, which alerts should be active right now.
// Each alert has a stable key, so the manager raises it once and clears it when the
// condition goes away, instead of raising a new row every tick.
import type { NetworkConsensus, NodeStatus } from '../../wire/explorer-api.ts';

export interface AlertCandidate {
  key: string;
  kind: 'divergence' | 'stall' | 'node-down' | 'deep-reorg';
  severity: 'info' | 'warning' | 'critical';
  nodeId: string | null;
  message: string;
  details: Record<string, unknown>;
}

export function desiredAlerts(network: NetworkConsensus, nodes: NodeStatus[]): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  const nameOf = (id: string) => nodes.find((n) => n.id === id)?.name ?? id;
  if (network.status === 'forked') {
    const groups = (network.groups ?? []).map((g) => g.map(nameOf));
    out.push({
      key: 'divergence',
      kind: 'divergence',
      severity: 'critical',
      nodeId: null,
      message: `Nodes diverged at height ${network.forkHeight ?? '?'}: ${groups.map((g) => g.join(', ')).join(' | ')}`,
      details: { forkHeight: network.forkHeight ?? null, groups: network.groups ?? [] },
    });
  }
  if (network.status === 'stalled') {
    out.push({
      key: 'stall',
      kind: 'stall',
      severity: 'critical',
      nodeId: null,
      message: `The network stalled at height ${network.agreedHeight ?? '?'}: no node produced a block recently`,
      details: { height: network.agreedHeight },
    });
  }
  for (const n of nodes) {
    if (n.status === 'down') {
      out.push({
        key: `down:${n.id}`,
        kind: 'node-down',
        severity: 'critical',
        nodeId: n.id,
        message: `${n.name} is down: ${n.statusReason ?? 'not answering'}`,
        details: { url: n.url },
      });
    } else if (n.status === 'stalled' && network.status !== 'stalled') {
      out.push({
        key: `stall:${n.id}`,
        kind: 'stall',
        severity: 'warning',
        nodeId: n.id,
        message: `${n.name} stalled at height ${n.height}: ${n.statusReason ?? ''}`.trim(),
        details: { height: n.height },
      });
    }
  }
  return out;
}

/** A reorg this deep (blocks removed) raises a deep-reorg alert. */
export const DEEP_REORG_DEPTH = 3;
