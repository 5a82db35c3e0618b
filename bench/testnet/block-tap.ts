// Listens to every node's /stream and records when each node accepted each block, by the
// node's own clock (`acceptedAt`, sub-ms Unix time; `at` in whole ms from nodes that lack
// it). All nodes share this machine's wall clock, so times compare across processes.
import { StreamTap, type TapEvent } from '../core/stream-tap.ts';

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
  private tap: StreamTap | null = null;
  private readonly listeners = new Set<(b: BlockSeen, node: number) => void>();

  private constructor(private readonly urls: string[]) {}

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  static async open(urls: string[], timeoutMs = 10_000): Promise<BlockTap> {
    const blocks = new BlockTap(urls);
    blocks.tap = await StreamTap.open(urls, {
      helloTimeoutMs: timeoutMs,
      on: {
        hello: (node, e) => {
          blocks.publicKeys[node] = e.node.publicKey;
        },
        block: (node, e) => blocks.record(node, e),
      },
      onDown: (node, reason) => process.stderr.write(`block tap: stream ${urls[node]} closed early (${reason})\n`),
    });
    return blocks;
  }

  private record(node: number, e: TapEvent<'block'>): void {
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
    this.tap?.close();
    this.listeners.clear();
  }
}
