// Turns what the indexer knows about each node into statuses and a network verdict, on a
// steady tick (so a silent node turns 'down' or 'stalled' even when no event arrives), and
// tells listeners only when something a user would see has changed.
import { EventEmitter } from 'node:events';
import type { NetworkConsensus, NodeStatus } from '../../wire/explorer-api.ts';
import type { Indexer } from '../indexer/indexer.ts';
import type { NodeSubscriber } from '../indexer/node-subscriber.ts';
import { judgeConsensus, type NodeChainView } from './consensus.ts';

export interface MonitorEvents {
  nodes: [NodeStatus[]];
  consensus: [NetworkConsensus];
}

export class NetworkMonitor extends EventEmitter<MonitorEvents> {
  private timer: NodeJS.Timeout | null = null;
  private lastNodesJson = '';
  private lastConsensusJson = '';
  private nodesSnapshot: NodeStatus[] = [];
  private consensusSnapshot: NetworkConsensus = { status: 'unknown', agreedHeight: null };

  constructor(
    private readonly indexer: Indexer,
    private readonly opts: { blockTimeMs: number; tickMs?: number },
  ) {
    super();
  }

  start(): void {
    this.evaluate();
    this.timer = setInterval(() => this.evaluate(), this.opts.tickMs ?? 1_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  nodes(): NodeStatus[] {
    return this.nodesSnapshot;
  }

  consensus(): NetworkConsensus {
    return this.consensusSnapshot;
  }

  evaluate(now = Date.now()): void {
    const subs = this.indexer.subscribers().filter((s) => s.nodeId !== null);
    const views: NodeChainView[] = subs.map((s) => ({
      id: s.nodeId!,
      reachable: s.state !== 'down',
      head: s.chain.head,
      lastHeadAt: s.lastHeadAt,
      hashAt: (h) => s.chain.hashAt(h),
    }));
    const verdict = judgeConsensus(views, {
      now,
      blockTimeMs: this.opts.blockTimeMs,
      stallBlockTimes: 5,
      behindBlocks: 3,
    });
    this.nodesSnapshot = subs.map((s) => toStatus(s, verdict.nodes.get(s.nodeId!)));
    this.consensusSnapshot = verdict.network;

    // Ages are derived in the browser from lastHeadAt, so equal JSON means nothing visible changed.
    const nodesJson = JSON.stringify(this.nodesSnapshot);
    if (nodesJson !== this.lastNodesJson) {
      this.lastNodesJson = nodesJson;
      this.emit('nodes', this.nodesSnapshot);
    }
    const consensusJson = JSON.stringify(this.consensusSnapshot);
    if (consensusJson !== this.lastConsensusJson) {
      this.lastConsensusJson = consensusJson;
      this.emit('consensus', this.consensusSnapshot);
    }
  }
}

function toStatus(s: NodeSubscriber, judged: { status: NodeStatus['status']; reason: string | null; lag: number | null } | undefined): NodeStatus {
  const h = s.lastHealth;
  const down = s.state === 'down';
  return {
    id: s.nodeId!,
    name: s.record?.name ?? s.url,
    url: s.url,
    source: s.record?.source ?? 'attached',
    status: judged?.status ?? 'down',
    statusReason: down ? (s.lastError ?? 'not answering') : (judged?.reason ?? null),
    height: s.chain.head?.height ?? null,
    headHash: s.chain.head?.hash ?? null,
    lag: judged?.lag ?? null,
    peers: h ? h.peers.connected : null,
    lastHeadAt: s.lastHeadAt,
    nodeHealth: down ? null : (h?.status ?? null),
    healthReasons: down ? [] : (h?.reasons ?? []),
    validator: s.record?.validator ?? false,
  };
}
