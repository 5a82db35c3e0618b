// Batches everything the subscribers want written and flushes it in one transaction per
// tick. A failed flush (database down) keeps the batch and retries with backoff (jittered,
// so several writers do not hit a recovering database together): nothing
// queued is lost, and subscribers wait (backpressure) instead of growing memory forever.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Backoff } from '../../lib/backoff.ts';
import {
  batchSize,
  emptyBatch,
  type BlockSighting,
  type CanonicalUpdate,
  type HeadChange,
  type HealthRecord,
  type IndexBatch,
  type PeerEventRecord,
  type RoundSighting,
  type EvidenceSighting,
  type BlockReceipt,
} from './index-batch.ts';

export interface BatchSink {
  writeBatch(batch: IndexBatch): Promise<void>;
}

export interface IndexWriterOptions {
  flushIntervalMs: number;
  /** Flush early once this many rows are queued. */
  maxBatchRows: number;
  /** Producers awaiting `capacity()` block above this many queued rows. */
  highWaterRows: number;
}

export interface IndexWriterEvents {
  flushed: [IndexBatch];
  error: [Error];
}

export class IndexWriter extends EventEmitter<IndexWriterEvents> {
  private queue = emptyBatch();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private stopped = false;
  private failures = 0;
  // Retries after a failed flush wait under 500 ms, 1 s, 2 s, … up to 10 s.
  private readonly retry = new Backoff({ baseMs: 500, capMs: 10_000 });
  private waiters: Array<() => void> = [];
  lastError: string | null = null;

  constructor(
    private readonly sink: BatchSink,
    private readonly opts: IndexWriterOptions,
    private readonly logger: Logger,
  ) {
    super();
  }

  start(): void {
    this.schedule(this.opts.flushIntervalMs);
  }

  get pendingRows(): number {
    return batchSize(this.queue);
  }

  get healthy(): boolean {
    return this.failures === 0;
  }

  addBlocks(sightings: BlockSighting[]): void {
    this.queue.blocks.push(...sightings);
    this.maybeFlushEarly();
  }

  addCanonical(update: CanonicalUpdate): void {
    this.queue.canonical.push(update);
    this.maybeFlushEarly();
  }

  addHead(head: HeadChange): void {
    this.queue.heads.push(head);
  }

  addPeerEvent(record: PeerEventRecord): void {
    this.queue.peerEvents.push(record);
  }

  addHealth(record: HealthRecord): void {
    this.queue.healthSamples.push(record);
  }

  addRound(sighting: RoundSighting): void {
    this.queue.rounds.push(sighting);
  }

  addEvidence(sighting: EvidenceSighting): void {
    this.queue.evidence.push(sighting);
  }

  /** Queue after the block itself (addBlocks, now or earlier): the receipt row references it. */
  addReceipt(receipt: BlockReceipt): void {
    this.queue.receipts.push(receipt);
  }

  setCursor(nodeId: string, epoch: string, seq: number): void {
    const existing = this.queue.cursors.find((c) => c.nodeId === nodeId);
    if (existing) Object.assign(existing, { epoch, seq });
    else this.queue.cursors.push({ nodeId, epoch, seq });
  }

  /** Resolves once the queue is below the high-water mark. */
  capacity(): Promise<void> {
    if (this.pendingRows < this.opts.highWaterRows) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Write everything queued now (used at shutdown and by tests). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pendingRows === 0) return;
    const batch = this.queue;
    this.queue = emptyBatch();
    this.flushing = this.sink
      .writeBatch(batch)
      .then(() => {
        if (this.failures > 0) this.logger.info({ failures: this.failures }, 'index writes recovered');
        this.failures = 0;
        this.retry.reset();
        this.lastError = null;
        this.emit('flushed', batch);
      })
      .catch((err: Error) => {
        // Put the batch back in front of whatever arrived meanwhile, in order.
        this.queue = mergeBatches(batch, this.queue);
        this.failures++;
        this.lastError = err.message;
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.logger.error({ err, rows: batchSize(batch), failures: this.failures }, 'index write failed; will retry');
        }
        this.emit('error', err);
        throw err;
      })
      .finally(() => {
        this.flushing = null;
        if (this.pendingRows < this.opts.highWaterRows) for (const w of this.waiters.splice(0)) w();
      });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    try {
      await this.flush();
    } catch (err) {
      this.logger.error({ err, rows: this.pendingRows }, 'final index flush failed; the nodes still hold these blocks and a restart re-reads them');
    }
  }

  private maybeFlushEarly(): void {
    if (this.pendingRows >= this.opts.maxBatchRows && !this.flushing) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush()
        .catch(() => undefined /* logged in flush(); retried below */)
        .finally(() => {
          this.schedule(this.failures > 0 ? this.retry.next() : this.opts.flushIntervalMs);
        });
    }, ms);
  }
}

function mergeBatches(first: IndexBatch, second: IndexBatch): IndexBatch {
  const cursors = [...first.cursors];
  for (const c of second.cursors) {
    const i = cursors.findIndex((x) => x.nodeId === c.nodeId);
    if (i >= 0) cursors[i] = c;
    else cursors.push(c);
  }
  return {
    blocks: [...first.blocks, ...second.blocks],
    canonical: [...first.canonical, ...second.canonical],
    heads: [...first.heads, ...second.heads],
    peerEvents: [...first.peerEvents, ...second.peerEvents],
    healthSamples: [...first.healthSamples, ...second.healthSamples],
    cursors,
    rounds: [...first.rounds, ...second.rounds],
    evidence: [...first.evidence, ...second.evidence],
    receipts: [...first.receipts, ...second.receipts],
  };
}
