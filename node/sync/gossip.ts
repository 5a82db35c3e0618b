// Block and transaction gossip: import what peers send, relay what was new, drop echoes
// through seen-caches before paying for a signature check, and turn invalid content into
// peer penalties. Also the dispatcher of every chain-level P2P message.
// Cost control for big meshes on small machines: our own blocks go to every peer, relays go
// to RELAY_FANOUT random peers; txs travel in one batch per TX_FLUSH_MS tick.
import type { Block, Tx } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import { ChainError, isSignatureError } from '../chain/errors.ts';
import type { Mempool } from '../chain/mempool.ts';
import { errFields, type Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { P2PError } from '../p2p/errors.ts';
import type { InboundMessage } from '../p2p/messages.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';
import type { PeerConnection } from '../p2p/peer-connection.ts';
import { SeenCache } from '../p2p/seen-cache.ts';
import type { BlockImporter } from './block-importer.ts';
import type { CatchUp } from './catch-up.ts';

const RELAY_FANOUT = 6;
const TX_FLUSH_MS = 100;
const TX_BATCH_MAX = 1000;

export interface GossipDeps {
  chain: Chain;
  mempool: Mempool;
  importer: BlockImporter;
  catchUp: () => CatchUp;
  host: () => P2PHost;
  metrics: Metrics;
  logger: Logger;
  isPaused(): boolean;
}

export class Gossip {
  private readonly seenBlocks = new SeenCache(20_000);
  private readonly seenTxs = new SeenCache(50_000);
  private announceTimer: NodeJS.Timeout | null = null;
  private txQueue: Tx[] = [];
  private txTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: GossipDeps) {}

  /** For the P2P host: is this message something we already hold? */
  isDuplicate = (m: InboundMessage): boolean => {
    if (m.type === 'block') return this.seenBlocks.has(m.payload.block.hash) || this.deps.chain.has(m.payload.block.hash);
    if (m.type === 'tx') return this.knownTx(m.payload.tx.hash);
    if (m.type === 'txs') return m.payload.txs.every((t) => this.knownTx(t.hash));
    return false;
  };

  private knownTx(hash: string): boolean {
    return this.seenTxs.has(hash) || this.deps.mempool.has(hash);
  }

  onMessage(peer: PeerConnection, m: InboundMessage): void {
    // Paused means frozen: nothing is processed (keep-alive still runs below this layer).
    if (this.deps.isPaused()) return;
    switch (m.type) {
      case 'block':
        this.onBlock(peer, m.payload.block);
        return;
      case 'tx':
        this.onTx(peer, m.payload.tx);
        return;
      case 'txs':
        for (const tx of m.payload.txs) this.onTx(peer, tx);
        return;
      case 'status':
        this.deps.catchUp().poke(peer);
        return;
      case 'get_blocks':
        this.deps.catchUp().onGetBlocks(peer, m.payload);
        return;
      case 'blocks':
        this.deps.catchUp().onBlocks(peer, m.payload);
        return;
      default:
        return;
    }
  }

  /** A block we produced (already imported): tell everyone. */
  publishBlock(block: Block): void {
    this.seenBlocks.add(block.hash);
    this.deps.host().broadcast('block', { block });
  }

  /** A tx submitted through the API or the load generator (already in the mempool). */
  publishTx(tx: Tx): void {
    this.seenTxs.add(tx.hash);
    this.queueTx(tx);
  }

  private queueTx(tx: Tx): void {
    this.txQueue.push(tx);
    if (this.txQueue.length >= TX_BATCH_MAX) this.flushTxs();
    else this.txTimer ??= setTimeout(() => this.flushTxs(), TX_FLUSH_MS);
  }

  private flushTxs(): void {
    if (this.txTimer) clearTimeout(this.txTimer);
    this.txTimer = null;
    const txs = this.txQueue;
    this.txQueue = [];
    if (txs.length > 0) this.deps.host().broadcast('txs', { txs }, undefined, RELAY_FANOUT);
  }

  /** Tells peers our head, at most once per 100 ms: a sync batch moves the head hundreds of times. */
  announceHead(): void {
    if (this.announceTimer) return;
    this.announceTimer = setTimeout(() => {
      this.announceTimer = null;
      this.deps.host().broadcast('status', { head: this.deps.chain.headRef() });
    }, 100);
  }

  stop(): void {
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.announceTimer = null;
    if (this.txTimer) clearTimeout(this.txTimer);
    this.txTimer = null;
    this.txQueue = [];
  }

  private onBlock(peer: PeerConnection, block: Block): void {
    if (!this.seenBlocks.add(block.hash)) return;
    if (!peer.head || block.header.height > peer.head.height) peer.head = { height: block.header.height, hash: block.hash };
    const r = this.deps.importer.import(block, { peer: peer.remote?.id });
    switch (r.status) {
      case 'accepted':
        this.deps.host().broadcast('block', { block }, peer, RELAY_FANOUT);
        return;
      case 'orphan':
        this.deps.catchUp().poke(peer);
        return;
      case 'rejected':
        if (r.error.code !== 'BLOCK_FROM_FUTURE') {
          this.deps.host().penalize(peer, new P2PError('INVALID_BLOCK', `${r.error.code}: ${r.error.message}`, { height: block.header.height, hash: block.hash }));
        } else {
          // Maybe valid later (clock skew): let it be offered again.
          this.seenBlocks.delete(block.hash);
        }
        return;
      default:
        return;
    }
  }

  private onTx(peer: PeerConnection, tx: Tx): void {
    if (!this.seenTxs.add(tx.hash)) return;
    try {
      this.deps.mempool.add(tx, this.deps.chain.headState());
      this.deps.metrics.txsAccepted.inc();
      this.queueTx(tx);
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
