// The subscriber against a fake node on loopback (no database): a stream event type this
// build does not know (a newer node's) is skipped, not treated as a broken stream, and the
// events around it are indexed as usual. Health answers without the BFT-era fields (an older
// node) are read too.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { WebSocketServer } from 'ws';
import type { Block, Health } from '../../wire/node-api.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { BlockGraph } from './block-graph.ts';
import type { IndexWriter } from './index-writer.ts';
import { NodeSubscriber, type SubscriberStore } from './node-subscriber.ts';

const key = 'cd'.repeat(32);
const genesis: Block = {
  hash: 'ab'.repeat(32),
  header: { chainId: 'fake', height: 0, parentHash: '00'.repeat(32), timestamp: 0, slot: 0, proposer: key, txRoot: 'ef'.repeat(32) },
  txs: [],
  signature: '01'.repeat(64),
};
const head = { height: 0, hash: genesis.hash };
const node = { id: key.slice(0, 16), name: 'fake', publicKey: key, pid: 1, validator: true };
// As a node from before BFT answers: no finalized_* and no consensus.
const oldHealth: Health = {
  status: 'ok',
  reasons: [],
  node,
  chainId: 'fake',
  genesisHash: genesis.hash,
  uptimeSec: 1,
  blockchain: { height: 0, latest_block_hash: genesis.hash, latest_block_time: 0 },
  peers: { connected: 0, inbound: 0, outbound: 0 },
  p2p: { listening: true, error: null },
  sync: { state: 'idle', targetHeight: null },
  clockOffsetMs: 0,
  paused: false,
  blockTimeMs: 1000,
};
const chaos = { rules: [], paused: false, clockOffsetMs: 0 };
const events = [
  { type: 'hello', seq: 10, at: 1, epoch: 'e1', node, head, genesisHash: genesis.hash, blockTimeMs: 1000, peers: [], chaos },
  { type: 'from-the-future', seq: 11, at: 2, whatever: { nested: true } },
  { type: 'peer', seq: 12, at: 3, event: 'connected', peer: { id: null, name: null, address: 'x', direction: 'inbound' }, reason: null, score: null },
  { type: 'round', seq: 13, at: 4, height: 1, round: 0, step: 'propose', reason: 'new_height', proposer: key },
];

let server: http.Server;
let url: string;
let streamConnections = 0;

describe('NodeSubscriber and stream events it does not know', () => {
  before(async () => {
    server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      res.setHeader('content-type', 'application/json');
      if (path === '/health') res.end(JSON.stringify(oldHealth));
      else if (path === '/blocks') res.end(JSON.stringify({ blocks: [genesis], head }));
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, h) =>
      wss.handleUpgrade(req, socket, h, (ws) => {
        streamConnections++;
        // The unknown event first; the rest a moment later, on this connection only if the
        // subscriber kept it open (a subscriber that drops the link on it never sees them).
        for (const e of events.slice(0, 2)) ws.send(JSON.stringify(e));
        setTimeout(() => {
          if (ws.readyState === ws.OPEN) for (const e of events.slice(2)) ws.send(JSON.stringify(e));
        }, 50);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('skips the unknown type without reconnecting, indexes the rest, and moves its cursor past it', async () => {
    const cursors: number[] = [];
    const peerEvents: number[] = [];
    const writer = {
      addBlocks: () => {},
      addCanonical: () => {},
      addHead: () => {},
      addHealth: () => {},
      addPeerEvent: (r: { event: { seq: number } }) => void peerEvents.push(r.event.seq),
      addRound: () => {},
      addEvidence: () => {},
      setCursor: (_id: string, _epoch: string, seq: number) => void cursors.push(seq),
      capacity: () => Promise.resolve(),
    } as unknown as IndexWriter;
    const store: SubscriberStore = {
      upsertNode: async () => {},
      cursor: async () => null,
      canonicalRange: async () => new Map(),
      canonicalTop: async () => new Map(),
      blockLink: async () => undefined,
    };
    const sub = new NodeSubscriber(url, 'attached', { store, writer, graph: new BlockGraph(), logger: pino({ level: 'silent' }) });
    const seen: string[] = [];
    sub.on('stream', (e) => seen.push(e.type));
    sub.start();
    try {
      await waitFor(() => cursors.includes(13), { timeoutMs: 5000, what: 'the round event indexed' });
      await sub.idle();
      assert.equal(sub.state, 'live');
      assert.equal(sub.lastHealth?.consensus, undefined, 'an old node’s health is read');
      assert.deepEqual(seen, ['hello', 'peer', 'round']);
      assert.deepEqual(peerEvents, [12]);
      assert.equal(streamConnections, 1, 'no reconnect');
    } finally {
      sub.stop();
    }
  });
});
