// Block and transaction gossip: import what peers send, relay what was new, drop echoes
// through seen-caches before paying for a signature check, and turn invalid content into
// peer penalties. A reactor: it owns the status, block, tx and txs messages (registered with
// the P2P host, which checks them before a handler here runs).
// Cost control for big meshes on small machines: our own blocks go to every peer, with the
// list of peers they went to (`sentTo`); a block that came straight from its proposer is
// relayed only to our peers missing from that list (in a full mesh: none, so one copy per node
// instead of n−1; with a link down, the nodes on both sides of it fill the gap at once); a
// block that came any other way is relayed to RELAY_FANOUT random peers. Whatever gossip
// misses, a node still learns within one status tick: every node announces its new head
// (status, 100–200 ms after it changed, to peers not known to hold it) and a peer that is
// behind fetches what it lacks (catch-up).
// Txs work the same way: a node sends the txs submitted to it (API, load generator) to every
// peer, in batches marked `origin`, and those are not relayed; txs that came any other way are
// relayed to RELAY_FANOUT random peers. Both travel in one batch per TX_FLUSH_MS tick, moved
// out of the moments a block is expected when the engine knows them (quietIn): on a small
// machine every node checks a tx batch at once, and a block arriving then waits for that.
// (A node with no link to a tx's origin gets the tx with the block that includes it.)
import type { Block, HeadRef, Tx } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import { ChainError, isSignatureError } from '../chain/errors.ts';
import type { Mempool } from '../chain/mempool.ts';
import { errFields, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { P2PError } from '../p2p/errors.ts';
import { handler, type MessageHandler, type Reactor } from '../p2p/message-registry.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import { SeenCache } from '../p2p/seen-cache.ts';
import type { BlockImporter } from './block-importer.ts';
import type { CatchUp } from './catch-up.ts';
import { BlockMsg, StatusMsg, TxMsg, TxsMsg, type BlockPayload, type StatusPayload, type TxPayload, type TxsPayload } from './messages.ts';

const RELAY_FANOUT = 6;
const STATUS_DELAY_MS = 100;
const STATUS_JITTER_MS = 100;
const TX_FLUSH_MS = 100;
const TX_BATCH_MAX = 1000;

/** Does a peer whose last known head is `theirs` hold our head `ours` (or something better)? */
export function knowsHead(theirs: HeadRef | null, ours: HeadRef): boolean {
  return theirs !== null && (theirs.hash === ours.hash || theirs.height > ours.height);
}

export interface GossipDeps {
  chain: Chain;
  mempool: Mempool;
  importer: BlockImporter;
  catchUp: () => CatchUp;
  host: () => P2PHost;
  metrics: Metrics;
  logger: Logger;
  isPaused(): boolean;
  /**
   * The engine's ConsensusEngine.quietAt on its clock: tx batches wait for it, so they do
   * not compete with a block for the CPU of every node at once. Absent: no wait.
   */
  quietIn?: (delayMs: number) => number;
}

export class Gossip implements Reactor {
  readonly name = 'gossip';
  readonly messages: readonly MessageHandler<unknown>[];
  private readonly seenBlocks = new SeenCache(20_000);
  private readonly seenTxs = new SeenCache(50_000);
  private announceTimer: NodeJS.Timeout | null = null;
  /** Txs submitted to this node: to every peer, as an origin batch. */
  private ownTxQueue: Tx[] = [];
  /** Txs learnt from a peer that must travel on: to RELAY_FANOUT peers. */
  private relayTxQueue: Tx[] = [];
  private txTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: GossipDeps) {
    // Built once: dispatch is a Map lookup in the host, no closure per message.
    // Paused means frozen: nothing is processed (keep-alive still runs below this layer).
    this.messages = [
      handler(StatusMsg, { handle: (peer, m) => this.onStatus(peer, m) }),
      handler(BlockMsg, { isDuplicate: (m) => this.knownBlock(m), handle: (peer, m) => this.onBlockMessage(peer, m) }),
      handler(TxMsg, { isDuplicate: (m) => this.knownTx(m.tx.hash), handle: (peer, m) => this.onTxMessage(peer, m) }),
      handler(TxsMsg, { isDuplicate: (m) => m.txs.every((t) => this.knownTx(t.hash)), handle: (peer, m) => this.onTxsMessage(peer, m) }),
    ];
  }

  private knownBlock(m: BlockPayload): boolean {
    return this.seenBlocks.has(m.block.hash) || this.deps.chain.has(m.block.hash);
  }

  private knownTx(hash: string): boolean {
    return this.seenTxs.has(hash) || this.deps.mempool.has(hash);
  }

  private onStatus(peer: PeerConnection, m: StatusPayload): void {
    // The peer's head is known even while paused: a link-level fact, as the hello's head.
    peer.head = m.head;
    if (this.deps.isPaused()) return;
    this.deps.catchUp().poke(peer);
  }

  private onBlockMessage(peer: PeerConnection, m: BlockPayload): void {
    if (this.deps.isPaused()) return;
    this.onBlock(peer, m.block, m.sentTo);
  }

  private onTxMessage(peer: PeerConnection, m: TxPayload): void {
    if (this.deps.isPaused()) return;
    this.onTx(peer, m.tx, true);
  }

  private onTxsMessage(peer: PeerConnection, m: TxsPayload): void {
    if (this.deps.isPaused()) return;
    // The origin sent its own txs to every peer it has: passing them on would be an echo.
    const relay = m.origin !== true;
    for (const tx of m.txs) this.onTx(peer, tx, relay);
  }

  /** A block we produced (already imported): tell everyone. */
  publishBlock(block: Block): void {
    this.seenBlocks.add(block.hash);
    const host = this.deps.host();
    const sentTo = host.connected().flatMap((p) => (p.remote ? [p.remote.id] : []));
    host.broadcast(BlockMsg, { block, sentTo });
  }

  /** A tx submitted through the API or the load generator (already in the mempool). */
  publishTx(tx: Tx): void {
    this.seenTxs.add(tx.hash);
    this.queueTx(this.ownTxQueue, tx);
  }

  private queueTx(queue: Tx[], tx: Tx): void {
    queue.push(tx);
    if (queue.length >= TX_BATCH_MAX) this.flushTxs();
    else this.txTimer ??= setTimeout(() => this.flushTxs(), this.deps.quietIn?.(TX_FLUSH_MS) ?? TX_FLUSH_MS);
  }

  private flushTxs(): void {
    if (this.txTimer) clearTimeout(this.txTimer);
    this.txTimer = null;
    const own = this.ownTxQueue;
    const relayed = this.relayTxQueue;
    this.ownTxQueue = [];
    this.relayTxQueue = [];
    if (own.length > 0) this.deps.host().broadcast(TxsMsg, { txs: own, origin: true });
    if (relayed.length > 0) this.deps.host().broadcast(TxsMsg, { txs: relayed }, undefined, RELAY_FANOUT);
  }

  /**
   * Tells peers our head, at most once per STATUS_DELAY_MS (a sync batch moves the head
   * hundreds of times), and only peers not known to hold it already: a peer that sent us the
   * block or told us this head (or a higher one) needs no status. The random part of the
   * delay spreads the nodes of a mesh that accepted a block together, so the first to speak
   * spare the others half of the n·(n−1) statuses.
   */
  announceHead(): void {
    if (this.announceTimer) return;
    this.announceTimer = setTimeout(
      () => {
        this.announceTimer = null;
        const head = this.deps.chain.headRef();
        this.deps.host().broadcast(StatusMsg, { head }, undefined, Infinity, (peer) => !knowsHead(peer.head, head));
      },
      STATUS_DELAY_MS + Math.floor(Math.random() * STATUS_JITTER_MS),
    );
  }

  stop(): void {
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announceTimer = null;
    if (this.txTimer) clearTimeout(this.txTimer);
    this.txTimer = null;
    this.ownTxQueue = [];
    this.relayTxQueue = [];
  }

  private onBlock(peer: PeerConnection, block: Block, sentTo: string[] | undefined): void {
    if (!this.seenBlocks.add(block.hash)) return;
    if (!peer.head || block.header.height > peer.head.height) peer.head = { height: block.header.height, hash: block.hash };
    const r = this.deps.importer.import(block, { peer: peer.remote?.id });
    switch (r.status) {
      case 'accepted':
        this.relayBlock(peer, block, sentTo);
        return;
      case 'orphan':
        this.deps.catchUp().poke(peer);
        return;
      case 'rejected':
        if (r.error.code !== 'BLOCK_FROM_FUTURE') {
          this.deps.host().penalize(peer, new P2PError('INVALID_BLOCK', `${r.error.code}: ${r.error.message}`, { height: block.header.height, hash: block.hash }));
          // A BFT commit is outside the block hash: a peer stripping or spoiling it must not make
          // us drop the same block with a valid commit from an honest peer.
          if (r.error.code === 'BLOCK_COMMIT_MISSING' || r.error.code === 'BLOCK_COMMIT_INVALID') this.seenBlocks.delete(block.hash);
        } else {
          // Maybe valid later (clock skew): let it be offered again.
          this.seenBlocks.delete(block.hash);
        }
        return;
      default:
        return;
    }
  }

  private relayBlock(from: PeerConnection, block: Block, sentTo: string[] | undefined): void {
    const host = this.deps.host();
    if (from.remote?.publicKey === block.header.proposer && sentTo) {
      // Straight from the proposer: only our peers it did not reach need a copy from us.
      const reached = new Set(sentTo);
      const head = { height: block.header.height, hash: block.hash };
      host.broadcast(
        BlockMsg,
        { block },
        from,
        Infinity,
        (p) => p.remote !== null && !reached.has(p.remote.id) && p.remote.publicKey !== block.header.proposer && !knowsHead(p.head, head),
      );
      return;
    }
    host.broadcast(BlockMsg, { block }, from, RELAY_FANOUT);
  }

  private onTx(peer: PeerConnection, tx: Tx, relay: boolean): void {
    if (!this.seenTxs.add(tx.hash)) return;
    try {
      this.deps.mempool.add(tx, this.deps.chain.headState());
      this.deps.metrics.txsAccepted.inc();
      if (relay) this.queueTx(this.relayTxQueue, tx);
    } catch (err) {
      if (!(err instanceof ChainError)) throw err;
      this.deps.metrics.txsRejected.inc({ code: err.code });
      if (isSignatureError(err)) this.deps.metrics.signatureFailures.inc({ what: 'tx' });
      // Nonce races and a full pool are normal in a busy mesh; forged txs are not.
      if (err.code === 'TX_SIGNATURE_INVALID' || err.code === 'TX_HASH_MISMATCH') {
        this.deps.metrics.errors.inc({ kind: err.code });
        this.deps.logger.warn({ ...errFields(err), peer: peer.remote?.id, tx: tx.hash }, `tx rejected: ${err.code}`);
        this.deps.host().penalize(peer, new P2PError('INVALID_TX', err.code, { tx: tx.hash }));
      }
    }
  }
}
