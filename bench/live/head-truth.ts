// The ground truth of a live run: every head each node accepted, read by the bench itself
// from each node's /stream (not through the server under test). Each head keeps the node's
// own timestamp (`at`, Date.now() on the node, whole ms) and when this process received it,
// which is also the baseline: the latency of a direct node → client WebSocket on this machine.
import WebSocket from 'ws';

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

/** Wall clock with sub-millisecond resolution, on the same clock as Date.now(). */
export const nowMs = () => performance.timeOrigin + performance.now();

export class HeadTruth {
  readonly heads = new Map<string, TruthHead>();
  /** Set when a stream closed or broke during the run: the truth may then be incomplete. */
  problems: string[] = [];
  private sockets: WebSocket[] = [];
  private closing = false;

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  async connect(nodeUrls: string[]): Promise<void> {
    await Promise.all(nodeUrls.map((url) => this.follow(url)));
  }

  private follow(nodeUrl: string): Promise<void> {
    const u = new URL('/stream', nodeUrl);
    u.protocol = 'ws:';
    const ws = new WebSocket(u, { handshakeTimeout: 10_000 });
    this.sockets.push(ws);
    let nodeId: string | null = null;
    return new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        const receivedAt = nowMs();
        const e = JSON.parse(data.toString()) as { type: string; at: number; node?: { id: string }; head?: { height: number; hash: string }; reorg?: { depth: number } | null };
        if (e.type === 'hello') {
          nodeId = e.node!.id;
          resolve();
        } else if (e.type === 'head' && nodeId) {
          const key = headKey(nodeId, e.head!.hash);
          if (!this.heads.has(key)) this.heads.set(key, { nodeId, hash: e.head!.hash, height: e.head!.height, reorgDepth: e.reorg?.depth ?? 0, at: e.at, receivedAt });
        } else if (e.type === 'reset') {
          this.problems.push(`${nodeUrl}: stream reset (${String((e as { reason?: string }).reason)})`);
        }
      });
      ws.on('error', (err) => {
        if (!nodeId) reject(new Error(`cannot follow ${u.href}: ${err.message}`));
        else this.problems.push(`${nodeUrl}: ${err.message}`);
      });
      ws.on('close', () => {
        if (!this.closing) this.problems.push(`${nodeUrl}: stream closed during the run`);
      });
    });
  }

  /** The heads whose node timestamp falls in [from, to). */
  between(from: number, to: number): TruthHead[] {
    return [...this.heads.values()].filter((h) => h.at >= from && h.at < to);
  }

  close(): void {
    this.closing = true;
    for (const ws of this.sockets) ws.terminate();
  }
}
