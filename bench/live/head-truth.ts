// The ground truth of a live run: every head each node accepted, read by the bench itself
// from each node's /stream (not through the server under test). Each head keeps the node's
// own timestamp (`at`, Date.now() on the node, whole ms) and when this process received it,
// which is also the baseline: the latency of a direct node → client WebSocket on this machine.
import { StreamTap } from '../core/stream-tap.ts';

export interface TruthHead {
  nodeId: string;
  hash: string;
  height: number;
  reorgDepth: number;
  /** The node's timestamp of the head event (ms since the epoch, whole ms). */
  at: number;
  /** When the bench read it from the node's stream (ms since the epoch, fractional). */
  receivedAt: number;
}

export const headKey = (nodeId: string, hash: string) => `${nodeId}:${hash}`;

export class HeadTruth {
  readonly heads = new Map<string, TruthHead>();
  /** Set when a stream closed or broke during the run: the truth may then be incomplete. */
  problems: string[] = [];
  private tap: StreamTap | null = null;

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  async connect(nodeUrls: string[]): Promise<void> {
    const nodeIds: string[] = [];
    this.tap = await StreamTap.open(nodeUrls, {
      on: {
        hello: (node, e) => {
          nodeIds[node] = e.node.id;
        },
        head: (node, e, receivedAt) => {
          const nodeId = nodeIds[node];
          const key = headKey(nodeId, e.head.hash);
          if (!this.heads.has(key)) this.heads.set(key, { nodeId, hash: e.head.hash, height: e.head.height, reorgDepth: e.reorg?.depth ?? 0, at: e.at, receivedAt });
        },
        reset: (node, e) => {
          this.problems.push(`${nodeUrls[node]}: stream reset (${e.reason})`);
        },
      },
      onDown: (node, reason) => {
        this.problems.push(`${nodeUrls[node]}: stream closed during the run (${reason})`);
      },
    });
  }

  /** The heads whose node timestamp falls in [from, to). */
  between(from: number, to: number): TruthHead[] {
    return [...this.heads.values()].filter((h) => h.at >= from && h.at < to);
  }

  close(): void {
    this.tap?.close();
  }
}
