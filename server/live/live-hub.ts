// Socket.IO on the control plane's HTTP server. Browsers join rooms per concern; pushes are
// collected and sent in batches, so a burst of blocks or head changes from many nodes never
// floods a page with one message per event. Batches are throttled on the leading edge
// (throttle.ts): the first change after a quiet spell goes out at once, then at most one
// message per interval while changes keep coming. Head changes have their own short
// interval and are never merged or dropped (each carries a hub-wide sequence number);
// everything else is a snapshot or a capped list, sent at most once per `tickMs`.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { AlertRecord, BlockSummary, NetworkConsensus, NetworkEvent, NodesResponse, PeerLinkInfo } from '../../wire/explorer-api.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import type { ScenarioRunRecord } from '../../wire/scenario.ts';
import type { RunSummary } from '../../wire/run-api.ts';
import { LiveRooms, type ClientToServerEvents, type ConsensusNotice, type HeadChange, type LiveRoom, type ServerToClientEvents } from '../../wire/live-events.ts';
import { LeadingThrottle, type TimerApi } from './throttle.ts';

const MAX_BLOCKS_PER_PUSH = 100;
/** Head changes kept while none can be sent (e.g. the event loop stalled); beyond, the oldest go and clients see a sequence gap. */
const MAX_PENDING_HEADS = 10_000;
/**
 * Default interval between two `heads:new` messages while heads keep coming. Heads come in
 * bursts (one block reaches every node within milliseconds): the first of a burst goes at
 * once, the rest wait for the interval, so it sets the typical latency. `npm run bench -- live`
 * (8 nodes, 5 blocks/s, shared 2-core machine at load ~7-10): 25 ms gave p99 88 ms, 50 ms gave
 * 136-142 ms; 25 ms costs ~12 messages/s per browser instead of ~10, and a flood at most 40/s.
 */
export const HEAD_INTERVAL_MS = 25;

/** Consensus notices: at most 4 a second (a round has several steps and votes arrive per validator). */
export const CONSENSUS_INTERVAL_MS = 250;

export class LiveHub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private readonly snapshotThrottle: LeadingThrottle;
  private readonly headThrottle: LeadingThrottle;
  private readonly consensusThrottle: LeadingThrottle;
  private pendingConsensusNotice: ConsensusNotice | null = null;
  private headSeq = 0;
  private pendingHeads: HeadChange[] = [];
  private droppedHeads = 0;
  private pendingBlocks = new Map<string, BlockSummary>();
  private pendingNodes: NodesResponse | null = null;
  private pendingConsensus: NetworkConsensus | null = null;
  private pendingAlerts: AlertRecord[] | null = null;
  private pendingEvents: NetworkEvent[] = [];
  private pendingPeers: PeerLinkInfo[] | null = null;
  private pendingChaos: { active: ChaosRecord[]; changed: ChaosRecord[] } | null = null;

  constructor(
    httpServer: HttpServer,
    /** `timers`: the throttles' clock, real unless a test moves it by hand. */
    /**
     * `clustered`: broadcasts go through the Postgres adapter to other replicas' browsers, whom
     * this process cannot count, and head sequence numbers start from the clock (ms × 1000) so
     * a new leader's numbers stay above the old one's (clients keep the highest per node).
     */
    private readonly opts: { tickMs: number; headIntervalMs?: number; logger: Logger; timers?: TimerApi; clustered?: boolean },
  ) {
    if (opts.clustered) this.headSeq = Date.now() * 1000;
    this.snapshotThrottle = new LeadingThrottle(opts.tickMs, () => this.flush(), { timers: opts.timers });
    // Heads go out when the code that pushed them returns, ahead of whatever I/O is queued.
    this.headThrottle = new LeadingThrottle(opts.headIntervalMs ?? HEAD_INTERVAL_MS, () => this.flushHeads(), { leadingEdge: 'microtask', timers: opts.timers });
    this.consensusThrottle = new LeadingThrottle(CONSENSUS_INTERVAL_MS, () => this.flushConsensusNotice(), { timers: opts.timers });
    // destroyUpgrade: false leaves other upgrade requests (Next's own) to their handlers.
    this.io = new Server(httpServer, { destroyUpgrade: false, serveClient: false, cors: { origin: false } });
    this.io.on('connection', (socket) => {
      socket.on('subscribe', (rooms) => {
        for (const room of validRooms(rooms)) void socket.join(room);
      });
      socket.on('unsubscribe', (rooms) => {
        for (const room of validRooms(rooms)) void socket.leave(room);
      });
    });
  }

  start(): void {
    this.snapshotThrottle.start();
    this.headThrottle.start();
    this.consensusThrottle.start();
    // Pushes that came before start go out now.
    if (this.pendingHeads.length) this.headThrottle.schedule();
    this.snapshotThrottle.schedule();
  }

  /** A node moved its head: numbered here, sent to the 'heads' room, never merged with another. */
  pushHead(change: Omit<HeadChange, 'seq'>): HeadChange {
    const numbered = { seq: ++this.headSeq, ...change };
    this.pendingHeads.push(numbered);
    if (this.pendingHeads.length > MAX_PENDING_HEADS) {
      this.pendingHeads.shift();
      if (this.droppedHeads++ === 0) this.opts.logger.warn({ kept: MAX_PENDING_HEADS }, 'head changes pile up unsent; dropping the oldest (clients see a sequence gap)');
    }
    this.headThrottle.schedule();
    return numbered;
  }

  pushBlocks(blocks: BlockSummary[]): void {
    for (const b of blocks) this.pendingBlocks.set(b.hash, b);
    this.snapshotThrottle.schedule();
  }

  /** Rows and verdict of one monitor evaluation: the newest replaces any still unsent, never mixed with another's. */
  pushNodes(snapshot: NodesResponse): void {
    this.pendingNodes = snapshot;
    this.snapshotThrottle.schedule();
  }

  pushConsensus(consensus: NetworkConsensus): void {
    this.pendingConsensus = consensus;
    this.snapshotThrottle.schedule();
  }

  pushAlerts(active: AlertRecord[]): void {
    this.pendingAlerts = active;
    this.snapshotThrottle.schedule();
  }

  pushEvent(event: NetworkEvent): void {
    this.pendingEvents.push(event);
    if (this.pendingEvents.length > 200) this.pendingEvents.shift();
    this.snapshotThrottle.schedule();
  }

  pushPeers(links: PeerLinkInfo[]): void {
    this.pendingPeers = links;
    this.snapshotThrottle.schedule();
  }

  pushChaos(active: ChaosRecord[], changed: ChaosRecord): void {
    this.pendingChaos = { active, changed: [...(this.pendingChaos?.changed ?? []), changed] };
    this.snapshotThrottle.schedule();
  }

  /** A node's consensus moved: merged into one notice per interval for the 'consensus' room. */
  pushConsensusNotice(kind: string, height: number | null): void {
    if (!this.hasAudience('consensus')) return;
    const n = (this.pendingConsensusNotice ??= { kinds: [], height: null });
    if (!n.kinds.includes(kind)) n.kinds.push(kind);
    if (height !== null && (n.height === null || height > n.height)) n.height = height;
    this.consensusThrottle.schedule();
  }

  /** Whether any browser is in `room` now: a push nobody receives need not be computed. */
  hasAudience(room: LiveRoom): boolean {
    if (this.opts.clustered) return true;
    return (this.io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /** Rare and small: sent at once rather than batched. */
  pushScenarioRun(run: ScenarioRunRecord): void {
    this.io.to('chaos').emit('scenarios:update', run);
  }

  /** Every client of every replica refetches what it shows (a new leader took over: pushes of the old one may be lost). */
  pushResync(): void {
    this.io.emit('live:resync');
  }

  /** A recorded run opened or closed: rare and small, sent at once to the public 'runs' room. */
  pushRun(run: RunSummary): void {
    this.io.to('runs').emit('runs:update', run);
  }

  private flushHeads(): void {
    if (this.pendingHeads.length === 0) return;
    const heads = this.pendingHeads;
    this.pendingHeads = [];
    this.io.to('heads').emit('heads:new', heads);
  }

  private flushConsensusNotice(): void {
    if (!this.pendingConsensusNotice) return;
    this.io.to('consensus').emit('consensus:changed', this.pendingConsensusNotice);
    this.pendingConsensusNotice = null;
  }

  private flush(): void {
    if (this.pendingBlocks.size > 0) {
      const blocks = [...this.pendingBlocks.values()].sort((a, b) => b.height - a.height).slice(0, MAX_BLOCKS_PER_PUSH);
      this.pendingBlocks.clear();
      this.io.to('blocks').emit('blocks:new', blocks);
    }
    if (this.pendingNodes) {
      const { nodes, ...verdict } = this.pendingNodes;
      this.io.to('network').emit('nodes:update', nodes, verdict);
      this.pendingNodes = null;
    }
    if (this.pendingConsensus) {
      this.io.to('network').emit('network:consensus', this.pendingConsensus);
      this.pendingConsensus = null;
    }
    if (this.pendingAlerts) {
      this.io.to('network').emit('alerts:update', this.pendingAlerts);
      this.pendingAlerts = null;
    }
    if (this.pendingEvents.length > 0) {
      this.io.to('events').emit('events:new', this.pendingEvents.reverse());
      this.pendingEvents = [];
    }
    if (this.pendingChaos) {
      this.io.to('chaos').emit('chaos:update', this.pendingChaos);
      this.pendingChaos = null;
    }
    if (this.pendingPeers) {
      this.io.to('peers').emit('peers:update', this.pendingPeers);
      this.pendingPeers = null;
    }
  }

  stop(): void {
    this.snapshotThrottle.stop();
    this.headThrottle.stop();
    this.consensusThrottle.stop();
    this.io.disconnectSockets(true);
    // io.close() would also close the shared HTTP server; its owner closes that.
    this.io.engine.close();
  }
}

function validRooms(rooms: unknown): LiveRoom[] {
  if (!Array.isArray(rooms)) return [];
  return rooms.filter((r): r is LiveRoom => (LiveRooms as readonly string[]).includes(r as string));
}
