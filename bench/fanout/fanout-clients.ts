// The audience of the fanout benchmark: N clients in this process, each its own WebSocket,
// either Socket.IO clients joined to the rooms the explorer's overview page listens on, or
// (baseline) bare `ws` clients of the RawWsHub. Each one counts messages, checks the head
// sequence (gaps = lost heads, repeats = duplicates) and samples head latency (receipt −
// the head's `at`, same machine clock).
import fs from 'node:fs';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { ClientToServerEvents, HeadChange, LiveRoom, ServerToClientEvents } from '../../wire/live-events.ts';

export const OVERVIEW_ROOMS: LiveRoom[] = ['heads', 'network', 'blocks', 'events'];
const COUNTED_EVENTS = ['heads:new', 'nodes:update', 'blocks:new', 'events:new'] as const;
export type FanoutTransport = 'socket.io' | 'raw-ws';

export class FanoutClient {
  messages = 0;
  headsReceived = 0;
  lastSeq = 0;
  missedHeads = 0;
  repeatedHeads = 0;
  disconnected = false;
  /** One latency sample per heads message (its oldest head, the one that waited longest). */
  latencies: number[] = [];
  recordLatency = false;
  close: () => void = () => undefined;

  receiveHeads(heads: HeadChange[]): void {
    if (this.recordLatency && heads.length) this.latencies.push(performance.timeOrigin + performance.now() - heads[0].at);
    for (const h of heads) {
      if (h.seq <= this.lastSeq) this.repeatedHeads++;
      else {
        // The first message after joining starts the count; later jumps are losses.
        if (this.lastSeq !== 0) this.missedHeads += h.seq - this.lastSeq - 1;
        this.lastSeq = h.seq;
        this.headsReceived++;
      }
    }
  }
}

/** The soft limit on open files, or null when it cannot be read (not Linux). */
export function openFileLimit(): number | null {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : null;
  } catch {
    return null;
  }
}

/** One client; resolves its `ready` on its first heads message. */
function openClient(url: string, transport: FanoutTransport, timeoutMs: number): { client: FanoutClient; ready: Promise<void> } {
  const client = new FanoutClient();
  let ready: Promise<void>;
  if (transport === 'socket.io') {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs });
    for (const e of COUNTED_EVENTS) socket.on(e, () => client.messages++);
    socket.on('heads:new', (heads) => client.receiveHeads(heads));
    socket.on('disconnect', () => (client.disconnected = true));
    socket.on('connect', () => socket.emit('subscribe', OVERVIEW_ROOMS));
    client.close = () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
    ready = new Promise<void>((resolve, reject) => {
      socket.once('heads:new', () => resolve());
      socket.once('connect_error', (err) => reject(new Error(`could not connect to ${url}: ${err.message}`)));
    });
  } else {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/raw`, { handshakeTimeout: timeoutMs });
    let first: (() => void) | null = null;
    ready = new Promise<void>((resolve, reject) => {
      first = resolve;
      ws.once('error', (err) => reject(new Error(`could not connect to ${url}/raw: ${err.message}`)));
    });
    ws.on('message', (data) => {
      // Parsed like the Socket.IO client parses its packets, so both sides do the same work.
      const [event, payload] = JSON.parse(data.toString()) as [string, unknown];
      client.messages++;
      if (event === 'heads:new') {
        client.receiveHeads(payload as HeadChange[]);
        first?.();
        first = null;
      }
    });
    ws.on('close', () => (client.disconnected = true));
    client.close = () => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
    };
  }
  return { client, ready };
}

/**
 * Connects `count` clients in waves (a thousand simultaneous handshakes would time out on a
 * busy machine) and resolves once each has received its first heads.
 */
export async function connectFanoutClients(url: string, count: number, transport: FanoutTransport, opts: { wave: number; timeoutMs: number }): Promise<FanoutClient[]> {
  const clients: FanoutClient[] = [];
  const deadline = Date.now() + opts.timeoutMs;
  try {
    for (let start = 0; start < count; start += opts.wave) {
      const wave: Promise<void>[] = [];
      for (let i = start; i < Math.min(count, start + opts.wave); i++) {
        const { client, ready } = openClient(url, transport, opts.timeoutMs);
        clients.push(client);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`client ${i} got no heads within ${opts.timeoutMs / 1000} s of the first connection`)), Math.max(0, deadline - Date.now()));
        });
        wave.push(Promise.race([ready, late]).finally(() => clearTimeout(timer)));
      }
      await Promise.all(wave);
    }
  } catch (err) {
    closeFanoutClients(clients);
    throw err;
  }
  return clients;
}

export function closeFanoutClients(clients: FanoutClient[]): void {
  for (const c of clients) c.close();
}
