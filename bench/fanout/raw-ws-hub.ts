// The fanout baseline: the same pushes, batched by the same throttles as the LiveHub, sent as
// plain JSON text frames over bare `ws` WebSockets to every connected client — no Socket.IO,
// no Engine.IO, no rooms. What the hub costs per delivery beyond this is the price of the
// Socket.IO layer (framing, rooms, per-socket packet queues).
import type { Server as HttpServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { BlockSummary, NetworkEvent, NodesResponse } from '../../wire/explorer-api.ts';
import type { HeadChange } from '../../wire/live-events.ts';
import { LeadingThrottle } from '../../server/live/throttle.ts';
import { HEAD_INTERVAL_MS } from '../../server/live/live-hub.ts';
import type { LivePushTarget } from './synthetic-network.ts';

export class RawWsHub implements LivePushTarget {
  readonly wss: WebSocketServer;
  private headSeq = 0;
  private pendingHeads: HeadChange[] = [];
  private pendingNodes: NodesResponse | null = null;
  private pendingBlocks: BlockSummary[] = [];
  private pendingEvents: NetworkEvent[] = [];
  private readonly headThrottle = new LeadingThrottle(HEAD_INTERVAL_MS, () => this.flushHeads(), { leadingEdge: 'microtask' });
  private readonly snapshotThrottle: LeadingThrottle;

  constructor(server: HttpServer, tickMs: number) {
    this.wss = new WebSocketServer({ server, path: '/raw' });
    this.snapshotThrottle = new LeadingThrottle(tickMs, () => this.flush());
    this.headThrottle.start();
    this.snapshotThrottle.start();
  }

  pushHead(change: Omit<HeadChange, 'seq'>): HeadChange {
    const numbered = { seq: ++this.headSeq, ...change };
    this.pendingHeads.push(numbered);
    this.headThrottle.schedule();
    return numbered;
  }

  pushNodes(snapshot: NodesResponse): void {
    this.pendingNodes = snapshot;
    this.snapshotThrottle.schedule();
  }

  pushBlocks(blocks: BlockSummary[]): void {
    this.pendingBlocks.push(...blocks);
    this.snapshotThrottle.schedule();
  }

  pushEvent(event: NetworkEvent): void {
    this.pendingEvents.push(event);
    this.snapshotThrottle.schedule();
  }

  private broadcast(event: string, payload: unknown): void {
    const text = JSON.stringify([event, payload]);
    for (const ws of this.wss.clients as Set<WebSocket>) ws.send(text);
  }

  private flushHeads(): void {
    const heads = this.pendingHeads;
    this.pendingHeads = [];
    if (heads.length) this.broadcast('heads:new', heads);
  }

  private flush(): void {
    if (this.pendingBlocks.length) this.broadcast('blocks:new', this.pendingBlocks.splice(0).reverse());
    if (this.pendingNodes) this.broadcast('nodes:update', this.pendingNodes);
    this.pendingNodes = null;
    if (this.pendingEvents.length) this.broadcast('events:new', this.pendingEvents.splice(0).reverse());
  }

  stop(): void {
    this.headThrottle.stop();
    this.snapshotThrottle.stop();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }
}
