// The browsers of a live run: N Socket.IO clients (each its own connection), subscribed to
// the room that carries head changes ('heads', or 'network' for the snapshot), recording which head of which node each one received
// and when. Two ways to read heads off the wire:
//   'heads:new'    the dedicated event: one entry per head change, with the hub's sequence;
//   'nodes:update' the status snapshot every page used before it: a head counts as received
//                  the first time a snapshot shows a node at that hash (heads merged into
//                  one snapshot are never seen, and count as lost).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, HeadChange, LiveRoom, ServerToClientEvents } from '../../wire/live-events.ts';
import type { NodeStatus } from '../../wire/explorer-api.ts';
import { nowMs } from '../core/stream-tap.ts';
import { headKey } from './head-truth.ts';

export type HeadEventName = 'heads:new' | 'nodes:update';

export interface Receipt {
  key: string;
  receivedAt: number;
}

export class LiveClient {
  readonly receipts: Receipt[] = [];
  /** Hub sequence numbers that did not follow the previous one (heads:new only). */
  seqGaps = 0;
  seqRepeats = 0;
  messages = 0;
  disconnects = 0;
  private lastSeq: number | null = null;
  private lastHashByNode = new Map<string, string>();

  constructor(
    readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>,
    mode: HeadEventName,
  ) {
    if (mode === 'heads:new') socket.on('heads:new', (heads) => this.onHeads(heads));
    else socket.on('nodes:update', (nodes) => this.onNodes(nodes));
    socket.on('disconnect', () => this.disconnects++);
  }

  private onHeads(heads: HeadChange[]): void {
    const receivedAt = nowMs();
    this.messages++;
    for (const h of heads) {
      this.receipts.push({ key: headKey(h.nodeId, h.hash), receivedAt });
      if (this.lastSeq !== null) {
        if (h.seq <= this.lastSeq) this.seqRepeats++;
        else if (h.seq !== this.lastSeq + 1) this.seqGaps++;
      }
      this.lastSeq = Math.max(this.lastSeq ?? h.seq, h.seq);
    }
  }

  private onNodes(nodes: NodeStatus[]): void {
    const receivedAt = nowMs();
    this.messages++;
    for (const n of nodes) {
      if (!n.headHash || this.lastHashByNode.get(n.id) === n.headHash) continue;
      this.lastHashByNode.set(n.id, n.headHash);
      this.receipts.push({ key: headKey(n.id, n.headHash), receivedAt });
    }
  }
}

/**
 * Connects `count` clients (forceNew: one WebSocket each, as separate browsers would have),
 * joins them to `room`, and resolves once every one of them has received a head message.
 */
export async function connectClients(url: string, count: number, mode: HeadEventName, opts: { timeoutMs: number; extraRooms?: LiveRoom[] }): Promise<LiveClient[]> {
  const clients: LiveClient[] = [];
  const firstMessages: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: opts.timeoutMs });
    const client = new LiveClient(socket, mode);
    clients.push(client);
    socket.on('connect', () => socket.emit('subscribe', [mode === 'heads:new' ? 'heads' : 'network', ...(opts.extraRooms ?? [])]));
    firstMessages.push(
      new Promise<void>((resolve, reject) => {
        socket.once(mode, () => resolve());
        socket.once('connect_error', (err) => reject(new Error(`client ${i} could not connect to ${url}: ${err.message}`)));
      }),
    );
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not every client received a ${mode} message within ${opts.timeoutMs / 1000} s`)), opts.timeoutMs);
  });
  try {
    await Promise.race([Promise.all(firstMessages), timeout]);
  } catch (err) {
    closeClients(clients);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return clients;
}

export function closeClients(clients: LiveClient[]): void {
  for (const c of clients) {
    c.socket.removeAllListeners();
    c.socket.disconnect();
  }
}
