// The P2P host: accepts inbound links on /p2p, runs a dialer per configured peer, enforces
// peer limits and bans, keeps exactly one link per remote node, scores misbehaviour, and
// lets the layers above send, broadcast (signed once) and receive typed messages: each
// registers its message types and handlers as a reactor (message-registry.ts).
// It knows the chain only as the hello it sends; block, tx and vote meaning live above it.
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HeadRef, PeerInfo } from '../../wire/node-api.ts';
import { nodeIdOf, type KeyPair } from '../chain/keys.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { Dialer } from './dialer.ts';
import { sealEnvelope } from './envelope.ts';
import { P2PError } from './errors.ts';
import type { LinkChaos } from './link-chaos.ts';
import { MessageRegistry, type Reactor } from './message-registry.ts';
import type { MessageDef } from './messages.ts';
import { pickOutboundPeers } from './outbound-peers.ts';
import { CLOSE_BANNED, CLOSE_DUPLICATE, CLOSE_SHUTDOWN, PeerConnection } from './peer-connection.ts';
import { connectionInfo, listPeers } from './peer-list.ts';
import { answerRefusal, InboundAdmission, refusalReporter, remoteIp, type Refusal } from './inbound-admission.ts';
import { PENALTIES, PeerScoreBook } from './peer-score.ts';

export interface P2PHostOptions {
  key: KeyPair;
  name: string;
  peers: string[];
  /** Where we accept P2P links, told to peers in the hello (known once listening). */
  listenUrl: () => string | null;
  maxInbound: number;
  maxOutbound: number;
  pingIntervalMs: number;
  handshakeTimeoutMs: number;
  maxPayloadBytes: number;
  banMs: number;
  /** Ban time of an address whose peer misbehaved before its hello (inbound-admission.ts). */
  addressBanMs: number;
  maxPendingHandshakes: number;
  maxPendingPerAddress: number;
  maxInboundAttemptsPerMinute: number;
  rateLimit: { perSec: number; burst: number };
  stableMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

export interface LocalChainInfo {
  chainId: string;
  genesisHash: string;
  validator: boolean;
  head(): HeadRef;
}

export interface PeerEvent {
  event: 'connected' | 'disconnected' | 'banned' | 'score';
  peer: { id: string | null; name: string | null; address: string; direction: 'inbound' | 'outbound' };
  reason: string | null;
  score: number | null;
}

export interface P2PHostDeps {
  logger: Logger;
  metrics: Metrics;
  chaos: LinkChaos;
  local: LocalChainInfo;
  onPeerEvent(e: PeerEvent): void;
}

interface Departed {
  info: PeerInfo;
  at: number;
}

const DEPARTED_KEEP_MS = 5 * 60_000;

/** A bounded label for metrics from a free-text close reason. */
export function reasonKind(reason: string): string {
  const kinds: Array<[RegExp, string]> = [
    [/^ping timeout/, 'ping_timeout'],
    [/^handshake timeout/, 'handshake_timeout'],
    [/duplicate/, 'duplicate'],
    [/^banned/, 'banned'],
    [/^rejected by peer/, 'rejected_by_peer'],
    [/^[A-Z_]+: /, 'refused'],
    [/^shutdown|^node stopping/, 'shutdown'],
    [/^send buffer/, 'send_buffer_full'],
    [/^socket error/, 'socket_error'],
    [/^closed by peer: node stopping/, 'peer_shutdown'],
    [/^closed by peer/, 'closed_by_peer'],
  ];
  for (const [re, k] of kinds) if (re.test(reason)) return k;
  return 'other';
}

/**
 * Whom a link's misbehaviour is charged to: its node id once the hello told it. Before that,
 * an inbound link answers for its IP (its port changes with every connection), an outbound
 * one for the URL we dialed.
 */
function scoreKey(c: PeerConnection): string {
  return c.remote?.id ?? c.ip ?? c.address;
}

export class P2PHost {
  readonly nodeId: string;
  private wss: WebSocketServer | null = null;
  private readonly conns = new Set<PeerConnection>();
  private readonly byId = new Map<string, PeerConnection>();
  private readonly dialers: Dialer[] = [];
  private readonly dialerOf = new Map<PeerConnection, Dialer>();
  private readonly names = new Map<string, string>();
  private readonly departed: Departed[] = [];
  private readonly dialFailures = new Map<Dialer, number>();
  readonly scores: PeerScoreBook;
  /** Message types and handlers of every reactor; hello and reject are P2P's own. */
  readonly registry = new MessageRegistry();
  private stopping = false;
  private dialing = false;
  private readonly log: Logger;
  private readonly admission: InboundAdmission;
  private readonly reportRefusal: (refusal: Refusal, peer: string) => void;

  constructor(
    private readonly opts: P2PHostOptions,
    private readonly deps: P2PHostDeps,
  ) {
    this.nodeId = nodeIdOf(opts.key.publicKey);
    this.scores = new PeerScoreBook(opts.banMs);
    this.log = deps.logger.child({ module: 'p2p' });
    this.admission = new InboundAdmission(
      {
        maxInbound: opts.maxInbound,
        maxPendingHandshakes: opts.maxPendingHandshakes,
        maxPendingPerAddress: opts.maxPendingPerAddress,
        maxAttemptsPerMinute: opts.maxInboundAttemptsPerMinute,
      },
      (ip) => this.scores.isBanned(ip),
    );
    this.reportRefusal = refusalReporter(deps.metrics, this.log);
  }

  /** Accepts inbound links from now on; dialing starts with startDialing(). */
  start(): void {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: this.opts.maxPayloadBytes, perMessageDeflate: false, autoPong: false });
    this.wss.on('error', (err) => this.log.error({ err: err.message }, 'p2p websocket server error'));
  }

  /** Starts one dialer per chosen peer; once (a second call does nothing). */
  startDialing(): void {
    if (this.dialing || this.stopping) return;
    this.dialing = true;
    const urls = pickOutboundPeers(this.opts.peers, this.opts.maxOutbound, this.nodeId);
    if (this.opts.peers.length > urls.length) {
      this.log.warn({ configured: this.opts.peers.length, maxOutbound: this.opts.maxOutbound }, 'more peers configured than outbound slots; dialing a subset chosen by node id');
    }
    for (const url of urls) {
      const d = new Dialer(
        {
          url,
          maxPayloadBytes: this.opts.maxPayloadBytes,
          connectTimeoutMs: this.opts.handshakeTimeoutMs,
          stableMs: this.opts.stableMs,
          backoffBaseMs: this.opts.backoffBaseMs,
          backoffCapMs: this.opts.backoffCapMs,
        },
        { attach: (ws, dialer) => this.attach(ws, 'outbound', dialer.url, dialer), dialFailed: (dialer, code, message) => this.onDialFailed(dialer, code, message) },
      );
      this.dialers.push(d);
      d.start();
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const d of this.dialers) d.stop();
    for (const c of this.conns) c.close(CLOSE_SHUTDOWN, 'node stopping');
    const deadline = Date.now() + 1500;
    while (this.conns.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    for (const c of this.conns) c.terminate('shutdown');
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  /** Called by the HTTP server for upgrade requests on the P2P path. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!this.wss || this.stopping) {
      socket.destroy();
      return;
    }
    const ip = remoteIp(req.socket);
    const address = `${ip}:${req.socket.remotePort ?? '?'}`;
    const pending = this.pendingInbound();
    const refusal = this.admission.admit(ip, {
      connected: this.counts().inbound,
      pending: pending.length,
      pendingFrom: (from) => pending.filter((c) => c.ip === from).length,
    });
    if (refusal) {
      // Refused before a WebSocket exists: no frames parsed, no handshake timer, no slot.
      this.reportRefusal(refusal, address);
      answerRefusal(socket, refusal);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.attach(ws, 'inbound', address, null, ip);
      this.updateGauge();
    });
  }

  /** Inbound sockets that have not completed their hello (they hold no peer slot). */
  private pendingInbound(): PeerConnection[] {
    return [...this.conns].filter((c) => c.direction === 'inbound' && c.state === 'handshaking');
  }

  counts(): { connected: number; inbound: number; outbound: number; carrying: number } {
    let inbound = 0;
    let outbound = 0;
    let carrying = 0;
    const now = Date.now();
    for (const c of this.byId.values()) {
      c.direction === 'inbound' ? inbound++ : outbound++;
      if (c.carrying(now)) carrying++;
    }
    return { connected: inbound + outbound, inbound, outbound, carrying };
  }

  get configuredPeers(): number {
    return this.dialers.length;
  }

  connected(): PeerConnection[] {
    return [...this.byId.values()];
  }

  /** Registers a reactor's message types and peer hooks; throws when a type is already taken. */
  addReactor(reactor: Reactor): void {
    this.registry.add(reactor);
  }

  send<P>(peer: PeerConnection, def: MessageDef<P>, payload: P): void {
    peer.send(def, payload);
  }

  /**
   * Signs once, sends to every connected peer but `except` and those `include` turns down (or
   * to `fanout` of them picked at random: relays in a big mesh need not reach everyone
   * directly); returns how many got it.
   */
  broadcast<P>(def: MessageDef<P>, payload: P, except?: PeerConnection, fanout = Infinity, include?: (peer: PeerConnection) => boolean): number {
    let peers = this.connected().filter((c) => c !== except && (!include || include(c)));
    if (peers.length > fanout) {
      for (let i = peers.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [peers[i], peers[j]] = [peers[j], peers[i]];
      }
      peers = peers.slice(0, fanout);
    }
    if (peers.length === 0) return 0;
    const text = sealEnvelope(def.type, payload, this.opts.key, Date.now());
    for (const c of peers) c.sendSealed(def.type, text);
    return peers.length;
  }

  /** The layer above found a peer's block or tx invalid. */
  penalize(peer: PeerConnection, err: P2PError): void {
    peer.errors++;
    this.onMisbehaved(peer, err);
  }

  /** Lifts every dialer out of backoff now (e.g. after link rules were relaxed). */
  wakeDialers(): void {
    for (const d of this.dialers) if (!(d.remoteId && this.byId.has(d.remoteId))) d.wake();
  }

  private attach(ws: WebSocket, direction: 'inbound' | 'outbound', address: string, dialer: Dialer | null, ip: string | null = null): void {
    if (this.stopping) {
      ws.on('error', () => {});
      ws.terminate();
      return;
    }
    const conn = new PeerConnection(
      {
        direction,
        address,
        ip,
        pingIntervalMs: this.opts.pingIntervalMs,
        handshakeTimeoutMs: this.opts.handshakeTimeoutMs,
        maxBufferedBytes: Math.max(16 * 1024 * 1024, 4 * this.opts.maxPayloadBytes),
        rateLimit: this.opts.rateLimit,
      },
      {
        ws,
        key: this.opts.key,
        chaos: this.deps.chaos,
        hello: () => ({
          chainId: this.deps.local.chainId,
          genesisHash: this.deps.local.genesisHash,
          nodeId: this.nodeId,
          name: this.opts.name,
          head: this.deps.local.head(),
          validator: this.deps.local.validator,
          listenUrl: this.opts.listenUrl(),
        }),
        checkHello: (hello) => {
          if (hello.nodeId === this.nodeId) return { code: 'SELF_CONNECTION', reason: 'connected to itself' };
          if (hello.chainId !== this.deps.local.chainId) return { code: 'CHAIN_MISMATCH', reason: `chain id ${hello.chainId}, expected ${this.deps.local.chainId}` };
          if (hello.genesisHash !== this.deps.local.genesisHash) {
            return { code: 'GENESIS_MISMATCH', reason: `genesis ${hello.genesisHash.slice(0, 16)}, expected ${this.deps.local.genesisHash.slice(0, 16)}` };
          }
          if (this.scores.isBanned(hello.nodeId)) return { code: 'BANNED', reason: 'banned for misbehaviour; try later' };
          // Handshaking sockets hold no peer slot, so more may finish than there are slots.
          if (direction === 'inbound' && this.counts().inbound >= this.opts.maxInbound && !this.byId.has(hello.nodeId)) {
            return { code: 'TOO_MANY_PEERS', reason: `all ${this.opts.maxInbound} inbound peer slots taken` };
          }
          return null;
        },
        registry: this.registry,
        events: {
          ready: (c) => this.onReady(c),
          misbehaved: (c, err) => this.onMisbehaved(c, err),
          closed: (c, reason) => this.onClosed(c, reason),
          traffic: (dir, type, bytes) => {
            this.deps.metrics.messages.inc({ direction: dir, type });
            this.deps.metrics.bytes.inc({ direction: dir, type }, bytes);
          },
          chaosDropped: (dir) => this.deps.metrics.chaosDropped.inc({ direction: dir }),
          chaosEffect: (dir, effect) => this.deps.metrics.chaosEffects.inc({ direction: dir, effect }),
        },
      },
    );
    this.conns.add(conn);
    if (dialer) this.dialerOf.set(conn, dialer);
  }

  private onReady(c: PeerConnection): void {
    const remote = c.remote!;
    this.names.set(remote.id, remote.name);
    const dialer = this.dialerOf.get(c);
    if (dialer) {
      this.dialFailures.delete(dialer);
      dialer.remoteId = remote.id;
      dialer.linkReady();
    }
    const existing = this.byId.get(remote.id);
    if (existing && existing !== c) {
      // Both nodes dialed each other. Both ends keep the link dialed by the lower node id,
      // so they close the same one; same-direction duplicates keep the older link.
      const keepNew = c.dialerId !== existing.dialerId && (c.dialerId ?? '') < (existing.dialerId ?? '');
      const loser = keepNew ? existing : c;
      if (keepNew) this.byId.set(remote.id, c);
      this.log.debug({ peer: remote.id, kept: keepNew ? c.direction : existing.direction }, 'duplicate link resolved');
      loser.close(CLOSE_DUPLICATE, 'duplicate link');
      return;
    }
    this.byId.set(remote.id, c);
    this.updateGauge();
    this.log.info({ peer: remote.id, name: remote.name, direction: c.direction, address: c.address, head: c.head }, 'peer connected');
    this.deps.onPeerEvent({ event: 'connected', peer: this.peerRef(c), reason: null, score: this.scores.score(remote.id) });
    for (const r of this.registry.reactors()) r.peerConnected?.(c);
  }

  private onClosed(c: PeerConnection, reason: string): void {
    this.conns.delete(c);
    const dialer = this.dialerOf.get(c);
    this.dialerOf.delete(c);
    const id = c.remote?.id ?? null;
    const wasKept = id !== null && this.byId.get(id) === c;
    if (wasKept) this.byId.delete(id);
    const kind = reasonKind(reason);
    if (dialer) {
      const standby = kind === 'duplicate' && id !== null && this.byId.has(id);
      dialer.linkClosed(reason, { standby, permanent: reason.startsWith('SELF_CONNECTION') });
    }
    if (c.direction === 'inbound' && (c.connectedSince !== null || c.errors > 0) && kind !== 'duplicate') {
      this.departed.push({ info: this.info(c, 'disconnected'), at: Date.now() });
      if (this.departed.length > 32) this.departed.shift();
    }
    if (!wasKept) {
      this.updateGauge();
      if (c.connectedSince === null) this.log.debug({ peer: id ?? c.address, direction: c.direction, reason }, 'link closed before handshake completed');
      return;
    }
    this.updateGauge();
    if (!this.stopping) {
      this.deps.metrics.disconnects.inc({ reason: kind });
      // Resolving a double dial is routine; every other loss of a link deserves attention.
      this.log[kind === 'duplicate' ? 'debug' : 'warn']({ peer: id, name: c.remote?.name, direction: c.direction, reason, rttMs: c.rttMs }, 'peer disconnected');
      // A dialer that stood by for this node's inbound link must take over now; it reports why
      // the link was lost (in /peers) until its own next attempt says otherwise.
      for (const d of this.dialers) {
        if (d.remoteId !== id || d.state === 'connected') continue;
        d.lastReason = reason;
        if (d.state === 'standby') d.wake(500);
      }
    }
    this.deps.onPeerEvent({ event: 'disconnected', peer: this.peerRef(c), reason, score: this.scores.score(id!) });
    for (const r of this.registry.reactors()) r.peerDisconnected?.(c);
  }

  private onMisbehaved(c: PeerConnection, err: P2PError): void {
    const byAddress = !c.remote && c.ip !== null;
    const key = scoreKey(c);
    this.deps.metrics.errors.inc({ kind: err.code });
    if (err.code === 'SIGNATURE_INVALID') this.deps.metrics.signatureFailures.inc({ what: 'envelope' });
    const points = PENALTIES[err.code] ?? 0;
    // A half-open inbound socket timing out costs nothing and is counted in metrics; at warn, a
    // crowd of them (up to maxPendingHandshakes per handshake timeout) would flood the log.
    const level = points === 0 && byAddress ? 'debug' : 'warn';
    this.log[level]({ peer: key, name: c.remote?.name, direction: c.direction, code: err.code, penalty: points, ...err.context }, `peer misbehaved: ${err.message}`);
    if (points === 0) return;
    const crossed = this.scores.penalize(key, points);
    const score = this.scores.score(key);
    this.deps.onPeerEvent({ event: 'score', peer: this.peerRef(c), reason: err.code, score });
    if (crossed) {
      const banMs = byAddress ? this.opts.addressBanMs : this.opts.banMs;
      this.scores.ban({ key, reason: err.code, name: c.remote?.name ?? null, address: byAddress ? key : c.address, direction: c.direction }, banMs);
      this.deps.metrics.bans.inc();
      this.log.warn(
        { peer: key, name: c.remote?.name, score, banMs, byAddress, lastError: err.code },
        byAddress ? 'address banned: refused at upgrade until the ban ends' : 'peer banned',
      );
      this.deps.onPeerEvent({ event: 'banned', peer: this.peerRef(c), reason: err.code, score });
      c.close(CLOSE_BANNED, `banned: ${err.code}`);
    }
  }

  private onDialFailed(d: Dialer, code: string, message: string): void {
    this.deps.metrics.dialErrors.inc({ code });
    // A peer that is not up yet is normal at startup: say so once, then every 10th attempt.
    // A failed dial to a peer we were linked with before is worth a warning each time.
    const n = (this.dialFailures.get(d) ?? 0) + 1;
    this.dialFailures.set(d, n);
    const level = d.remoteId ? 'warn' : n === 1 || n % 10 === 0 ? 'info' : 'debug';
    this.log[level]({ peer: d.remoteId ?? d.url, url: d.url, code, attempt: n, err: message }, 'dial failed');
  }

  private peerRef(c: PeerConnection): PeerEvent['peer'] {
    return { id: c.remote?.id ?? null, name: c.remote?.name ?? null, address: c.address, direction: c.direction };
  }

  private updateGauge(): void {
    const { inbound, outbound } = this.counts();
    this.deps.metrics.peers.set({ direction: 'inbound' }, inbound);
    this.deps.metrics.peers.set({ direction: 'outbound' }, outbound);
    this.deps.metrics.pendingHandshakes.set(this.pendingInbound().length);
  }

  private info(c: PeerConnection, state?: PeerInfo['state']): PeerInfo {
    return connectionInfo(c, this.scores.score(scoreKey(c)), this.dialerOf.get(c)?.lastReason ?? null, state);
  }

  /** Every link, dialer and recent offender, for GET /peers. */
  peers(): PeerInfo[] {
    const now = Date.now();
    while (this.departed.length > 0 && now - this.departed[0].at > DEPARTED_KEEP_MS) this.departed.shift();
    return listPeers({
      conns: this.conns,
      kept: (id) => this.byId.get(id),
      dialers: this.dialers,
      busyDialers: new Set(this.dialerOf.values()),
      names: this.names,
      departed: this.departed.map((d) => d.info),
      scores: this.scores,
      info: (c) => this.info(c),
    });
  }
}
