// Follows one node that serves only a health JSON (ATTACH `health+…`): GET it on a steady
// interval, read the height and head hash at the target's JSON paths, and report what a
// NodeSubscriber reports about its head, so the monitor, the alerts, the height chart and the
// live pushes treat it like any node. It has no blocks, peers or stream: nothing else is read.
// Its node row carries the id derived from the URL and no public key; each head change is a
// head_events row of its own epoch (`health:<start ms>`, seq counting head changes).
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Backoff } from '../../lib/backoff.ts';
import type { HeadRef } from '../../wire/node-api.ts';
import type { HeadChange } from './index-batch.ts';
import type { NodeRecord, SubscriberState } from './node-subscriber.ts';
import { readHealthHead, type HealthOnlyTarget } from './health-target.ts';

/** Most bytes of a health answer read; a health JSON is a few hundred. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HealthPollerEvents {
  state: [SubscriberState];
  head: [{ nodeId: string; head: HeadRef; reorgDepth: number; at: number }];
}

export interface HealthPollerOptions {
  /** Time between two reads while the node answers (ms). */
  intervalMs: number;
  /** How long one read may take (ms). */
  timeoutMs: number;
}

/** Read once a block time, between 4 times and once a second; one read may take 2 s. */
export function healthPollTiming(blockTimeMs: number): HealthPollerOptions {
  return { intervalMs: Math.min(1_000, Math.max(250, blockTimeMs)), timeoutMs: 2_000 };
}

export class HealthPoller extends EventEmitter<HealthPollerEvents> {
  /** Tells it apart from a NodeSubscriber wherever both are followed. */
  readonly healthOnly = true;
  readonly url: string;
  /** Known from the URL before the node ever answers, so an unreachable node is listed as down. */
  readonly nodeId: string;
  /** Set once the node row exists (head events reference it). */
  record: NodeRecord | null = null;
  state: SubscriberState = 'connecting';
  lastError: string | null = null;
  head: HeadRef | null = null;
  /** When the head last changed (ms), as the monitor's stall rule reads it. */
  lastHeadAt: number | null = null;
  /** When the node last answered with a valid reading (ms). */
  lastReadAt: number | null = null;

  private readonly epoch = `health:${Date.now()}`;
  private seq = 0;
  private failures = 0;
  private started = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private abort: AbortController | null = null;
  private polling: Promise<void> = Promise.resolve();
  // Same policy as the stream subscriber: a node back up is read again within a few seconds.
  private readonly backoff = new Backoff({ baseMs: 500, capMs: 5_000 });

  constructor(
    readonly target: HealthOnlyTarget,
    private readonly opts: HealthPollerOptions,
    private readonly deps: { store: { upsertNode(node: NodeRecord): Promise<void> }; writer: { addHead(head: HeadChange): void }; logger: Logger },
  ) {
    super();
    this.url = target.url;
    this.nodeId = target.id;
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort?.abort();
  }

  /** Resolves when the read in progress (if any) is done. */
  idle(): Promise<void> {
    return this.polling;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.polling = this.poll().then(
        () => this.afterSuccess(),
        (err: Error) => this.afterFailure(err),
      );
    }, delayMs);
  }

  private async poll(): Promise<void> {
    if (!this.record) {
      const record: NodeRecord = { id: this.nodeId, name: this.target.name, url: this.url, source: 'attached', publicKey: '', validator: false };
      await this.deps.store.upsertNode(record);
      this.record = record;
    }
    const reading = await this.read();
    const now = Date.now();
    this.lastReadAt = now;
    if (this.head && this.head.height === reading.height && this.head.hash === reading.hash) return;
    this.head = reading;
    this.lastHeadAt = now;
    this.seq += 1;
    this.deps.writer.addHead({ nodeId: this.nodeId, epoch: this.epoch, seq: this.seq, at: now, height: reading.height, hash: reading.hash, reorg: null });
    this.emit('head', { nodeId: this.nodeId, head: reading, reorgDepth: 0, at: now });
  }

  private async read(): Promise<HeadRef> {
    this.abort = new AbortController();
    const timer = setTimeout(() => this.abort?.abort(new Error(`no answer within ${this.opts.timeoutMs} ms`)), this.opts.timeoutMs);
    try {
      const res = await fetch(this.target.healthUrl, { signal: this.abort.signal, headers: { accept: 'application/json' } });
      const text = await res.text();
      if (!res.ok) throw new Error(`GET ${this.target.healthUrl} answered HTTP ${res.status}`);
      if (text.length > MAX_BODY_BYTES) throw new Error(`GET ${this.target.healthUrl} answered more than ${MAX_BODY_BYTES} bytes`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error(`GET ${this.target.healthUrl} did not answer JSON`);
      }
      const head = readHealthHead(json, this.target);
      if (!head.ok) throw new Error(`GET ${this.target.healthUrl}: ${head.error}`);
      return head.value;
    } catch (err) {
      const reason = this.abort.signal.aborted ? (this.abort.signal.reason as Error) : (err as Error);
      throw reason.message.startsWith('GET ') ? reason : new Error(`GET ${this.target.healthUrl}: ${reason.message}`);
    } finally {
      clearTimeout(timer);
      this.abort = null;
    }
  }

  private afterSuccess(): void {
    if (this.failures > 0) this.deps.logger.info({ node: this.target.name, url: this.url }, 'health-only node answers again');
    this.failures = 0;
    this.lastError = null;
    this.backoff.reset();
    this.setState('live');
    this.schedule(this.opts.intervalMs);
  }

  private afterFailure(err: Error): void {
    if (this.stopped) return;
    this.failures += 1;
    this.lastError = err.message;
    if (this.failures === 1) this.deps.logger.warn({ node: this.target.name, url: this.url, err: err.message }, 'health-only node: no valid reading');
    // Like the stream subscriber: one failed read is a blip, the second in a row is down.
    if (this.failures >= 2 && this.record) this.setState('down');
    this.schedule(Math.max(this.opts.intervalMs, this.backoff.next()));
  }

  private setState(state: SubscriberState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}
