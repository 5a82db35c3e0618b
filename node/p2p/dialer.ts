// Keeps one outbound link to one configured peer URL alive, forever: dial, hand the open
// socket to the host, and after any loss redial with exponential backoff and full jitter.
// The backoff resets once a link has stayed up for `stableMs`. When the host keeps the
// peer's own inbound link instead of ours (both dialed), the dialer stands by until it drops.
import WebSocket from 'ws';
import { Backoff } from '../../lib/backoff.ts';

export type DialerState = 'connecting' | 'handshaking' | 'connected' | 'backoff' | 'standby' | 'stopped';

export interface DialerDeps {
  /** Takes the open socket; calls back `linkClosed` when the link ends. */
  attach(ws: WebSocket, dialer: Dialer): void;
  dialFailed(dialer: Dialer, code: string, message: string): void;
}

export interface DialerOptions {
  url: string;
  maxPayloadBytes: number;
  connectTimeoutMs: number;
  stableMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export class Dialer {
  state: DialerState = 'backoff';
  /** Learnt from the first handshake; lets the host match this URL to a node. */
  remoteId: string | null = null;
  lastReason: string | null = null;
  nextDialAt: number | null = null;
  private readonly backoff: Backoff;
  private timer: NodeJS.Timeout | null = null;
  private ws: WebSocket | null = null;
  private linkUpAt: number | null = null;

  constructor(
    readonly opts: DialerOptions,
    private readonly deps: DialerDeps,
  ) {
    this.backoff = new Backoff({ baseMs: opts.backoffBaseMs, capMs: opts.backoffCapMs });
  }

  get url(): string {
    return this.opts.url;
  }

  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.state = 'stopped';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ws?.terminate();
    this.ws = null;
  }

  /** Redial soon, forgetting the backoff (e.g. link rules were lifted, or a standby ended). */
  wake(maxDelayMs = 250): void {
    if (this.state !== 'backoff' && this.state !== 'standby') return;
    this.backoff.reset();
    this.schedule(Math.floor(Math.random() * maxDelayMs));
  }

  linkReady(): void {
    this.state = 'connected';
    this.linkUpAt = Date.now();
  }

  /** The host ended or lost the link this dialer made. */
  linkClosed(reason: string, opts: { standby: boolean; permanent?: boolean }): void {
    if (this.state === 'stopped') return;
    this.ws = null;
    this.lastReason = reason;
    if (this.linkUpAt !== null && Date.now() - this.linkUpAt >= this.opts.stableMs) this.backoff.reset();
    this.linkUpAt = null;
    if (opts.permanent) {
      this.stop();
      return;
    }
    if (opts.standby) {
      this.state = 'standby';
      this.nextDialAt = null;
      return;
    }
    this.schedule(this.backoff.next());
  }

  private schedule(delayMs: number): void {
    if (this.state === 'stopped') return;
    if (this.timer) clearTimeout(this.timer);
    this.state = 'backoff';
    this.nextDialAt = Date.now() + delayMs;
    this.timer = setTimeout(() => this.dial(), delayMs);
  }

  private dial(): void {
    this.timer = null;
    this.nextDialAt = null;
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    const ws = new WebSocket(this.opts.url, {
      maxPayload: this.opts.maxPayloadBytes,
      handshakeTimeout: this.opts.connectTimeoutMs,
      perMessageDeflate: false,
      autoPong: false,
    });
    this.ws = ws;
    let opened = false;
    const onEarlyError = (err: Error & { code?: string }) => {
      if (opened || this.ws !== ws) return;
      this.ws = null;
      const code = err.code ?? (/Unexpected server response: (\d+)/.exec(err.message)?.[1] ? `HTTP_${/(\d+)/.exec(err.message)![1]}` : 'ERROR');
      this.lastReason = `dial failed: ${code}`;
      this.deps.dialFailed(this, code, err.message);
      ws.terminate();
      this.schedule(this.backoff.next());
    };
    ws.once('error', onEarlyError);
    ws.once('open', () => {
      opened = true;
      ws.off('error', onEarlyError);
      if (this.state === 'stopped' || this.ws !== ws) {
        ws.terminate();
        return;
      }
      this.state = 'handshaking';
      this.ws = null; // the host owns the open link now and closes it gracefully on stop
      this.deps.attach(ws, this);
    });
  }
}
