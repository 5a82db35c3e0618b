// Listens to every node's /stream and records when each node accepted each block, by the
// node's own clock (`acceptedAt`, sub-ms Unix time; `at` in whole ms from nodes that lack
// it). All nodes share this machine's wall clock, so times compare across processes.
// Only the fields it needs are read: a full schema check of every block on 16+ streams would
// cost this process more CPU than the nodes it measures.
import WebSocket from 'ws';
import { z } from 'zod';

const HelloFields = z.object({ type: z.literal('hello'), node: z.object({ publicKey: z.string(), name: z.string() }) });
const BlockFields = z.object({
  type: z.literal('block'),
  at: z.number(),
  acceptedAt: z.number().optional(),
  block: z.object({ hash: z.string(), header: z.object({ height: z.number().int(), parentHash: z.string(), proposer: z.string() }) }),
});

export interface BlockSeen {
  hash: string;
  height: number;
  parentHash: string;
  proposer: string;
  /** Node index (0-based, in the order given) → acceptance time, Unix ms. */
  acceptedAt: Map<number, number>;
}

export class BlockTap {
  readonly blocks = new Map<string, BlockSeen>();
  /** Node index → its public key, from the stream's hello. */
  readonly publicKeys: string[] = [];
  /** Acceptances whose time had only whole-ms precision (node without `acceptedAt`). */
  coarse = 0;
  private readonly sockets: WebSocket[] = [];
  private readonly listeners = new Set<(b: BlockSeen, node: number) => void>();
  private closed = false;

  private constructor(private readonly urls: string[]) {}

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  static async open(urls: string[], timeoutMs = 10_000): Promise<BlockTap> {
    const tap = new BlockTap(urls);
    try {
      await Promise.all(urls.map((u, i) => tap.connect(u, i, timeoutMs)));
    } catch (err) {
      tap.close();
      throw err;
    }
    return tap;
  }

  private connect(httpUrl: string, index: number, timeoutMs: number): Promise<void> {
    const url = `${httpUrl.replace(/^http/, 'ws')}/stream`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      this.sockets.push(ws);
      const timer = setTimeout(() => reject(new Error(`no hello from ${url} within ${timeoutMs} ms`)), timeoutMs);
      ws.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`stream ${url}: ${err.message}`));
      });
      ws.on('close', () => {
        if (!this.closed) process.stderr.write(`block tap: stream ${url} closed early\n`);
      });
      ws.on('message', (data) => {
        const raw = JSON.parse(String(data)) as { type?: string };
        if (raw.type === 'hello') {
          this.publicKeys[index] = HelloFields.parse(raw).node.publicKey;
          clearTimeout(timer);
          resolve();
        } else if (raw.type === 'block') {
          this.record(index, BlockFields.parse(raw));
        }
      });
    });
  }

  private record(node: number, e: z.infer<typeof BlockFields>): void {
    const { hash, header } = e.block;
    let seen = this.blocks.get(hash);
    if (!seen) {
      seen = { hash, height: header.height, parentHash: header.parentHash, proposer: header.proposer, acceptedAt: new Map() };
      this.blocks.set(hash, seen);
    }
    if (seen.acceptedAt.has(node)) return;
    if (e.acceptedAt === undefined) this.coarse++;
    seen.acceptedAt.set(node, e.acceptedAt ?? e.at);
    for (const l of this.listeners) l(seen, node);
  }

  /** Resolves with the first block that `pred` accepts, checked on every acceptance. */
  waitFor(pred: (b: BlockSeen) => boolean, timeoutMs: number, what: string): Promise<BlockSeen> {
    for (const b of this.blocks.values()) if (pred(b)) return Promise.resolve(b);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const check = (b: BlockSeen) => {
        if (!pred(b)) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(b);
      };
      this.listeners.add(check);
    });
  }

  get nodeCount(): number {
    return this.urls.length;
  }

  close(): void {
    this.closed = true;
    for (const ws of this.sockets) ws.terminate();
    this.listeners.clear();
  }
}
