// WS /stream: pushes state events, each with a per-process sequence number, to any number of
// clients. Keeps a ring buffer of recent events so a client that reconnects with
// ?epoch=E&since=S gets exactly what it missed, or a `reset` when that is impossible.
// Events are serialised once, whatever the number of clients; slow clients are cut off.
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
import { requestUrl } from './request-url.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type StreamEventInput = DistributiveOmit<Exclude<StreamEvent, { type: 'hello' | 'reset' }>, 'seq' | 'at'>;
export type HelloSnapshot = Omit<StreamEventOf<'hello'>, 'seq' | 'at' | 'type' | 'epoch'>;

interface Stored {
  seq: number;
  text: string;
}

const MAX_CLIENT_BUFFER = 8 * 1024 * 1024;

export class StreamHub {
  readonly epoch = crypto.randomBytes(8).toString('hex');
  private seq = 0;
  private readonly ring: Stored[] = [];
  private head = 0; // index of the oldest entry once the ring is full
  private readonly clients = new Set<WebSocket>();
  private wss: WebSocketServer | null = null;

  constructor(
    private readonly opts: { capacity: number },
    private readonly deps: { hello(): HelloSnapshot; logger: Logger; metrics: Metrics },
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  start(): void {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, perMessageDeflate: false });
    this.wss.on('error', (err) => this.deps.logger.error({ err: err.message }, 'stream websocket server error'));
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.close(1001, 'node stopping');
    for (const c of this.clients) c.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    this.wss = null;
  }

  publish(input: StreamEventInput): void {
    const event = { ...input, seq: ++this.seq, at: Date.now() };
    const text = JSON.stringify(event);
    const entry = { seq: event.seq, text };
    if (this.ring.length < this.opts.capacity) this.ring.push(entry);
    else {
      this.ring[this.head] = entry;
      this.head = (this.head + 1) % this.opts.capacity;
    }
    for (const c of this.clients) this.sendTo(c, text);
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
    const url = requestUrl(req);
    const epoch = url?.searchParams.get('epoch') ?? null;
    const sinceRaw = url?.searchParams.get('since') ?? null;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onClient(ws, epoch, sinceRaw));
  }

  private onClient(ws: WebSocket, epoch: string | null, sinceRaw: string | null): void {
    ws.on('error', (err) => this.deps.logger.debug({ err: err.message }, 'stream client error'));
    ws.on('close', () => {
      this.clients.delete(ws);
      this.deps.metrics.streamClients.set(this.clients.size);
    });
    ws.on('message', () => {}); // clients have nothing to say; ignore rather than error
    const now = Date.now();
    const hello = (seq: number) => JSON.stringify({ type: 'hello', seq, at: now, epoch: this.epoch, ...this.deps.hello() });
    if (sinceRaw === null && epoch === null) {
      this.sendTo(ws, hello(this.seq));
    } else {
      const since = sinceRaw !== null && /^\d+$/.test(sinceRaw) ? Number(sinceRaw) : -1;
      const missed = epoch === this.epoch && since >= 0 ? this.since(since) : null;
      if (missed === null) {
        const reason =
          epoch !== this.epoch
            ? `epoch ${epoch ?? '(none)'} is over; this run is ${this.epoch}`
            : `seq ${sinceRaw} is no longer buffered (oldest kept: ${this.ring.length ? this.ring[this.head].seq : this.seq + 1})`;
        this.sendTo(ws, JSON.stringify({ type: 'reset', seq: this.seq, at: now, reason }));
        this.sendTo(ws, hello(this.seq));
      } else {
        this.sendTo(ws, hello(since));
        for (const text of missed) this.sendTo(ws, text);
      }
    }
    this.clients.add(ws);
    this.deps.metrics.streamClients.set(this.clients.size);
  }

  private sendTo(ws: WebSocket, text: string): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_CLIENT_BUFFER) {
      this.deps.logger.warn({ buffered: ws.bufferedAmount }, 'stream client too slow; disconnecting (it can resume with since=)');
      ws.close(1013, 'too slow; resume with since=');
      this.clients.delete(ws);
      return;
    }
    ws.send(text);
  }
}
