// One live WebSocket link to one peer, inbound or outbound: the handshake (with a deadline),
// ws ping/pong keep-alive with RTT and a dead-peer timeout, the receive pipeline (rate limit →
// link rules → envelope checks against the registered message types → identity → the type's
// handler) and the send path through the link rules.
// It reports to its owner (the P2P host) and decides nothing about who to keep or ban.
import type WebSocket from 'ws';
import type { HeadRef } from '../../wire/node-api.ts';
import { nodeIdOf, type KeyPair } from '../chain/keys.ts';
import { openEnvelope, sealEnvelope, type MessageLookup } from './envelope.ts';
import { P2PError, type P2PErrorCode } from './errors.ts';
import { CONTROL_FRAME, LinkShaper, type LinkChaos, type PeerRef } from './link-chaos.ts';
import { HelloMsg, RejectMsg, type HelloPayload, type MessageDef, type RejectPayload } from './messages.ts';

export type ConnState = 'handshaking' | 'connected' | 'closed';

export interface RemoteIdentity {
  id: string;
  publicKey: string;
  name: string;
  validator: boolean;
  listenUrl: string | null;
}

export interface PeerConnectionOptions {
  direction: 'inbound' | 'outbound';
  address: string;
  /** The IP an inbound link came from (address bans, pending caps); null when we dialed. */
  ip: string | null;
  pingIntervalMs: number;
  handshakeTimeoutMs: number;
  maxBufferedBytes: number;
  rateLimit: { perSec: number; burst: number };
}

export interface PeerConnectionEvents {
  ready(c: PeerConnection): void;
  misbehaved(c: PeerConnection, err: P2PError): void;
  closed(c: PeerConnection, reason: string): void;
  traffic(direction: 'in' | 'out', type: string, bytes: number): void;
  chaosDropped(direction: 'in' | 'out'): void;
  /** A message the link rules held back (reorder) or corrupted. */
  chaosEffect(direction: 'in' | 'out', effect: 'reordered' | 'corrupted'): void;
}

export interface PeerConnectionDeps {
  ws: WebSocket;
  key: KeyPair;
  chaos: LinkChaos;
  hello(): HelloPayload;
  /** null accepts the remote hello; otherwise the refusal sent back. */
  checkHello(hello: HelloPayload, publicKey: string): { code: P2PErrorCode; reason: string } | null;
  /** The registered message types; a connected peer's message goes to its type's handler. */
  registry: MessageLookup;
  events: PeerConnectionEvents;
}

export const CLOSE_HANDSHAKE_TIMEOUT = 4000;
export const CLOSE_REJECTED = 4001;
export const CLOSE_DUPLICATE = 4002;
export const CLOSE_BANNED = 4004;
export const CLOSE_SHUTDOWN = 4005;
/** Why a link whose handshake a fault cut is not up (its close reason, and /peers meanwhile). */
export const CUT_BY_FAULT = 'handshake lost to a link fault (partition or 100 % loss)';

export class PeerConnection {
  state: ConnState = 'handshaking';
  remote: RemoteIdentity | null = null;
  head: HeadRef | null = null;
  bytesIn = 0;
  bytesOut = 0;
  messagesIn = 0;
  messagesOut = 0;
  errors = 0;
  rttMs: number | null = null;
  connectedSince: number | null = null;
  closeReason: string | null = null;
  /** When the established link last delivered something (a message or a pong), after the link
   *  rules; the hello does not count, so a partition that lets a reconnect's handshake through
   *  but drops everything after it leaves this unset. */
  lastHeardAt: number | null = null;
  readonly openedAt = Date.now();

  private readonly inShaper: LinkShaper;
  private readonly outShaper: LinkShaper;
  private handshakeTimer: NodeJS.Timeout | null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private killTimer: NodeJS.Timeout | null = null;
  private lastSeen = Date.now();
  private lastPingAt = 0;
  private tokens: number;
  private tokensAt = Date.now();
  private floodDrops = 0;
  /** Who sent the hello a link fault cut off (see handleHandshake): /peers names the link by it. */
  cutPeer: { id: string; name: string } | null = null;

  constructor(
    readonly opts: PeerConnectionOptions,
    private readonly deps: PeerConnectionDeps,
  ) {
    const ref = (): PeerRef => ({ id: this.remote?.id ?? null, publicKey: this.remote?.publicKey ?? null, name: this.remote?.name ?? null });
    this.inShaper = new LinkShaper(deps.chaos, 'in', ref);
    this.outShaper = new LinkShaper(deps.chaos, 'out', ref);
    this.tokens = opts.rateLimit.burst;
    const ws = deps.ws;
    ws.on('message', (data, isBinary) => this.onRaw(data as Buffer, isBinary));
    ws.on('ping', (data) => this.onPing(data));
    ws.on('pong', (data) => this.onPong(data));
    ws.on('error', (err) => this.onSocketError(err));
    ws.on('close', (code, reason) => this.onClose(code, reason.toString('utf8')));
    this.handshakeTimer = setTimeout(() => {
      if (this.state !== 'handshaking') return;
      // A fault, not the peer, kept the handshake from completing: nothing to score or warn of.
      if (this.cutPeer) {
        this.close(CLOSE_HANDSHAKE_TIMEOUT, CUT_BY_FAULT);
        return;
      }
      this.report(new P2PError('HANDSHAKE_TIMEOUT', `no valid hello within ${opts.handshakeTimeoutMs} ms`));
      this.close(CLOSE_HANDSHAKE_TIMEOUT, 'handshake timeout');
    }, opts.handshakeTimeoutMs);
    this.keepAliveTimer = setInterval(() => this.keepAlive(), Math.max(50, Math.floor(opts.pingIntervalMs / 4)));
    this.send(HelloMsg, deps.hello());
  }

  get direction(): 'inbound' | 'outbound' {
    return this.opts.direction;
  }

  get address(): string {
    return this.opts.address;
  }

  get ip(): string | null {
    return this.opts.ip;
  }

  /** The id of the node that dialed this link (decides which of two duplicate links stays). */
  get dialerId(): string | null {
    return this.opts.direction === 'outbound' ? nodeIdOf(this.deps.key.publicKey) : (this.remote?.id ?? null);
  }

  send<P>(def: MessageDef<P>, payload: P): void {
    this.sendSealed(def.type, sealEnvelope(def.type, payload, this.deps.key, Date.now()));
  }

  /** Sends an already sealed envelope (a broadcast signs once for every peer). */
  sendSealed(type: string, text: string): void {
    if (this.state === 'closed') return;
    const bytes = Buffer.byteLength(text);
    const outcome = this.outShaper.pass(bytes, (how) => {
      const ws = this.deps.ws;
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > this.opts.maxBufferedBytes) {
        this.report(new P2PError('FLOOD', `send buffer above ${this.opts.maxBufferedBytes} bytes; peer not reading`));
        this.terminate('send buffer full');
        return;
      }
      if (how.corrupt) this.deps.events.chaosEffect('out', 'corrupted');
      ws.send(how.corrupt ? this.outShaper.corruptText(text) : text);
      this.bytesOut += bytes;
      this.messagesOut++;
      this.deps.events.traffic('out', type, bytes);
    });
    if (outcome === 'dropped') this.deps.events.chaosDropped('out');
    if (outcome === 'held') this.deps.events.chaosEffect('out', 'reordered');
  }

  /** Closes with a code and reason the peer will see; forces the socket shut if it lingers. */
  close(code: number, reason: string): void {
    if (this.state === 'closed' || this.closeReason) return;
    this.closeReason = reason;
    const ws = this.deps.ws;
    try {
      ws.close(code, reason.slice(0, 120));
    } catch {
      ws.terminate();
    }
    this.killTimer = setTimeout(() => ws.terminate(), 1000);
  }

  terminate(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.deps.ws.terminate();
  }

  /** The link carries traffic: something arrived within two keep-alive periods. A link whose
   *  messages a fault drops stays 'connected' for a while, and reconnects, without carrying any. */
  carrying(now = Date.now()): boolean {
    return this.state === 'connected' && this.lastHeardAt !== null && now - this.lastHeardAt <= 2 * this.opts.pingIntervalMs;
  }

  private keepAlive(): void {
    if (this.state === 'closed') return;
    const now = Date.now();
    if (now - this.lastSeen > 2 * this.opts.pingIntervalMs) {
      this.errors++;
      this.terminate(`ping timeout: silent for ${now - this.lastSeen} ms`);
      return;
    }
    if (now - this.lastPingAt >= this.opts.pingIntervalMs) {
      this.lastPingAt = now;
      const stamp = Buffer.alloc(8);
      stamp.writeDoubleBE(performance.now());
      this.outShaper.pass(8, () => this.deps.ws.readyState === this.deps.ws.OPEN && this.deps.ws.ping(stamp), CONTROL_FRAME);
    }
  }

  private onPing(data: Buffer): void {
    this.inShaper.pass(
      data.length,
      () => {
        this.outShaper.pass(data.length, () => this.deps.ws.readyState === this.deps.ws.OPEN && this.deps.ws.pong(data), CONTROL_FRAME);
      },
      CONTROL_FRAME,
    );
  }

  private onPong(data: Buffer): void {
    this.inShaper.pass(
      data.length,
      () => {
        const now = Date.now();
        this.lastSeen = now;
        if (this.state === 'connected') this.lastHeardAt = now;
        if (data.length === 8) {
          // Our own monotonic stamp echoed back; sub-millisecond precision matters on loopback.
          const rtt = performance.now() - data.readDoubleBE(0);
          if (rtt >= 0 && rtt < 600_000) this.rttMs = Math.round(rtt * 100) / 100;
        }
      },
      CONTROL_FRAME,
    );
  }

  private takeToken(): boolean {
    const now = Date.now();
    const { perSec, burst } = this.opts.rateLimit;
    this.tokens = Math.min(burst, this.tokens + ((now - this.tokensAt) / 1000) * perSec);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private onRaw(data: Buffer, isBinary: boolean): void {
    if (this.state === 'closed') return;
    if (!this.takeToken()) {
      // Checked before any parsing: a flood must not cost us CPU.
      if (this.floodDrops++ % 100 === 0) this.report(new P2PError('FLOOD', `over ${this.opts.rateLimit.perSec} msg/s; ${this.floodDrops} dropped`));
      return;
    }
    const outcome = this.inShaper.pass(data.length, (how) => {
      if (how.corrupt) this.deps.events.chaosEffect('in', 'corrupted');
      this.process(how.corrupt && !isBinary ? Buffer.from(this.inShaper.corruptText(data.toString('utf8'))) : data, isBinary);
    });
    if (outcome === 'dropped') this.deps.events.chaosDropped('in');
    if (outcome === 'held') this.deps.events.chaosEffect('in', 'reordered');
  }

  private process(data: Buffer, isBinary: boolean): void {
    if (this.state === 'closed') return;
    this.lastSeen = Date.now();
    this.bytesIn += data.length;
    this.messagesIn++;
    if (isBinary) {
      this.report(new P2PError('MALFORMED', `binary frame of ${data.length} bytes; only JSON text frames are accepted`));
      this.deps.events.traffic('in', 'invalid', data.length);
      return;
    }
    let opened;
    try {
      opened = openEnvelope(data.toString('utf8'), this.deps.registry, this.state === 'connected');
    } catch (err) {
      this.deps.events.traffic('in', 'invalid', data.length);
      this.report(err instanceof P2PError ? err : new P2PError('MALFORMED', String(err)));
      return;
    }
    const { type, payload, from } = opened;
    this.deps.events.traffic('in', type, data.length);
    if (this.state === 'handshaking') {
      this.handleHandshake(type, payload, from);
      return;
    }
    if (from !== this.remote!.publicKey) {
      this.report(new P2PError('IDENTITY_MISMATCH', `envelope signed by ${from.slice(0, 16)}, link is with ${this.remote!.id}`));
      return;
    }
    if (type === HelloMsg.type) {
      this.report(new P2PError('UNEXPECTED_MESSAGE', 'second hello on an established link'));
      return;
    }
    if (type === RejectMsg.type) {
      this.close(CLOSE_REJECTED, `rejected by peer: ${(payload as RejectPayload).reason}`);
      return;
    }
    this.lastHeardAt = this.lastSeen;
    if (opened.duplicate) return;
    opened.handler.handle(this, payload);
  }

  private handleHandshake(type: string, payload: unknown, from: string): void {
    if (this.cutPeer) {
      this.deps.events.chaosDropped('in');
      return;
    }
    if (type === RejectMsg.type) {
      const reject = payload as RejectPayload;
      this.errors++;
      this.close(CLOSE_REJECTED, `rejected by peer: ${reject.code}: ${reject.reason}`);
      return;
    }
    if (type !== HelloMsg.type) {
      this.report(new P2PError('UNEXPECTED_MESSAGE', `${type} before the handshake`));
      return;
    }
    const hello = payload as HelloPayload;
    if (hello.nodeId !== nodeIdOf(from)) {
      this.refuse('IDENTITY_MISMATCH', `hello claims node id ${hello.nodeId} but is signed by ${nodeIdOf(from)}`);
      return;
    }
    // The link rules name peers by id, key or name, which only the hello tells. A fault that
    // cuts this peer off loses the hello too, as a real partition stops a connection: the
    // handshake times out and the dialer backs off (woken when the rules change), instead of a
    // link that says "connected" for a keep-alive period while carrying nothing, then drops
    // and reconnects, over and over.
    if (this.deps.chaos.cuts({ id: hello.nodeId, publicKey: from, name: hello.name }, 'in')) {
      this.cutPeer = { id: hello.nodeId, name: hello.name };
      this.deps.events.chaosDropped('in');
      return;
    }
    this.remote = { id: hello.nodeId, publicKey: from, name: hello.name, validator: hello.validator, listenUrl: hello.listenUrl };
    this.head = hello.head;
    const refusal = this.deps.checkHello(hello, from);
    if (refusal) {
      this.refuse(refusal.code, refusal.reason);
      return;
    }
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
    this.state = 'connected';
    this.connectedSince = Date.now();
    this.deps.events.ready(this);
  }

  /** Tells the peer why, then closes. */
  private refuse(code: P2PErrorCode, reason: string): void {
    this.send(RejectMsg, { code, reason });
    this.close(CLOSE_REJECTED, `${code}: ${reason}`);
    this.report(new P2PError(code, reason));
  }

  private report(err: P2PError): void {
    this.errors++;
    err.context.peer = this.remote?.id ?? this.address;
    this.deps.events.misbehaved(this, err);
  }

  private onSocketError(err: Error & { code?: string }): void {
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      this.report(new P2PError('OVERSIZE', `frame over the ${'maxPayload'} cap: ${err.message}`));
    } else if (err.code?.startsWith('WS_ERR_')) {
      this.report(new P2PError('MALFORMED', `bad WebSocket frame: ${err.message}`));
    } else {
      this.errors++;
    }
    this.closeReason ??= `socket error: ${err.code ?? err.message}`;
  }

  private onClose(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const t of [this.handshakeTimer, this.killTimer]) if (t) clearTimeout(t);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.inShaper.close();
    this.outShaper.close();
    const why = this.closeReason ?? (reason ? `closed by peer: ${reason}` : `closed by peer (code ${code})`);
    this.closeReason = why;
    this.deps.events.closed(this, why);
  }
}
