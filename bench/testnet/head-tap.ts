// Follows every node's head over its /stream (hello, then head events) with the node's own
// timestamps, so "where was each node's head at instant t" can be answered afterwards for any
// t, however late this process read the events. Polling /health instead would judge the
// observer: on a busy machine 32 answers arrive seconds apart and seem out of sync.
import WebSocket from 'ws';

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
  private readonly sockets: WebSocket[] = [];
  private closing = false;

  private constructor(count: number) {
    this.timelines = Array.from({ length: count }, () => ({ heads: [], closedAt: null }));
  }

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  static async open(urls: string[], timeoutMs = 15_000): Promise<HeadTap> {
    const tap = new HeadTap(urls.length);
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
    const line = this.timelines[index];
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      this.sockets.push(ws);
      const timer = setTimeout(() => reject(new Error(`no hello from ${url} within ${timeoutMs} ms`)), timeoutMs);
      ws.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`stream ${url}: ${err.message}`));
      });
      ws.on('close', () => {
        if (!this.closing) line.closedAt = Date.now();
      });
      ws.on('message', (data) => {
        const e = JSON.parse(String(data)) as { type: string; at: number; head?: { height: number; hash: string }; block?: { hash: string; header: { parentHash: string } } };
        if ((e.type === 'hello' || e.type === 'head') && e.head) {
          line.heads.push({ at: e.at, height: e.head.height, hash: e.head.hash });
          if (e.type === 'hello') {
            clearTimeout(timer);
            resolve();
          }
        } else if (e.type === 'block' && e.block) {
          this.parents.set(e.block.hash, e.block.header.parentHash);
        }
      });
    });
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
    this.closing = true;
    for (const ws of this.sockets) ws.terminate();
  }
}
