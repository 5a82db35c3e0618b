// Follows every node's head over its /stream (hello, then head events) with the node's own
// timestamps, so "where was each node's head at instant t" can be answered afterwards for any
// t, however late this process read the events. Polling /health instead would judge the
// observer: on a busy machine 32 answers arrive seconds apart and seem out of sync.
import { StreamTap } from '../core/stream-tap.ts';

export interface HeadAt {
  /** Node clock, Unix ms (all nodes share this machine's clock). */
  at: number;
  height: number;
  hash: string;
}

interface Timeline {
  heads: HeadAt[];
  /** When the stream closed (this process's clock), or null while open. */
  closedAt: number | null;
}

export class HeadTap {
  private readonly timelines: Timeline[];
  /** Block hash → parent hash, from the block events of every node. */
  private readonly parents = new Map<string, string>();
  private tap: StreamTap | null = null;

  private constructor(count: number) {
    this.timelines = Array.from({ length: count }, () => ({ heads: [], closedAt: null }));
  }

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  static async open(urls: string[], timeoutMs = 15_000): Promise<HeadTap> {
    const heads = new HeadTap(urls.length);
    const note = (node: number, e: { at: number; head: { height: number; hash: string } }) =>
      heads.timelines[node].heads.push({ at: e.at, height: e.head.height, hash: e.head.hash });
    heads.tap = await StreamTap.open(urls, {
      helloTimeoutMs: timeoutMs,
      on: {
        hello: note,
        head: note,
        block: (_node, e) => heads.parents.set(e.block.hash, e.block.header.parentHash),
      },
      onDown: (node) => {
        heads.timelines[node].closedAt ??= Date.now();
      },
    });
    return heads;
  }

  /** Each node's head at instant `t`; null for a node whose stream had closed by then. */
  headsAt(t: number): Array<HeadAt | null> {
    return this.timelines.map((line) => {
      if (line.closedAt !== null && line.closedAt <= t) return null;
      let found: HeadAt | null = null;
      for (const h of line.heads) {
        if (h.at > t) break;
        found = h;
      }
      return found;
    });
  }

  parentOf(hash: string): string | null {
    return this.parents.get(hash) ?? null;
  }

  close(): void {
    this.tap?.close();
  }
}
