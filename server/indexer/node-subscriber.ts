// Follows one node: reads its /stream (resuming by epoch + seq), backfills over HTTP when the
// stream cannot resume or a parent is missing, and hands everything to the IndexWriter in
// order. Invariant kept here: a block is queued only after its parent, so a block in the
// index always has its ancestors in the index too.
import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import type { Logger } from 'pino';
import { STREAM_EVENT_TYPES, StreamEventSchema, type Block, type Health, type HeadRef, type StreamEvent } from '../../wire/node-api.ts';
import { NodeApiClient, streamUrl } from '../../lib/http/node-client.ts';
import type { BlockGraph, BlockLink } from './block-graph.ts';
import { CanonicalChain } from './canonical-chain.ts';
import type { IndexWriter } from './index-writer.ts';
import { roundSighting } from './index-batch.ts';
import { Backoff } from '../../lib/backoff.ts';

export interface NodeRecord {
  id: string;
  name: string;
  url: string;
  source: 'local' | 'attached';
  publicKey: string;
  validator: boolean;
}

/** What the subscriber needs from the database; implemented by PrismaIndexStore. */
export interface SubscriberStore {
  upsertNode(node: NodeRecord): Promise<void>;
  cursor(nodeId: string): Promise<{ epoch: string; seq: number } | null>;
  canonicalRange(nodeId: string, fromHeight: number, toHeight: number): Promise<Map<number, string>>;
  canonicalTop(nodeId: string, limit: number): Promise<Map<number, string>>;
  blockLink(hash: string): Promise<BlockLink | undefined>;
}

export type SubscriberState = 'connecting' | 'backfilling' | 'live' | 'down';

export interface SubscriberEvents {
  state: [SubscriberState];
  health: [Health];
  head: [{ nodeId: string; head: HeadRef; reorgDepth: number; at: number }];
  stream: [StreamEvent];
}

const PAGE = 500;

export class NodeSubscriber extends EventEmitter<SubscriberEvents> {
  readonly client: NodeApiClient;
  readonly chain = new CanonicalChain();
  nodeId: string | null = null;
  record: NodeRecord | null = null;
  state: SubscriberState = 'connecting';
  lastError: string | null = null;
  lastHeadAt: number | null = null;
  lastHealth: Health | null = null;
  /** The newest /stream `commit` (a BFT decision: the node's finalized tip, fresher than /health's 5 s samples). */
  lastCommit: { height: number; hash: string; at: number } | null = null;

  private ws: WebSocket | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  // Full jitter, capped: a restarted node is picked up within a few seconds. The first
  // retry waits under 500 ms (250 * 2^1, as before the shared Backoff), later ones up to 5 s.
  private readonly backoff = new Backoff({ baseMs: 500, capMs: 5_000 });
  private cursor: { epoch: string; seq: number } | null = null;
  private processing: Promise<void> = Promise.resolve();
  private needsBackfill = true;

  constructor(
    readonly url: string,
    private readonly source: 'local' | 'attached',
    private readonly deps: { store: SubscriberStore; writer: IndexWriter; graph: BlockGraph; logger: Logger },
  ) {
    super();
    this.client = new NodeApiClient(url);
  }

  start(): void {
    this.connect().catch((err) => this.fail(err as Error));
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.terminate();
    this.ws = null;
  }

  /** Resolves when every event received so far has been handed to the writer. */
  idle(): Promise<void> {
    return this.processing;
  }

  private setState(state: SubscriberState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState(this.state === 'down' ? 'down' : 'connecting');
    const health = await this.client.health();
    this.lastHealth = health;
    this.emit('health', health);
    const id = health.node.id;
    if (this.nodeId === null) {
      const record: NodeRecord = {
        id,
        name: health.node.name,
        url: this.url,
        source: this.source,
        publicKey: health.node.publicKey,
        validator: health.node.validator,
      };
      // The node row must exist before any of its rows is queued (foreign keys): only a
      // completed upsert makes this subscriber "know" its node; a failure retries it all.
      await this.deps.store.upsertNode(record);
      const cursor = await this.deps.store.cursor(id);
      this.chain.load(await this.deps.store.canonicalTop(id, 5_000));
      this.cursor = cursor;
      this.record = record;
      this.nodeId = id;
    } else if (this.nodeId !== id) {
      throw new Error(`node at ${this.url} changed identity from ${this.nodeId} to ${id}`);
    }

    const ws = new WebSocket(streamUrl(this.url, this.cursor), { maxPayload: 64 * 1024 * 1024, handshakeTimeout: 5_000 });
    this.ws = ws;
    ws.on('message', (data) => {
      let event: StreamEvent;
      try {
        const raw: unknown = JSON.parse(data.toString());
        const type = (raw as { type?: unknown } | null)?.type;
        // A newer node's event type (this build does not know it): nothing to index, skip it
        // rather than reconnect to the same event forever.
        if (typeof type === 'string' && !STREAM_EVENT_TYPES.has(type)) {
          this.deps.logger.debug({ node: this.nodeId, type }, 'unknown stream event type; skipped');
          return;
        }
        event = StreamEventSchema.parse(raw);
      } catch (err) {
        this.deps.logger.error({ err, node: this.nodeId, url: this.url }, 'invalid stream event; reconnecting');
        ws.terminate();
        return;
      }
      this.processing = this.processing
        .then(() => this.handle(event))
        .catch((err: Error) => {
          this.deps.logger.error({ err, node: this.nodeId, seq: event.seq, type: event.type }, 'stream event not indexed; re-syncing');
          this.needsBackfill = true;
          ws.terminate();
        });
    });
    ws.on('open', () => {
      this.backoff.reset();
      this.lastError = null;
    });
    ws.on('error', (err) => {
      this.lastError = err.message;
    });
    ws.on('close', () => {
      if (this.ws === ws) this.ws = null;
      this.scheduleReconnect(this.lastError ?? 'stream closed');
    });
  }

  private fail(err: Error): void {
    this.lastError = err.message;
    if (this.backoff.attempts === 0) this.deps.logger.warn({ node: this.nodeId, url: this.url, err: err.message }, 'node unreachable');
    this.scheduleReconnect(err.message);
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.backoff.next();
    if (this.backoff.attempts >= 2) this.setState('down');
    this.lastError = reason;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      // Events already received are processed before the new connection starts.
      this.processing.then(() => this.connect()).catch((err) => this.fail(err as Error));
    }, delay);
  }

  private async handle(event: StreamEvent): Promise<void> {
    const nodeId = this.nodeId!;
    this.emit('stream', event);
    switch (event.type) {
      case 'hello':
        if (this.needsBackfill || !this.cursor || this.cursor.epoch !== event.epoch) {
          this.setState('backfilling');
          await this.backfill(event.head);
          this.needsBackfill = false;
          this.deps.writer.addHead({ nodeId, epoch: event.epoch, seq: event.seq, at: event.at, height: event.head.height, hash: event.head.hash, reorg: null });
          this.noteHead(event.head, 0, event.at);
        }
        this.cursor = { epoch: event.epoch, seq: event.seq };
        this.setState('live');
        break;
      case 'reset':
        this.needsBackfill = true;
        return; // the hello that follows carries the head to backfill to
      case 'block':
        await this.ingestBlock(event.block);
        // After the block is queued (or known): the receipt references it. A node too old to
        // send acceptedAt gives no receipt rather than the indexer's own clock.
        if (event.acceptedAt !== undefined) {
          this.deps.writer.addReceipt({ blockHash: event.block.hash, nodeId, height: event.block.header.height, acceptedAt: event.acceptedAt });
        }
        break;
      case 'head': {
        const link = await this.link(event.head.hash);
        if (!link) throw new Error(`head ${event.head.hash.slice(0, 12)} at ${event.head.height} was never announced`);
        const move = await this.chain.moveHead(link, (h) => this.link(h));
        if (move.hashes.length) this.deps.writer.addCanonical({ nodeId, fromHeight: move.fromHeight, hashes: move.hashes });
        this.deps.writer.addHead({ nodeId, epoch: this.cursor!.epoch, seq: event.seq, at: event.at, height: event.head.height, hash: event.head.hash, reorg: event.reorg });
        this.noteHead(event.head, event.reorg?.depth ?? move.reorgDepth, event.at);
        break;
      }
      case 'health':
        this.lastHealth = event.health;
        this.deps.writer.addHealth({ nodeId, at: event.at, health: event.health });
        this.emit('health', event.health);
        break;
      case 'peer':
        if (this.cursor) this.deps.writer.addPeerEvent({ nodeId, epoch: this.cursor.epoch, event });
        break;
      case 'round': {
        const sighting = roundSighting(event);
        if (sighting) this.deps.writer.addRound(sighting);
        break;
      }
      case 'commit':
        if (!this.lastCommit || event.height > this.lastCommit.height) this.lastCommit = { height: event.height, hash: event.hash, at: event.at };
        break;
      case 'evidence':
        this.deps.writer.addEvidence({ nodeId, record: event.evidence });
        break;
      default:
        break;
    }
    if (this.cursor) {
      this.cursor = { epoch: this.cursor.epoch, seq: event.seq };
      this.deps.writer.setCursor(nodeId, this.cursor.epoch, event.seq);
    }
    await this.deps.writer.capacity();
  }

  private noteHead(head: HeadRef, reorgDepth: number, at: number): void {
    this.lastHeadAt = Date.now();
    this.emit('head', { nodeId: this.nodeId!, head, reorgDepth, at });
  }

  private async link(hash: string): Promise<BlockLink | undefined> {
    return this.deps.graph.get(hash) ?? (await this.deps.store.blockLink(hash));
  }

  /** Queue a block, fetching any missing ancestors from the node first (oldest first). */
  private async ingestBlock(block: Block): Promise<void> {
    if (this.deps.graph.has(block.hash)) return;
    const missing: Block[] = [block];
    let parent = block.header.parentHash;
    while (missing[missing.length - 1].header.height > 0 && !(await this.link(parent))) {
      const fetched = await this.client.block(parent);
      missing.push(fetched);
      parent = fetched.header.parentHash;
    }
    missing.reverse();
    this.queueBlocks(missing);
  }

  private queueBlocks(blocks: Block[]): void {
    const seenAt = Date.now();
    for (const b of blocks) this.deps.graph.add({ hash: b.hash, height: b.header.height, parentHash: b.header.parentHash });
    this.deps.writer.addBlocks(blocks.map((block) => ({ block, seenBy: this.nodeId!, seenAt })));
  }

  /**
   * Bring the index up to the node's canonical chain ending at `head`: walk down in pages to
   * the highest height where the indexed chain of this node already agrees, then read up
   * from there page by page (memory stays flat however long the gap).
   */
  private async backfill(head: HeadRef): Promise<void> {
    const nodeId = this.nodeId!;
    let meet = -1;
    const highestKnown = [...(await this.deps.store.canonicalTop(nodeId, 1)).keys()][0] ?? -1;
    for (let top = Math.min(head.height, highestKnown); top >= 0 && meet < 0; top -= PAGE) {
      const from = Math.max(0, top - PAGE + 1);
      const known = await this.deps.store.canonicalRange(nodeId, from, top);
      const page = await this.client.blocks(from, top - from + 1);
      for (let i = page.blocks.length - 1; i >= 0; i--) {
        const b = page.blocks[i];
        if (known.get(b.header.height) === b.hash) {
          meet = b.header.height;
          break;
        }
      }
    }
    const started = Date.now();
    let written = 0;
    for (let from = meet + 1; from <= head.height; from += PAGE) {
      const page = await this.client.blocks(from, PAGE);
      const blocks = page.blocks.filter((b) => b.header.height <= head.height);
      if (blocks.length === 0) break;
      const fresh = blocks.filter((b) => !this.deps.graph.has(b.hash));
      this.queueBlocks(fresh);
      const hashes = blocks.map((b) => b.hash);
      this.deps.writer.addCanonical({ nodeId, fromHeight: from, hashes });
      const isLast = blocks[blocks.length - 1].header.height >= head.height;
      this.chain.replaceFrom(from, hashes, isLast);
      written += blocks.length;
      await this.deps.writer.capacity();
    }
    if (written > 0) this.deps.logger.info({ node: this.record?.name, from: meet + 1, to: head.height, blocks: written, ms: Date.now() - started }, 'backfilled');
  }
}
