// Socket.IO on the control plane's HTTP server. Browsers join rooms per concern; pushes are
// collected and sent once per tick, so a burst of blocks or head changes from many nodes
// never floods a page with one message per event.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Logger } from 'pino';
import type { AlertRecord, BlockSummary, NetworkConsensus, NetworkEvent, NodeStatus, PeerLinkInfo } from '../../wire/explorer-api.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import type { ScenarioRunRecord } from '../../wire/scenario.ts';
import { LiveRooms, type ClientToServerEvents, type LiveRoom, type ServerToClientEvents } from '../../wire/live-events.ts';

const MAX_BLOCKS_PER_PUSH = 100;

export class LiveHub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private timer: NodeJS.Timeout | null = null;
  private pendingBlocks = new Map<string, BlockSummary>();
  private pendingNodes: NodeStatus[] | null = null;
  private pendingConsensus: NetworkConsensus | null = null;
  private pendingAlerts: AlertRecord[] | null = null;
  private pendingEvents: NetworkEvent[] = [];
  private pendingPeers: PeerLinkInfo[] | null = null;
  private pendingChaos: { active: ChaosRecord[]; changed: ChaosRecord[] } | null = null;

  constructor(
    httpServer: HttpServer,
    private readonly opts: { tickMs: number; logger: Logger },
  ) {
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
    this.timer = setInterval(() => this.flush(), this.opts.tickMs);
  }

  pushBlocks(blocks: BlockSummary[]): void {
    for (const b of blocks) this.pendingBlocks.set(b.hash, b);
  }

  pushNodes(nodes: NodeStatus[]): void {
    this.pendingNodes = nodes;
  }

  pushConsensus(consensus: NetworkConsensus): void {
    this.pendingConsensus = consensus;
  }

  pushAlerts(active: AlertRecord[]): void {
    this.pendingAlerts = active;
  }

  pushEvent(event: NetworkEvent): void {
    this.pendingEvents.push(event);
    if (this.pendingEvents.length > 200) this.pendingEvents.shift();
  }

  pushPeers(links: PeerLinkInfo[]): void {
    this.pendingPeers = links;
  }

  pushChaos(active: ChaosRecord[], changed: ChaosRecord): void {
    this.pendingChaos = { active, changed: [...(this.pendingChaos?.changed ?? []), changed] };
  }

  /** Rare and small: sent at once rather than batched. */
  pushScenarioRun(run: ScenarioRunRecord): void {
    this.io.to('chaos').emit('scenarios:update', run);
  }

  private flush(): void {
    if (this.pendingBlocks.size > 0) {
      const blocks = [...this.pendingBlocks.values()].sort((a, b) => b.height - a.height).slice(0, MAX_BLOCKS_PER_PUSH);
      this.pendingBlocks.clear();
      this.io.to('blocks').emit('blocks:new', blocks);
    }
    if (this.pendingNodes) {
      this.io.to('network').emit('nodes:update', this.pendingNodes);
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
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.io.disconnectSockets(true);
    // io.close() would also close the shared HTTP server; its owner closes that.
    this.io.engine.close();
  }
}

function validRooms(rooms: unknown): LiveRoom[] {
  if (!Array.isArray(rooms)) return [];
  return rooms.filter((r): r is LiveRoom => (LiveRooms as readonly string[]).includes(r as string));
}
