// Catch-up sync: when a peer's head is ahead of ours (or on a fork we do not have), ask it
// for blocks after our locator in batches, one request in flight, until we have caught up.
// While a batch is checked and imported, the next one is already asked for (its locator
// starts at the batch's last block), so the peer's serving and the transfer overlap our
// import instead of alternating with it; at most one received batch waits.
// Also answers other nodes' get_blocks requests from our canonical chain.
// A reactor: it owns get_blocks and blocks, and looks for a better peer when one connects.
import type { Block, HeadRef } from '../../wire/node-api.ts';
import { preverifySignatures } from '../chain/block.ts';
import type { Chain } from '../chain/chain.ts';
import { errFields, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { P2PError } from '../p2p/errors.ts';
import { handler, type MessageHandler, type Reactor } from '../p2p/message-registry.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import type { BlockImporter } from './block-importer.ts';
import { BlocksMsg, GetBlocksMsg, type BlocksPayload, type GetBlocksPayload } from './messages.ts';

/** A gap of at most this many blocks is what a live node misses, not a sync from far behind. */
const SMALL_GAP_BLOCKS = 20;
const SMALL_REQUEST_TIMEOUT_MS = 2_000;

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

/** One stretch of catching up, from the first request to no peer having more: logged at both ends. */
interface SyncSession {
  startedAt: number;
  /** process.cpuUsage() at the start: CPU per block is the figure a busy machine does not blur. */
  cpuAtStart: NodeJS.CpuUsage;
  fromHeight: number;
  batches: number;
  blocks: number;
}

export class CatchUp implements Reactor {
  readonly name = 'catch-up';
  readonly messages: readonly MessageHandler<unknown>[];
  private inFlight: InFlight | null = null;
  private nextReqId = 1;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** A received batch is being checked and imported (the prefetch for the next may be in flight). */
  private importing = false;
  /** The prefetched batch that arrived while the previous one was still importing. */
  private waitingBatch: { peer: PeerConnection; msg: BlocksPayload; verified: Promise<number> } | null = null;
  private session: SyncSession | null = null;
  targetHeight: number | null = null;
  /** Peers that timed out or sent garbage recently: skipped for a while. */
  private readonly cooling = new Map<PeerConnection, number>();

  constructor(
    private readonly opts: CatchUpOptions,
    private readonly deps: { chain: Chain; host: P2PHost; importer: BlockImporter; metrics: Metrics; logger: Logger; isPaused(): boolean },
  ) {
    // Paused means frozen: requests and answers are ignored like every other message.
    this.messages = [
      handler(GetBlocksMsg, {
        handle: (peer, m) => {
          if (!this.deps.isPaused()) this.onGetBlocks(peer, m);
        },
      }),
      handler(BlocksMsg, {
        handle: (peer, m) => {
          if (!this.deps.isPaused()) this.onBlocks(peer, m);
        },
      }),
    ];
  }

  peerConnected(peer: PeerConnection): void {
    this.poke(peer);
  }

  peerDisconnected(): void {
    this.peerGone();
  }

  get state(): 'idle' | 'syncing' {
    return this.inFlight || this.importing ? 'syncing' : 'idle';
  }

  /** Nothing in flight and no usable peer has a head we lack. */
  caughtUp(): boolean {
    return this.state === 'idle' && this.bestPeer() === null;
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
    this.waitingBatch = null;
  }

  /** Something changed (peer head, orphan, resume): sync if some peer has more. */
  poke(preferred?: PeerConnection): void {
    if (!this.running || this.inFlight || this.importing || this.deps.isPaused()) return;
    const peer = preferred && this.hasMore(preferred.head) && !this.isCooling(preferred) ? preferred : this.bestPeer();
    if (!peer) {
      this.targetHeight = null;
      this.endSession();
      return;
    }
    this.request(peer);
  }

  /** Operators (and the sync benchmark) read the rate of a catch-up from these two lines. */
  private startSession(peer: PeerConnection): void {
    if (this.session) return;
    const from = this.deps.chain.headRef().height;
    this.session = { startedAt: Date.now(), cpuAtStart: process.cpuUsage(), fromHeight: from, batches: 0, blocks: 0 };
    this.deps.logger.info({ peer: peer.remote?.id, from, target: this.targetHeight }, 'sync started');
  }

  private endSession(): void {
    const s = this.session;
    if (!s) return;
    this.session = null;
    const ms = Date.now() - s.startedAt;
    const cpu = process.cpuUsage(s.cpuAtStart);
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const head = this.deps.chain.headRef();
    this.deps.logger.info(
      { from: s.fromHeight, head, blocks: s.blocks, batches: s.batches, ms, cpuMs, blocksPerSec: ms > 0 ? Math.round((s.blocks * 1000) / ms) : null },
      'caught up',
    );
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

  /** `locator` defaults to our canonical chain's; a prefetch puts the batch being imported in front. */
  private request(peer: PeerConnection, locator: string[] = this.deps.chain.locator()): void {
    const reqId = this.nextReqId++;
    this.targetHeight = peer.head?.height ?? null;
    // A request for the few blocks a live node misses (a block lost on a lossy link) is small
    // and answered in milliseconds: when it is not, the request or the answer was lost, and
    // waiting the full timeout of a big batch would leave the node behind for that long.
    const gap = (this.targetHeight ?? Infinity) - this.deps.chain.headRef().height;
    const small = gap <= SMALL_GAP_BLOCKS;
    const timeoutMs = small ? Math.min(this.opts.requestTimeoutMs, SMALL_REQUEST_TIMEOUT_MS) : this.opts.requestTimeoutMs;
    const timer = setTimeout(() => {
      if (this.inFlight?.reqId !== reqId) return;
      this.deps.logger.warn({ peer: peer.remote?.id, reqId, timeoutMs }, 'get_blocks timed out');
      this.deps.metrics.errors.inc({ kind: 'SYNC_TIMEOUT' });
      this.cooling.set(peer, Date.now() + (small ? SMALL_REQUEST_TIMEOUT_MS : 10_000));
      this.inFlight = null;
      this.poke();
    }, timeoutMs);
    this.inFlight = { peer, reqId, timer };
    this.startSession(peer);
    this.deps.logger.debug({ peer: peer.remote?.id, reqId, from: this.deps.chain.headRef().height, target: this.targetHeight }, 'requesting blocks');
    this.deps.host.send(peer, GetBlocksMsg, { reqId, locator, limit: this.opts.batchSize });
  }

  /** A peer disconnected; a request to it would never be answered. */
  peerGone(): void {
    for (const p of this.cooling.keys()) if (p.state === 'closed') this.cooling.delete(p);
    if (!this.inFlight || this.inFlight.peer.state !== 'closed') return;
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    this.poke();
  }

  onBlocks(peer: PeerConnection, msg: BlocksPayload): void {
    if (!this.inFlight || this.inFlight.peer !== peer || this.inFlight.reqId !== msg.reqId) return; // late or unsolicited: ignore
    clearTimeout(this.inFlight.timer);
    this.inFlight = null;
    this.deps.metrics.syncBatches.inc();
    peer.head = msg.head;
    // Its signatures go to the worker threads at once, even when it has to wait for the import
    // of the previous batch: checking one batch overlaps importing the other.
    const verified = preverifySignatures(msg.blocks);
    if (this.importing) this.waitingBatch = { peer, msg, verified };
    else this.processBatch(peer, msg, verified);
  }

  private processBatch(peer: PeerConnection, msg: BlocksPayload, verified: Promise<number>): void {
    this.importing = true;
    this.prefetchAfter(peer, msg);
    this.importBatch(peer, msg, verified)
      .catch((err: unknown) => {
        this.deps.logger.error({ ...errFields(err), peer: peer.remote?.id }, 'sync batch import failed');
        return false;
      })
      .then((ok) => {
        this.importing = false;
        if (!ok) this.dropPrefetch(peer);
        const next = this.waitingBatch;
        this.waitingBatch = null;
        if (next && this.running) this.processBatch(next.peer, next.msg, next.verified);
        else setImmediate(() => this.poke(peer)); // next batch after I/O gets a turn
      })
      .catch((err: unknown) => {
        // Only a bug in the bookkeeping above lands here; without this owner it would be an
        // unhandled rejection that kills the node.
        this.importing = false;
        this.deps.logger.error({ ...errFields(err), peer: peer.remote?.id }, 'sync batch bookkeeping failed');
      });
  }

  /** Asks for the blocks after this batch now, while it is being imported. */
  private prefetchAfter(peer: PeerConnection, msg: BlocksPayload): void {
    const last = msg.blocks[msg.blocks.length - 1];
    if (!last || this.inFlight || !this.running || peer.state !== 'connected' || msg.head.height <= last.header.height) return;
    // The peer answers after the first hash it holds on its canonical chain: the batch's last
    // block when it still does, else our own chain's locator as an ordinary request would.
    this.request(peer, [last.hash, ...this.deps.chain.locator()].slice(0, 64));
  }

  /** After a bad batch the prefetched one builds on it: do not wait for it or import it. */
  private dropPrefetch(peer: PeerConnection): void {
    if (this.inFlight?.peer === peer) {
      clearTimeout(this.inFlight.timer);
      this.inFlight = null;
    }
    if (this.waitingBatch?.peer === peer) this.waitingBatch = null;
  }

  /** False when the peer sent a block we refuse (the rest of its batch is not imported). */
  private async importBatch(peer: PeerConnection, msg: BlocksPayload, verified: Promise<number>): Promise<boolean> {
    // Every signature of the batch was sent at once to the worker threads (all cores), instead
    // of one by one on this thread inside each import; the imports below find them checked.
    // A bad signature is simply not remembered, and its block is rejected by the import.
    await verified;
    if (!this.running) return true;
    let accepted = 0;
    let ok = true;
    for (const block of msg.blocks) {
      const r = this.deps.importer.import(block, { peer: peer.remote?.id });
      if (r.status === 'accepted') accepted++;
      else if (r.status === 'rejected') {
        if (r.error.code !== 'BLOCK_FROM_FUTURE')
          this.deps.host.penalize(peer, new P2PError('INVALID_BLOCK', `${r.error.code} in sync batch`, { height: block.header.height, hash: block.hash }));
        this.cooling.set(peer, Date.now() + 10_000);
        ok = false;
        break;
      }
    }
    if (this.session) {
      this.session.batches++;
      this.session.blocks += accepted;
    }
    const head = this.deps.chain.headRef();
    this.deps.logger.debug({ peer: peer.remote?.id, got: msg.blocks.length, accepted, head: head.height, peerHead: msg.head.height }, 'sync batch');
    if (msg.blocks.length === 0 && this.hasMore(msg.head)) {
      // The peer claims more but sent nothing after our locator: do not ask it again soon.
      this.cooling.set(peer, Date.now() + 5_000);
    }
    return ok;
  }

  onGetBlocks(peer: PeerConnection, msg: GetBlocksPayload): void {
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
    this.deps.host.send(peer, BlocksMsg, { reqId: msg.reqId, blocks, head: chain.headRef() });
  }
}
