// Listens to every BFT node's /stream for the consensus benchmark: each block with its header
// timestamp (the proposal time) and each node's `acceptedAt` (the commit time, since a BFT
// block is only accepted with its commit), and the round of each commit (`commit` events).
// All nodes share this machine's wall clock, so times compare across processes.
import { StreamTap, type TapEvent } from '../core/stream-tap.ts';
import type { CommittedBlock } from './commit-latency.ts';
import type { StepTimes } from './phase-breakdown.ts';

interface Seen {
  height: number;
  hash: string;
  proposedAt: number;
  acceptedAt: Map<number, number>;
  round: number | null;
  proposer: number;
}

export class CommitTap {
  private readonly blocks = new Map<string, Seen>();
  /** Block hash → highest commit round any node reported (they all agree in a safe network). */
  private readonly rounds = new Map<string, number>();
  /** Height → node → when it entered each step of round 0 (whole ms, the node's `round` events). */
  readonly steps = new Map<number, Map<number, StepTimes>>();
  private readonly listeners = new Set<() => void>();
  /** Node index → its public key, from the stream's hello. */
  private readonly publicKeys: string[] = [];
  /** Acceptances without a sub-ms `acceptedAt` (whole-ms `at` used instead). */
  coarse = 0;
  /** Streams that closed while the tap was open. */
  readonly lost: string[] = [];
  private tap: StreamTap | null = null;

  private constructor(readonly nodes: number) {}

  static async open(urls: string[], timeoutMs = 15_000): Promise<CommitTap> {
    const c = new CommitTap(urls.length);
    c.tap = await StreamTap.open(urls, {
      helloTimeoutMs: timeoutMs,
      on: {
        hello: (node, e) => {
          c.publicKeys[node] = e.node.publicKey;
        },
        block: (node, e) => c.onBlock(node, e),
        commit: (_node, e) => c.onCommit(e),
        round: (node, e) => c.onRound(node, e),
      },
      onDown: (node, reason) => c.lost.push(`${urls[node]}: ${reason}`),
    });
    return c;
  }

  private onBlock(node: number, e: TapEvent<'block'>): void {
    const { hash, header } = e.block;
    let seen = this.blocks.get(hash);
    if (!seen) {
      seen = {
        height: header.height,
        hash,
        proposedAt: header.timestamp,
        acceptedAt: new Map(),
        round: this.rounds.get(hash) ?? null,
        proposer: this.publicKeys.indexOf(header.proposer),
      };
      this.blocks.set(hash, seen);
    }
    if (seen.acceptedAt.has(node)) return;
    if (e.acceptedAt === undefined) this.coarse++;
    seen.acceptedAt.set(node, e.acceptedAt ?? e.at);
    for (const l of this.listeners) l();
  }

  private onCommit(e: TapEvent<'commit'>): void {
    const round = Math.max(e.round, this.rounds.get(e.hash) ?? 0);
    this.rounds.set(e.hash, round);
    const seen = this.blocks.get(e.hash);
    if (seen) seen.round = round;
  }

  private onRound(node: number, e: TapEvent<'round'>): void {
    if (e.round !== 0) return;
    let perNode = this.steps.get(e.height);
    if (!perNode) this.steps.set(e.height, (perNode = new Map()));
    let times = perNode.get(node);
    if (!times) perNode.set(node, (times = {}));
    times[e.step] ??= e.at;
  }

  /** Every block seen so far, with what is known of it. */
  committed(): CommittedBlock[] {
    return [...this.blocks.values()];
  }

  /** The highest height every node has accepted a block at, or 0. */
  heightEveryNodeHas(): number {
    let best = 0;
    for (const b of this.blocks.values()) if (b.acceptedAt.size === this.nodes && b.height > best) best = b.height;
    return best;
  }

  /** Resolves once every node has accepted a block at `height` or above. */
  waitForHeight(height: number, timeoutMs: number, what: string): Promise<number> {
    const reached = () => this.heightEveryNodeHas() >= height;
    if (reached()) return Promise.resolve(this.heightEveryNodeHas());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (every node has height ${this.heightEveryNodeHas()})`));
      }, timeoutMs);
      const check = () => {
        if (!reached()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(this.heightEveryNodeHas());
      };
      this.listeners.add(check);
    });
  }

  close(): void {
    this.tap?.close();
    this.listeners.clear();
  }
}
