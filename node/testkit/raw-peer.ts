// Test helper: a raw WebSocket peer on a node's /p2p that speaks only what a test makes it
// send (hostile-input tests): no honest P2P stack behind it, so it can send anything.
import WebSocket from 'ws';
import { nodeIdOf, type KeyPair } from '../chain/keys.ts';
import { sealEnvelope } from '../p2p/envelope.ts';
import type { HelloPayload } from '../p2p/messages.ts';

export interface RawPeer {
  ws: WebSocket;
  received: Array<{ type: string; payload: unknown }>;
  closed: Promise<{ code: number; reason: string }>;
  opened: Promise<void>;
  /** The HTTP status of the upgrade: 101 when it opened, else the refusal's (403, 429, 503). */
  status: Promise<number>;
}

/**
 * Opens a raw link to `nodeUrl`'s /p2p (http(s) URL of the node). `localAddress` picks the
 * source address: any 127.x.y.z is loopback on Linux, so each test can be its own "host"
 * (the node bans misbehaving unidentified peers by address).
 */
export function connectRawPeer(nodeUrl: string, opts: { localAddress?: string } = {}): RawPeer {
  const ws = new WebSocket(`${nodeUrl.replace('http', 'ws')}/p2p`, { localAddress: opts.localAddress });
  const received: RawPeer['received'] = [];
  ws.on('message', (d) => received.push(JSON.parse(String(d))));
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve) => ws.on('open', () => resolve()));
  const status = new Promise<number>((resolve) => {
    ws.on('open', () => resolve(101));
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('close', () => resolve(0));
  });
  return { ws, received, closed, opened, status };
}

/** A signed hello of a non-validator called 'mallory' at genesis, for the chain given. */
export function helloEnvelope(key: KeyPair, chain: { chainId: string; genesisHash: string }, over: Partial<HelloPayload> = {}): string {
  const payload: HelloPayload = {
    chainId: chain.chainId,
    genesisHash: chain.genesisHash,
    nodeId: nodeIdOf(key.publicKey),
    name: 'mallory',
    head: { height: 0, hash: chain.genesisHash },
    validator: false,
    listenUrl: null,
    ...over,
  };
  return sealEnvelope('hello', payload, key, Date.now());
}
