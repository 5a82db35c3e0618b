// Connects what the control plane learns (indexer, monitor, alerts, peer polls) to what
// users see live: the Socket.IO hub and the event feed. One place, so every live update
// has exactly one path to the browser.
import type { Logger } from 'pino';
import type { Indexer } from '../indexer/indexer.ts';
import type { NetworkMonitor } from '../monitor/network-monitor.ts';
import type { AlertManager } from '../monitor/alert-manager.ts';
import type { EventFeed } from '../monitor/event-feed.ts';
import type { ExplorerQueries } from '../read/explorer-queries.ts';
import { DEEP_REORG_DEPTH, desiredAlerts, equivocationAlert, safetyAlert } from '../monitor/alert-rules.ts';
import type { LiveHub } from './live-hub.ts';
import type { ChaosController } from '../control/chaos-controller.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';

export function describeChaos(r: ChaosRecord, nameOf: (id: string) => string): string {
  const names = r.targets.map(nameOf).join(', ');
  const p = r.params as Record<string, unknown>;
  const what =
    r.kind === 'partition'
      ? `partition ${(p.groups as string[][]).map((g) => g.map(nameOf).join(',')).join(' | ')}${p.oneWay ? ' (one-way)' : ''}`
      : r.kind === 'heal'
        ? p.actionId
          ? `heal action #${p.actionId}`
          : 'heal everything'
        : `${r.kind}${names ? ` on ${names}` : ''}`;
  if (r.revertedAt) return `Reverted #${r.id}: ${what}`;
  const outcome = r.status === 'applied' ? '' : ` (${r.status})`;
  return `Chaos #${r.id}: ${what}${r.expiresAt ? ` for ${Math.round((r.expiresAt - r.at) / 1000)} s` : ''}${outcome}`;
}

export function wireLiveUpdates(parts: {
  indexer: Indexer;
  monitor: NetworkMonitor;
  alerts: AlertManager;
  feed: EventFeed;
  queries: ExplorerQueries;
  hub: LiveHub;
  chaos: ChaosController;
  logger: Logger;
}): void {
  const { indexer, monitor, alerts, feed, queries, hub, chaos, logger } = parts;
  const nameOfNode = (id: string | null) => (id ? (indexer.subscribers().find((s) => s.nodeId === id)?.record?.name ?? id) : null);

  chaos.on('changed', (record) => {
    hub.pushChaos(chaos.activeRecords(), record);
    feed.add({ kind: 'chaos', nodeId: null, message: describeChaos(record, (id) => nameOfNode(id) ?? id) });
  });

  let highestAnnounced = -1;
  indexer.on('flushed', (batch) => {
    for (const { block, seenBy } of batch.blocks) {
      if (block.header.height <= highestAnnounced) continue;
      highestAnnounced = block.header.height;
      feed.add({
        kind: 'head',
        nodeId: seenBy,
        message: `Block #${block.header.height} (${block.hash.slice(0, 8)}…, ${block.txs.length} txs) first seen by ${nameOfNode(seenBy)}`,
      });
    }
    // New blocks, and blocks whose holders changed (a node's head moved onto them).
    const hashes = new Set(batch.blocks.map((s) => s.block.hash));
    for (const c of batch.canonical) for (const h of c.hashes.slice(-50)) hashes.add(h);
    // The summaries cost a database query per flush (5 a second) on the thread that also
    // carries every live push; pages joining 'blocks' read the API first, so skipping the
    // query while nobody is in the room loses nothing.
    if (hashes.size === 0 || !hub.hasAudience('blocks')) return;
    queries
      .summariesFor([...hashes].slice(-500))
      .then((blocks) => hub.pushBlocks(blocks))
      .catch((err: Error) => logger.warn({ err }, 'could not summarise new blocks for live push'));
  });

  // Every head move goes to the 'heads' room once. A subscriber that re-synced announces the
  // head it found, which is the head already announced when the node did not move meanwhile.
  const lastHeadOf = new Map<string, string>();
  indexer.on('head', (sub, h) => {
    if (sub.nodeId && lastHeadOf.get(sub.nodeId) !== h.head.hash) {
      lastHeadOf.set(sub.nodeId, h.head.hash);
      hub.pushHead({ nodeId: sub.nodeId, height: h.head.height, hash: h.head.hash, reorgDepth: h.reorgDepth, at: h.at });
    }
  });

  indexer.on('head', (sub, h) => {
    if (h.reorgDepth <= 0) return;
    const name = sub.record?.name ?? sub.url;
    feed.add({ kind: 'reorg', nodeId: sub.nodeId, message: `${name} reorganised: ${h.reorgDepth} block${h.reorgDepth === 1 ? '' : 's'} replaced, now at #${h.head.height}` });
    if (h.reorgDepth >= DEEP_REORG_DEPTH) {
      void alerts.raiseEvent({
        key: `deep-reorg:${sub.nodeId}:${h.head.hash}`,
        kind: 'deep-reorg',
        severity: 'warning',
        nodeId: sub.nodeId,
        message: `${name} reorganised ${h.reorgDepth} blocks deep (now at #${h.head.height})`,
        details: { depth: h.reorgDepth, height: h.head.height, hash: h.head.hash },
      });
    }
  });

  // Consensus progress: the consensus page re-reads GET /api/consensus on each (throttled) notice.
  indexer.on('stream', (_sub, e) => {
    if (e.type === 'round' || e.type === 'votes' || e.type === 'commit') hub.pushConsensusNotice(e.type, e.height);
    else if (e.type === 'evidence') hub.pushConsensusNotice(e.type, e.evidence.height);
  });

  indexer.on('stream', (sub, e) => {
    if (e.type !== 'peer' || e.event === 'score') return;
    const who = e.peer.name ?? e.peer.address;
    const reason = e.reason ? `: ${e.reason}` : '';
    feed.add({ kind: 'peer', nodeId: sub.nodeId, at: e.at, message: `${sub.record?.name}: peer ${who} ${e.event}${reason}` });
  });

  // Equivocation is a validator's fact too: one permanent alert per offender (the first
  // evidence names it); every piece of evidence is indexed (evidence table) and listed.
  indexer.on('stream', (sub, e) => {
    if (e.type !== 'evidence') return;
    const offender = indexer.subscribers().find((s) => s.record?.publicKey === e.evidence.validator);
    void alerts.raisePermanent(equivocationAlert(e.evidence, offender?.nodeId ?? null, { offender: offender?.record?.name ?? null, reporter: sub.record?.name ?? sub.url }));
  });

  indexer.on('nodeChanged', () => monitor.evaluate());
  monitor.on('snapshot', (snapshot) => hub.pushNodes(snapshot));
  monitor.on('consensus', (c) => hub.pushConsensus(c));
  // Every evaluation: conditions must hold a moment before they raise, and clear at once.
  monitor.on('tick', () => void alerts.reconcile(desiredAlerts(monitor.consensus(), monitor.nodes())));
  // A safety violation is a fact, not a condition: raised once (the 'raised' handler below
  // puts it in the event feed) and never cleared.
  monitor.on('violation', (v) => void alerts.raisePermanent(safetyAlert(v, (id) => nameOfNode(id) ?? id)));
  monitor.on('converged', (c) => {
    feed.add({ kind: 'convergence', nodeId: null, message: `Network converged again at height ${c.height ?? '?'} after ${(c.ms / 1000).toFixed(1)} s` });
  });

  alerts.on('raised', (a) => {
    feed.add({ kind: 'alert', nodeId: a.nodeId, message: `Alert: ${a.message}` });
    hub.pushAlerts(alerts.activeAlerts());
  });
  alerts.on('cleared', (a) => {
    feed.add({ kind: 'alert', nodeId: a.nodeId, message: `Cleared: ${a.message}` });
    hub.pushAlerts(alerts.activeAlerts());
  });
  feed.on('event', (e) => hub.pushEvent(e));
}
