// Catch-up sync: when a peer's head is ahead of ours (or on a fork we do not have), ask it
// for blocks after our locator in batches, one request in flight, until we have caught up.
// Also answers other nodes' get_blocks requests from our canonical chain.
import type { Block, HeadRef } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { P2PError } from '../p2p/errors.ts';
import type { PayloadOf } from '../p2p/messages.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import type { BlockImporter } from './block-importer.ts';

export interface CatchUpOptions {
  batchSize: number;
  requestTimeoutMs: number;
  /** How often to look for a better peer even without news. */
  checkIntervalMs: number;
  /** Byte budget of one answer (stays well under the peer's maxPayload). */
  maxResponseBytes: number;
}

interface InFlight {
  peer: PeerConnection;
  reqId: number;
  timer: NodeJS.Timeout;
}

export class CatchUp {
  private inFlight: InFlight | null = null;
  private nextReqId = 1;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  targetHeight: number | null = null;
  /** Peers that timed out or sent garbage recently: skipped for a while. */
  private readonly cooling = new Map<PeerConnection, number>();

  constructor(
    private readonly opts: CatchUpOptions,
    private readonly deps: { chain: Chain; host: P2PHost; importer: BlockImporter; metrics: Metrics; logger: Logger; isPaused(): boolean },
  ) {}

  get state(): 'idle' | 'syncing' {
    return this.inFlight ? 'syncing' : 'idle';
  }

  start(): void {
    this.running = true;
    this.timer = setInterval(() => this.poke(), this.opts.checkIntervalMs);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.inFlight) clearTimeout(this.inFlight.timer);
    this.inFlight = null;
  }

  /** Something changed (peer head, orphan, resume): sync if some peer has more. */
  poke(preferred?: PeerConnection): void {
    if (!this.running || this.inFlight || this.deps.isPaused()) return;
    const peer = preferred && this.hasMore(preferred.head) && !this.isCooling(preferred) ? preferred : this.bestPeer();
    if (!peer) {
      this.targetHeight = null;
      return;
    }
    this.request(peer);
  }

  private hasMore(head: HeadRef | null): boolean {
    if (!head) return false;
    const ours = this.deps.chain.headRef();
    if (head.height > ours.height) return true;
    return head.height === ours.height && head.hash !== ours.hash && !this.deps.chain.has(head.hash);
  }

  private isCooling(p: PeerConnection): boolean {
    const until = this.cooling.get(p);
    if (until === undefined) return false;
    if (until > Date.now() && p.state !== 'closed') return true;
    this.cooling.delete(p);
    return false;
  }

  private bestPeer(): PeerConnection | null {
    let best: PeerConnection | null = null;
    for (const p of this.deps.host.connected()) {
      if (!this.hasMore(p.head) || this.isCooling(p)) continue;
      if (!best || p.head!.height > best.head!.height || (p.head!.height === best.head!.height && (p.rttMs ?? 1e9) < (best.rttMs ?? 1e9))) best = p;
    }
    return best;
  }

  private request(peer: PeerConnection): void {
    const reqId = this.nextReqId++;
    this.targetHeight = peer.head?.height ?? null;
    const timer = setTimeout(() => {
      if (this.inFlight?.reqId !== reqId) return;
      this.deps.logger.warn({ peer: peer.remote?.id, reqId }, 'get_blocks timed out');
      this.deps.metrics.errors.inc({ kind: 'SYNC_TIMEOUT' });
      this.cooling.set(peer, Date.now() + 10_000);
      this.inFlight = null;
      this.poke();
    }, this.opts.requestTimeoutMs);
    this.inFlight = { peer, reqId, timer };
    this.deps.logger.debug({ peer: peer.remote?.id, reqId, from: this.deps.chain.headRef().height, target: this.targetHeight }, 'requesting blocks');
    this.deps.host.send(peer, 'get_blocks', { reqId, locator: this.deps.chain.locator(), limit: this.opts.batchSize });
  }

  /** A peer disconnected; a request to it would never be answered. */
  peerGone(): void {
    for (const p of this.cooling.keys()) if (p.state === 'closed') this.cooling.delete(p);
    if (!this.inFlight || this.inFlight.peer.state !== 'closed') return;
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    this.poke();
  }

  onBlocks(peer: PeerConnection, msg: PayloadOf<'blocks'>): void {
    if (!this.inFlight || this.inFlight.peer !== peer || this.inFlight.reqId !== msg.reqId) return; // late or unsolicited: ignore
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    this.deps.metrics.syncBatches.inc();
    peer.head = msg.head;
    let accepted = 0;
    for (const block of msg.blocks) {
      const r = this.deps.importer.import(block, { peer: peer.remote?.id });
      if (r.status === 'accepted') accepted++;
      else if (r.status === 'rejected') {
        if (r.error.code !== 'BLOCK_FROM_FUTURE') this.deps.host.penalize(peer, new P2PError('INVALID_BLOCK', `${r.error.code} in sync batch`, { height: block.header.height, hash: block.hash }));
        this.cooling.set(peer, Date.now() + 10_000);
        break;
      }
    }
    const head = this.deps.chain.headRef();
    this.deps.logger.debug({ peer: peer.remote?.id, got: msg.blocks.length, accepted, head: head.height, peerHead: msg.head.height }, 'sync batch');
    if (msg.blocks.length === 0 && this.hasMore(msg.head)) {
      // The peer claims more but sent nothing after our locator: do not ask it again soon.
      this.cooling.set(peer, Date.now() + 5_000);
    }
    setImmediate(() => this.poke(peer)); // next batch after I/O gets a turn
  }

  onGetBlocks(peer: PeerConnection, msg: PayloadOf<'get_blocks'>): void {
    const chain = this.deps.chain;
    let start = 1;
    for (const hash of msg.locator) {
      if (chain.isCanonical(hash)) {
        start = chain.getByHash(hash)!.header.height + 1;
        break;
      }
    }
    const blocks: Block[] = [];
    let bytes = 0;
    for (const b of chain.range(start, msg.limit)) {
      bytes += JSON.stringify(b).length;
      if (blocks.length > 0 && bytes > this.opts.maxResponseBytes) break;
      blocks.push(b);
    }
    this.deps.host.send(peer, 'blocks', { reqId: msg.reqId, blocks, head: chain.headRef() });
  }
}
