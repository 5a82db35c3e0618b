// The server side of the fanout benchmark, run as its own process (with --expose-gc): an
// HTTP server on loopback carrying the product's LiveHub (the real class, its real throttle),
// or for the baseline the RawWsHub (same throttles, bare WebSockets), fed by the
// SyntheticNetwork. It reports to the bench over IPC: its port once listening, then
// once a second its memory after a full GC and how many heads it pushed. It stops on 'stop'.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { LiveHub } from '../../server/live/live-hub.ts';
import { RawWsHub } from './raw-ws-hub.ts';
import { SyntheticNetwork } from './synthetic-network.ts';

export type HubServerMessage =
  | { type: 'ready'; port: number }
  | { type: 'memory'; at: number; heapUsedMB: number; rssMB: number; gc: boolean; headsPushed: number; clients: number }
  | { type: 'stopped'; headsPushed: number; lastSeq: number };
export type HubServerCommand = { type: 'drive' } | { type: 'stop-driving' } | { type: 'stop' };

const config = JSON.parse(process.env.FANOUT_CONFIG ?? '{}') as { nodes: number; blockTimeMs: number; seed: string; tickMs: number; transport: 'socket.io' | 'raw-ws' };
const send = (m: HubServerMessage) => process.send!(m);
const gc = (globalThis as { gc?: () => void }).gc;

const server = http.createServer((_req, res) => res.writeHead(404).end());
const hub = config.transport === 'raw-ws' ? new RawWsHub(server, config.tickMs) : new LiveHub(server, { tickMs: config.tickMs, logger: pino({ level: 'warn' }) });
if (hub instanceof LiveHub) hub.start();
const network = new SyntheticNetwork(hub, { nodes: config.nodes, blockTimeMs: config.blockTimeMs, seed: config.seed });
const clientCount = () => (hub instanceof LiveHub ? hub.io.engine.clientsCount : hub.wss.clients.size);

const memoryTimer = setInterval(() => {
  gc?.();
  const m = process.memoryUsage();
  send({ type: 'memory', at: Date.now(), heapUsedMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20, gc: Boolean(gc), headsPushed: network.headsPushed, clients: clientCount() });
}, 1_000);

process.on('message', (cmd: HubServerCommand) => {
  if (cmd.type === 'drive') network.start();
  else if (cmd.type === 'stop-driving') {
    network.stop();
    send({ type: 'stopped', headsPushed: network.headsPushed, lastSeq: network.headsPushed });
  } else if (cmd.type === 'stop') {
    network.stop();
    clearInterval(memoryTimer);
    hub.stop();
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
// The bench went away without saying stop: do not linger.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
