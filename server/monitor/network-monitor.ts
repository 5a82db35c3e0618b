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
  /** Every evaluation (once a second at least), for rules that need time to pass. */
  tick: [];
  /** The network went from forked back to agreed. */
  converged: [NonNullable<NetworkConsensus['lastConvergence']>];
}

export class NetworkMonitor extends EventEmitter<MonitorEvents> {
  private timer: NodeJS.Timeout | null = null;
  private lastNodesJson = '';
  private lastConsensusJson = '';
  private nodesSnapshot: NodeStatus[] = [];
  private consensusSnapshot: NetworkConsensus = { status: 'unknown', agreedHeight: null };
  private status: NetworkConsensus['status'] = 'unknown';
  private statusSince = Date.now();
  private forkedAt: number | null = null;
  private healedAt: number | null = null;
  private lastConvergence: NetworkConsensus['lastConvergence'];

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

  /** A heal was applied: convergence time is then measured from this moment. */
  noteHeal(at = Date.now()): void {
    this.healedAt = at;
  }

  private trackStatus(next: NetworkConsensus, now: number): void {
    if (next.status === this.status) return;
    if (next.status === 'forked') {
      this.forkedAt = now;
      this.healedAt = null;
    } else if (next.status === 'agreed' && this.status === 'forked' && this.forkedAt !== null) {
      const from = this.healedAt !== null && this.healedAt >= this.forkedAt ? this.healedAt : this.forkedAt;
      this.lastConvergence = { forkedAt: this.forkedAt, agreedAt: now, ms: now - from, height: next.agreedHeight };
      this.forkedAt = null;
      this.healedAt = null;
      this.emit('converged', this.lastConvergence);
    }
    this.status = next.status;
    this.statusSince = now;
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
    this.trackStatus(verdict.network, now);
    this.consensusSnapshot = {
      ...verdict.network,
      since: this.statusSince,
      ...(this.lastConvergence ? { lastConvergence: this.lastConvergence } : {}),
    };

    // Ages are derived in the browser from lastHeadAt, so equal JSON means nothing visible changed.
    const nodesJson = JSON.stringify(this.nodesSnapshot);
    if (nodesJson !== this.lastNodesJson) {
      this.lastNodesJson = nodesJson;
      this.emit('nodes', this.nodesSnapshot);
    }
    this.emit('tick');
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
