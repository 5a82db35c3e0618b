// The indexer: one NodeSubscriber per node, one shared IndexWriter and BlockGraph. It owns
// their lifecycles and re-emits what the monitor and the live hub need.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { BlockGraph } from './block-graph.ts';
import type { IndexBatch } from './index-batch.ts';
import type { HeadRef, StreamEvent } from '../../wire/node-api.ts';
import { IndexWriter, type BatchSink } from './index-writer.ts';
import { NodeSubscriber, type SubscriberStore } from './node-subscriber.ts';

export interface IndexerEvents {
  /** A batch reached the database (blocks in it are now queryable). */
  flushed: [IndexBatch];
  /** A node's head, health or connection changed. */
  nodeChanged: [NodeSubscriber];
  /** A node moved its head (reorgDepth > 0 on a reorg). */
  head: [NodeSubscriber, { head: HeadRef; reorgDepth: number; at: number }];
  /** Every event read from a node's stream, after it was handed to the writer. */
  stream: [NodeSubscriber, StreamEvent];
}

export class Indexer extends EventEmitter<IndexerEvents> {
  readonly graph = new BlockGraph();
  readonly writer: IndexWriter;
  private readonly subs = new Map<string, NodeSubscriber>();
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

  subscribers(): NodeSubscriber[] {
    return [...this.subs.values()];
  }

  async stop(): Promise<void> {
    for (const sub of this.subs.values()) sub.stop();
    await Promise.allSettled([...this.subs.values()].map((s) => s.idle()));
    await this.writer.stop();
  }
}
