// WS /stream: pushes state events, each with a per-process sequence number, to up to
// `maxClients` clients (more are refused with 503 at the upgrade). Keeps a ring buffer of
// recent events so a client that reconnects with ?epoch=E&since=S gets exactly what it
// missed, or a `reset` when that is impossible.
// Events are serialised once, whatever the number of clients. A client that does not read is
// cut off (terminated, so its buffer is freed at once): when its unsent bytes stay over
// `clientBufferBytes` for `slowClientGraceMs`, or at once when a live event finds them over
// HARD_BUFFER_FACTOR times that. It can reconnect and resume with since=.
//
// Events go out at the end of the current turn of the event loop, not inside publish(): the
// chain publishes an accepted block from inside its import, and a block producer broadcasts
// the block to its peers right after that import. Serialising the event there and writing to
// subscribers (which wakes their processes, on a machine of few cores) would stand between a
// new block and its peers. acceptedAt and `at` are taken at publish time all the same. A
// burst (a sync batch) is written every PENDING_FLUSH_AT events, so the hard buffer bound
// still acts within the burst.
//
// Order on connect: `hello` (snapshot) first, then events; the first event after a hello
// always has seq = hello.seq + 1. On a resume that works, hello.seq is the client's `since`
// and the missed events follow. When it cannot work, `reset` comes first, then a hello whose
// head the client re-reads up to by height.
import crypto from 'node:crypto';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StreamEvent, StreamEventOf } from '../../wire/node-api.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { throttledReporter } from '../../lib/http/server-limits.ts';
import { requestUrl } from './request-url.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type StreamEventInput = DistributiveOmit<Exclude<StreamEvent, { type: 'hello' | 'reset' }>, 'seq' | 'at'>;
export type HelloSnapshot = Omit<StreamEventOf<'hello'>, 'seq' | 'at' | 'type' | 'epoch'>;

interface Stored {
  seq: number;
  text: string;
}

export const STREAM_DEFAULTS = {
  /** Subscribers at once: the control plane takes one per node, benchmarks one more. */
  maxClients: 64,
  /** Unsent bytes a client may hold past the kernel's socket buffers without being judged. */
  clientBufferBytes: 1024 * 1024,
  /** How long a client may stay over that bound (a GC pause, a burst) before it is cut off. */
  slowClientGraceMs: 5_000,
} as const;

/**
 * A live event that finds a client this many bounds behind cuts it at once, so no client can
 * hold more than about 8 MiB. A resume's replay (up to the whole ring at once) is exempt: it is
 * judged by the grace, or an honest client resuming a long gap would be cut every time.
 */
const HARD_BUFFER_FACTOR = 8;
/** Queued events written at once, without waiting for the end of the turn. */
const PENDING_FLUSH_AT = 64;
/** Cut-off clients are logged at most this often, with how many. */
const DROP_LOG_EVERY_MS = 10_000;

export interface StreamHubOptions {
  capacity: number;
  maxClients: number;
  clientBufferBytes: number;
  slowClientGraceMs: number;
}

interface ClientState {
  /** Since when its unsent bytes are over the bound; null while under. */
  overSince: number | null;
}

export class StreamHub {
  readonly epoch = crypto.randomBytes(8).toString('hex');
  private seq = 0;
  private readonly ring: Stored[] = [];
  private head = 0; // index of the oldest entry once the ring is full
  private readonly clients = new Map<WebSocket, ClientState>();
  private wss: WebSocketServer | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly noteDrop: () => void;
  private lastDrop = '';
  /** Published, not yet numbered and written (see the top of this file). */
  private pending: { input: StreamEventInput; at: number }[] = [];
  private flushQueued = false;

  constructor(
    private readonly opts: StreamHubOptions,
    private readonly deps: { hello(): HelloSnapshot; logger: Logger; metrics: Metrics },
  ) {
    this.noteDrop = throttledReporter(DROP_LOG_EVERY_MS, (n) =>
      deps.logger.warn({ dropped: n, last: this.lastDrop }, 'stream clients not reading were cut off (they can resume with since=)'),
    );
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** The seq of the newest event published (numbered on its way out). */
  get lastSeq(): number {
    return this.seq + this.pending.length;
  }

  start(): void {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
    this.wss.on('error', (err) => this.deps.logger.error({ err: err.message }, 'stream websocket server error'));
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(25, Math.min(1000, Math.floor(this.opts.slowClientGraceMs / 2))));
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    for (const c of this.clients.keys()) c.close(1001, 'node stopping');
    for (const c of this.clients.keys()) c.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.wss = null;
  }

  publish(input: StreamEventInput): void {
    this.pending.push({ input, at: Date.now() });
    if (this.pending.length >= PENDING_FLUSH_AT) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }

  /** Numbers, serialises (once) and writes the published events, in order. */
  private flush(): void {
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    for (const { input, at } of batch) {
      const event = { ...input, seq: ++this.seq, at };
      const text = JSON.stringify(event);
      const entry = { seq: event.seq, text };
      if (this.ring.length < this.opts.capacity) this.ring.push(entry);
      else {
        this.ring[this.head] = entry;
        this.head = (this.head + 1) % this.opts.capacity;
      }
      for (const c of this.clients.keys()) this.sendTo(c, text, 'live');
    }
  }

  /** Events with seq > since, oldest first, or null when they are no longer all here. */
  private since(since: number): string[] | null {
    const oldest = this.ring.length === 0 ? this.seq + 1 : this.ring[this.head].seq;
    if (since > this.seq || since < oldest - 1) return null;
    const out: string[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const e = this.ring[(this.head + i) % this.ring.length];
      if (e.seq > since) out.push(e.text);
    }
    return out;
  }

  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.wss) {
      socket.destroy();
      return;
    }
    if (this.clients.size >= this.opts.maxClients) {
      this.deps.metrics.streamRefused.inc();
      this.deps.logger.debug({ clients: this.clients.size }, 'stream client refused: subscriber cap reached');
      const body = JSON.stringify({ error: { code: 'TOO_MANY_STREAM_CLIENTS', message: `this node serves at most ${this.opts.maxClients} /stream clients; try later` } });
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 5\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    const url = requestUrl(req);
    const epoch = url?.searchParams.get('epoch') ?? null;
    const sinceRaw = url?.searchParams.get('since') ?? null;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onClient(ws, epoch, sinceRaw));
  }

  private onClient(ws: WebSocket, epoch: string | null, sinceRaw: string | null): void {
    ws.on('error', (err) => this.deps.logger.debug({ err: err.message }, 'stream client error'));
    ws.on('close', () => this.forget(ws));
    ws.on('message', () => {}); // clients have nothing to say; ignore rather than error
    // The hello's snapshot is of now: what was published before it goes out first.
    this.flush();
    const now = Date.now();
    const hello = (seq: number) => JSON.stringify({ type: 'hello', seq, at: now, epoch: this.epoch, ...this.deps.hello() });
    if (sinceRaw === null && epoch === null) {
      this.sendTo(ws, hello(this.seq), 'replay');
    } else {
      const since = sinceRaw !== null && /^\d+$/.test(sinceRaw) ? Number(sinceRaw) : -1;
      const missed = epoch === this.epoch && since >= 0 ? this.since(since) : null;
      if (missed === null) {
        const reason =
          epoch !== this.epoch
            ? `epoch ${epoch ?? '(none)'} is over; this run is ${this.epoch}`
            : `seq ${sinceRaw} is no longer buffered (oldest kept: ${this.ring.length ? this.ring[this.head].seq : this.seq + 1})`;
        this.sendTo(ws, JSON.stringify({ type: 'reset', seq: this.seq, at: now, reason }), 'replay');
        this.sendTo(ws, hello(this.seq), 'replay');
      } else {
        this.sendTo(ws, hello(since), 'replay');
        for (const text of missed) this.sendTo(ws, text, 'replay');
      }
    }
    if (ws.readyState !== ws.OPEN) return; // closed while we wrote
    this.clients.set(ws, { overSince: null });
    this.deps.metrics.streamClients.set(this.clients.size);
  }

  private sendTo(ws: WebSocket, text: string, kind: 'live' | 'replay'): void {
    if (ws.readyState !== ws.OPEN) return;
    if (kind === 'live' && ws.bufferedAmount > HARD_BUFFER_FACTOR * this.opts.clientBufferBytes) {
      this.drop(ws, 'overflow', `${ws.bufferedAmount} bytes unsent`);
      return;
    }
    ws.send(text);
  }

  /** Cuts off clients whose unsent bytes stayed over the bound for the grace period. */
  private sweep(): void {
    const now = Date.now();
    for (const [ws, st] of this.clients) {
      if (ws.bufferedAmount <= this.opts.clientBufferBytes) st.overSince = null;
      else if (st.overSince === null) st.overSince = now;
      else if (now - st.overSince >= this.opts.slowClientGraceMs) this.drop(ws, 'slow', `${ws.bufferedAmount} bytes unsent for ${now - st.overSince} ms`);
    }
  }

  /** Terminates rather than closes: a close frame would queue behind the bytes it never reads. */
  private drop(ws: WebSocket, reason: 'slow' | 'overflow', detail: string): void {
    this.deps.metrics.streamDropped.inc({ reason });
    this.deps.logger.debug({ reason, detail }, 'stream client not reading; cut off');
    this.lastDrop = `${reason}: ${detail}`;
    this.noteDrop();
    ws.terminate();
    this.forget(ws);
  }

  private forget(ws: WebSocket): void {
    if (!this.clients.delete(ws)) return;
    this.deps.metrics.streamClients.set(this.clients.size);
  }
}
