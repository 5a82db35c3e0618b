// One reader of nodes' `/stream` WebSockets for the benchmarks: connects to every node, waits
// for each hello, parses the event types the caller asks for with the wire's own schemas, and
// hands them on with the time this process received them. What to collect (head timelines,
// block acceptances, ground-truth heads) stays with each benchmark's collector.
//
// Block events are parsed without their transactions (the wire's block event with the block
// reduced to hash + header): a full check of every transaction on 16+ streams would cost this
// process more CPU than the nodes it measures. Event types nobody listens to are not parsed.
//
// A stream that closes while the tap is open is reported (`onDown`); with `resume`, the tap
// then reconnects from its cursor (`?epoch=E&since=S`, see wire/node-api.ts), after a backoff,
// and the events missed meanwhile follow. Without it, the stream stays down: several
// benchmarks count a node whose stream closed as not reporting.
import WebSocket from 'ws';
import { z } from 'zod';
import { Backoff } from '../../lib/backoff.ts';
import { BlockSchema, StreamEventSchema, type StreamEvent } from '../../wire/node-api.ts';

type EventType = StreamEvent['type'];
type Member<T extends EventType> = Extract<(typeof StreamEventSchema.options)[number], { shape: { type: z.ZodLiteral<T> } }>;

/** The wire's schema of one event type. */
function member<T extends EventType>(type: T): Member<T> {
  const schema = StreamEventSchema.options.find((o) => o.shape.type.value === type);
  if (!schema) throw new Error(`wire/node-api.ts has no stream event '${type}'`);
  return schema as Member<T>;
}

/** The wire's block event, its block reduced to hash + header (transactions are skipped). */
export const BlockSeenEventSchema = member('block').extend({ block: BlockSchema.pick({ hash: true, header: true }) });

const schemas = {
  hello: member('hello'),
  reset: member('reset'),
  block: BlockSeenEventSchema,
  head: member('head'),
  peer: member('peer'),
  health: member('health'),
  chaos: member('chaos'),
  round: member('round'),
  commit: member('commit'),
  votes: member('votes'),
  evidence: member('evidence'),
} satisfies Record<EventType, z.ZodType>;

export type TapEvent<T extends EventType> = z.infer<(typeof schemas)[T]>;

/** Per event type: (node index in the order given, event, when this process received it). */
export type TapHandlers = { [T in EventType]?: (node: number, event: TapEvent<T>, receivedAt: number) => void };

export interface StreamTapOptions {
  /** Only these types are parsed; a hello is always parsed (it opens the stream). */
  on: TapHandlers;
  /** A stream that closed or broke while the tap was open (once per loss). */
  onDown?: (node: number, reason: string) => void;
  /** Reject `open` when a node has not said hello by then. */
  helloTimeoutMs?: number;
  /** Reconnect a lost stream from its cursor, with backoff. */
  resume?: boolean;
}

/** Wall clock with sub-millisecond resolution, on the same clock as Date.now(). */
export const nowMs = () => performance.timeOrigin + performance.now();

export class StreamTapError extends Error {
  readonly code = 'STREAM_TAP_FAILED';
}

/** The node's stream URL, resuming after `cursor` when one is given. */
export function streamUrl(nodeUrl: string, cursor: { epoch: string; seq: number } | null): string {
  const u = new URL('/stream', nodeUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  if (cursor) {
    u.searchParams.set('epoch', cursor.epoch);
    u.searchParams.set('since', String(cursor.seq));
  }
  return u.toString();
}

interface Follower {
  url: string;
  ws: WebSocket | null;
  cursor: { epoch: string; seq: number } | null;
  backoff: Backoff;
  retry: NodeJS.Timeout | null;
}

export class StreamTap {
  private readonly followers: Follower[];
  private closed = false;

  private constructor(
    urls: string[],
    private readonly opts: StreamTapOptions,
  ) {
    this.followers = urls.map((url) => ({ url, ws: null, cursor: null, backoff: new Backoff({ baseMs: 250, capMs: 5_000 }), retry: null }));
  }

  /** Connects to every node's /stream and resolves once each has sent its hello. */
  static async open(urls: string[], opts: StreamTapOptions): Promise<StreamTap> {
    const tap = new StreamTap(urls, opts);
    try {
      await Promise.all(urls.map((_, i) => tap.connect(i)));
    } catch (err) {
      tap.close();
      throw err;
    }
    return tap;
  }

  get nodeCount(): number {
    return this.followers.length;
  }

  /** Epoch and seq of the last event read from node `i`. */
  cursor(node: number): { epoch: string; seq: number } | null {
    return this.followers[node].cursor;
  }

  private connect(node: number): Promise<void> {
    const f = this.followers[node];
    const url = streamUrl(f.url, f.cursor);
    const timeoutMs = this.opts.helloTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
      f.ws = ws;
      let greeted = false;
      let down = false;
      const lose = (reason: string) => {
        if (down || this.closed) return;
        down = true;
        this.opts.onDown?.(node, reason);
        if (this.opts.resume) this.scheduleResume(node);
      };
      const timer = setTimeout(() => {
        reject(new StreamTapError(`no hello from ${url} within ${timeoutMs} ms`));
        ws.terminate();
      }, timeoutMs);
      ws.on('error', (err) => {
        clearTimeout(timer);
        if (!greeted) reject(new StreamTapError(`stream ${url}: ${err.message}`));
        else lose(err.message);
      });
      ws.on('close', () => {
        clearTimeout(timer);
        if (f.ws === ws) f.ws = null;
        if (!greeted) reject(new StreamTapError(`stream ${url} closed before its hello`));
        else lose('stream closed');
      });
      ws.on('message', (data) => {
        const receivedAt = nowMs();
        let problem: string | null;
        try {
          const resumed = f.cursor !== null;
          problem = this.dispatch(node, JSON.parse(String(data)) as unknown, receivedAt, resumed);
        } catch (err) {
          problem = `unreadable event: ${(err as Error).message}`;
        }
        if (problem !== null) {
          if (greeted) lose(`${url}: ${problem}`);
          else reject(new StreamTapError(`stream ${url}: ${problem}`));
          ws.terminate();
          return;
        }
        if (!greeted && f.cursor !== null) {
          greeted = true;
          f.backoff.reset();
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  /** Parses and hands on one event; returns what was wrong with it, or null. */
  private dispatch(node: number, raw: unknown, receivedAt: number, resuming: boolean): string | null {
    const type = (raw as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !Object.hasOwn(schemas, type)) return `unknown event type ${String(type)}`;
    const f = this.followers[node];
    const handler = this.opts.on[type as EventType] as ((node: number, event: unknown, receivedAt: number) => void) | undefined;
    if (type !== 'hello' && !handler) {
      if (f.cursor) f.cursor = { epoch: f.cursor.epoch, seq: Math.max(f.cursor.seq, (raw as { seq?: number }).seq ?? f.cursor.seq) };
      return null;
    }
    const parsed = schemas[type as EventType].safeParse(raw);
    if (!parsed.success) return `invalid ${type} event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    const event = parsed.data as StreamEvent;
    if (event.type === 'hello') {
      // On a working resume the hello repeats our cursor and the missed events follow: the
      // consumer already has what it describes. A first hello, or one after a reset, is news.
      const fresh = !resuming || f.cursor === null || f.cursor.epoch !== event.epoch || f.cursor.seq !== event.seq;
      f.cursor = { epoch: event.epoch, seq: event.seq };
      if (fresh) handler?.(node, event, receivedAt);
      return null;
    }
    if (event.type === 'reset')
      f.cursor = null; // a fresh hello follows
    else if (f.cursor) {
      if (event.seq <= f.cursor.seq) return null; // already handed on before a resume
      f.cursor = { epoch: f.cursor.epoch, seq: event.seq };
    }
    handler?.(node, event, receivedAt);
    return null;
  }

  private scheduleResume(node: number): void {
    const f = this.followers[node];
    if (this.closed || f.retry) return;
    f.retry = setTimeout(() => {
      f.retry = null;
      if (this.closed) return;
      this.connect(node).catch(() => this.scheduleResume(node));
    }, f.backoff.next());
  }

  close(): void {
    this.closed = true;
    for (const f of this.followers) {
      if (f.retry) clearTimeout(f.retry);
      f.retry = null;
      f.ws?.terminate();
    }
  }
}
