// The indexer: one NodeSubscriber per full node, one HealthPoller per health-only node (ATTACH
// `health+…`), one shared IndexWriter and BlockGraph. It owns their lifecycles and re-emits
// what the monitor and the live hub need.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { BlockGraph } from './block-graph.ts';
import type { IndexBatch } from './index-batch.ts';
import type { HeadRef, StreamEvent } from '../../wire/node-api.ts';
import { IndexWriter, type BatchSink } from './index-writer.ts';
import { NodeSubscriber, type SubscriberStore } from './node-subscriber.ts';
import { HealthPoller, type HealthPollerOptions } from './health-poller.ts';
import type { HealthOnlyTarget } from './health-target.ts';

/** Any node the indexer follows: fully (stream, blocks) or only through its health JSON. */
export type FollowedNode = NodeSubscriber | HealthPoller;

export interface IndexerEvents {
  /** A batch reached the database (blocks in it are now queryable). */
  flushed: [IndexBatch];
  /** A node's head, health or connection changed. */
  nodeChanged: [FollowedNode];
  /** A node moved its head (reorgDepth > 0 on a reorg). */
  head: [FollowedNode, { head: HeadRef; reorgDepth: number; at: number }];
  /** Every event read from a node's stream, after it was handed to the writer. */
  stream: [NodeSubscriber, StreamEvent];
}

export class Indexer extends EventEmitter<IndexerEvents> {
  readonly graph = new BlockGraph();
  readonly writer: IndexWriter;
  private readonly subs = new Map<string, NodeSubscriber>();
  private readonly pollers = new Map<string, HealthPoller>();
  private started = false;

  constructor(private readonly deps: { store: SubscriberStore & BatchSink; logger: Logger }) {
    super();
    this.writer = new IndexWriter(deps.store, { flushIntervalMs: 200, maxBatchRows: 2_000, highWaterRows: 20_000 }, deps.logger.child({ part: 'writer' }));
    this.writer.on('flushed', (batch) => this.emit('flushed', batch));
    this.writer.on('error', () => undefined); // logged by the writer; retried there
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.writer.start();
    for (const sub of this.subs.values()) sub.start();
    for (const p of this.pollers.values()) p.start();
  }

  /** Follow a node that serves only a health JSON: its head is polled, it has no blocks in the index. */
  followHealthOnly(target: HealthOnlyTarget, opts: HealthPollerOptions): HealthPoller {
    const existing = this.pollers.get(target.url);
    if (existing) return existing;
    const poller = new HealthPoller(target, opts, {
      store: this.deps.store,
      writer: this.writer,
      logger: this.deps.logger.child({ part: 'health-poller', url: target.url }),
    });
    poller.on('head', (h) => {
      this.emit('head', poller, h);
      this.emit('nodeChanged', poller);
    });
    poller.on('state', () => this.emit('nodeChanged', poller));
    this.pollers.set(target.url, poller);
    if (this.started) poller.start();
    return poller;
  }

  /** The health-only nodes (no stream, blocks or peers to read from them). */
  healthOnlyNodes(): HealthPoller[] {
    return [...this.pollers.values()];
  }

  follow(url: string, source: 'local' | 'attached'): NodeSubscriber {
    const existing = this.subs.get(url);
    if (existing) return existing;
    const sub = new NodeSubscriber(url, source, {
      store: this.deps.store,
      writer: this.writer,
      graph: this.graph,
      logger: this.deps.logger.child({ part: 'subscriber', url }),
    });
    const changed = () => this.emit('nodeChanged', sub);
    sub.on('head', (h) => {
      this.emit('head', sub, h);
      changed();
    });
    sub.on('stream', (e) => this.emit('stream', sub, e));
    sub.on('health', changed);
    sub.on('state', changed);
    this.subs.set(url, sub);
    if (this.started) sub.start();
    return sub;
  }

  /** The fully followed nodes (stream and blocks); health-only ones are in healthOnlyNodes(). */
  subscribers(): NodeSubscriber[] {
    return [...this.subs.values()];
  }

  async stop(): Promise<void> {
    for (const sub of this.subs.values()) sub.stop();
    for (const p of this.pollers.values()) p.stop();
    await Promise.allSettled([...this.subs.values(), ...this.pollers.values()].map((s) => s.idle()));
    await this.writer.stop();
  }
}
