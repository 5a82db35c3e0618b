// A deterministic stand-in for what the control plane pushes to the live hub while a testnet
// runs: N nodes, one new height per block time, accepted by the nodes one after the other
// (staggered over the block time, as gossip spreads it), each acceptance followed by what the
// product pushes for it — the head change, the monitor's node snapshot, the block summary
// and a feed line. Hashes derive from the seed and the height, so every run pushes the same
// bytes in the same order; only the wall clock (when) comes from the machine.
import crypto from 'node:crypto';
import type { BlockSummary, NetworkEvent, NodeStatus } from '../../wire/explorer-api.ts';
import type { LiveHub } from '../../server/live/live-hub.ts';

/** What the synthetic network pushes into: the LiveHub, or the raw-WebSocket baseline. */
export type LivePushTarget = Pick<LiveHub, 'pushHead' | 'pushNodes' | 'pushBlocks' | 'pushEvent'>;

export interface SyntheticNetworkOptions {
  nodes: number;
  blockTimeMs: number;
  seed: string;
}

const hashOf = (seed: string, what: string) => crypto.createHash('sha256').update(`${seed}:${what}`).digest('hex');

export class SyntheticNetwork {
  headsPushed = 0;
  private timer: NodeJS.Timeout | null = null;
  private step = 0;
  private startedAt = 0;
  private readonly statuses: NodeStatus[];
  private readonly nodeIds: string[];

  constructor(
    private readonly hub: LivePushTarget,
    private readonly opts: SyntheticNetworkOptions,
  ) {
    this.nodeIds = Array.from({ length: opts.nodes }, (_, i) => hashOf(opts.seed, `node-${i}`).slice(0, 40));
    this.statuses = this.nodeIds.map((id, i) => ({
      id,
      name: `node-${i + 1}`,
      url: `http://127.0.0.1:${7001 + i}`,
      source: 'local',
      status: 'in-sync',
      statusReason: null,
      height: 0,
      headHash: hashOf(opts.seed, 'block-0'),
      lag: 0,
      peers: opts.nodes - 1,
      lastHeadAt: null,
      nodeHealth: 'ok',
      healthReasons: [],
      validator: true,
    }));
  }

  /** One acceptance every blockTimeMs / nodes, on a drift-free schedule. */
  start(): void {
    this.startedAt = performance.now();
    const tick = () => {
      this.acceptNext();
      const next = this.startedAt + ++this.step * (this.opts.blockTimeMs / this.opts.nodes);
      this.timer = setTimeout(tick, Math.max(0, next - performance.now()));
    };
    this.timer = setTimeout(tick, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private acceptNext(): void {
    const nodeIndex = this.step % this.opts.nodes;
    const height = Math.floor(this.step / this.opts.nodes) + 1;
    const hash = hashOf(this.opts.seed, `block-${height}`);
    const nodeId = this.nodeIds[nodeIndex];
    const at = Date.now();
    this.hub.pushHead({ nodeId, height, hash, reorgDepth: 0, at });
    this.headsPushed++;
    const status = this.statuses[nodeIndex];
    status.height = height;
    status.headHash = hash;
    status.lastHeadAt = at;
    for (const s of this.statuses) s.lag = height - (s.height ?? 0);
    const heights = this.statuses.map((s) => s.height ?? 0);
    this.hub.pushNodes({ nodes: this.statuses.map((s) => ({ ...s })), network: { status: 'agreed', agreedHeight: Math.min(...heights) }, seq: this.headsPushed });
    if (nodeIndex === 0) {
      // The first node to hold a height is its proposer: a new block and a feed line.
      const block: BlockSummary = {
        hash,
        height,
        parentHash: hashOf(this.opts.seed, `block-${height - 1}`),
        proposer: nodeId,
        proposerName: status.name,
        timestamp: at,
        txCount: 3,
        sizeBytes: 1_200,
        firstSeenAt: at,
        firstSeenBy: nodeId,
        nodes: [nodeId],
        orphaned: false,
      };
      this.hub.pushBlocks([block]);
      const line: NetworkEvent = { id: `${height}`, at, kind: 'head', nodeId, message: `Block #${height} (${hash.slice(0, 8)}…, 3 txs) first seen by ${status.name}` };
      this.hub.pushEvent(line);
    }
  }
}
