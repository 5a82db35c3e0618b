// A stand-in node daemon serving the generated chain over the node's public API, enough for
// the server's NodeSubscriber: GET /health, GET /blocks?from=&limit=, GET /blocks/:height and
// the /stream WebSocket (a hello event with the head, then silence). Pages aligned on the
// chain file's pages are served straight from the file's bytes, so serving costs little.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { WebSocketServer } from 'ws';
import type { Health, StreamEventOf } from '../../wire/node-api.ts';
import { nodeIdOf } from '../../node/chain/keys.ts';
import type { ChainFile } from './chain-file.ts';

export interface FakeNode {
  url: string;
  nodeId: string;
  publicKey: string;
  /** Bytes of /blocks responses served. */
  bytesServed(): number;
  stop(): Promise<void>;
}

export async function startFakeNode(chain: ChainFile): Promise<FakeNode> {
  const { meta, net } = chain;
  const key = net.validators[0];
  const identity = { id: nodeIdOf(key.publicKey), name: 'bench-node', publicKey: key.publicKey, pid: process.pid, validator: true };
  const startedAt = Date.now();
  const epoch = crypto.randomBytes(8).toString('hex');
  const headJson = JSON.stringify(meta.head);
  let served = 0;

  const health = (): Health => ({
    status: 'ok',
    reasons: [],
    node: identity,
    chainId: net.genesis.chainId,
    genesisHash: meta.genesisHash,
    uptimeSec: Math.round((Date.now() - startedAt) / 1000),
    blockchain: { height: meta.head.height, latest_block_hash: meta.head.hash, latest_block_time: meta.headTimestamp },
    peers: { connected: 0, inbound: 0, outbound: 0 },
    p2p: { listening: true, error: null },
    sync: { state: 'idle', targetHeight: null },
    clockOffsetMs: 0,
    paused: false,
    blockTimeMs: net.genesis.blockTimeMs,
  });

  const send = (res: http.ServerResponse, status: number, body: string | Buffer) => {
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void (async () => {
      if (url.pathname === '/health') return send(res, 200, JSON.stringify(health()));
      if (url.pathname === '/blocks') {
        const from = Math.max(0, Number(url.searchParams.get('from') ?? 0) || 0);
        const limit = Math.min(500, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
        let blocksJson: Buffer | string;
        if (from % meta.pageSize === 0 && limit === meta.pageSize && from <= meta.head.height) blocksJson = await chain.pageText(from / meta.pageSize);
        else blocksJson = JSON.stringify(from > meta.head.height ? [] : await chain.range(from, limit));
        const body = Buffer.concat([Buffer.from('{"blocks":'), Buffer.isBuffer(blocksJson) ? blocksJson : Buffer.from(blocksJson), Buffer.from(`,"head":${headJson}}`)]);
        served += body.length;
        return send(res, 200, body);
      }
      const m = /^\/blocks\/(\d+)$/.exec(url.pathname);
      if (m && Number(m[1]) <= meta.head.height) {
        const [block] = await chain.range(Number(m[1]), 1);
        return send(res, 200, JSON.stringify(block));
      }
      send(res, 404, JSON.stringify({ error: { code: 'NOT_FOUND', message: `no route ${url.pathname}` } }));
    })().catch((err: Error) => send(res, 500, JSON.stringify({ error: { code: 'INTERNAL', message: err.message } })));
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/stream')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const hello: StreamEventOf<'hello'> = {
        type: 'hello',
        seq: 0,
        at: Date.now(),
        epoch,
        node: identity,
        head: meta.head,
        genesisHash: meta.genesisHash,
        blockTimeMs: net.genesis.blockTimeMs,
        peers: [],
        chaos: { rules: [], paused: false, clockOffsetMs: 0 },
      };
      ws.send(JSON.stringify(hello));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nodeId: identity.id,
    publicKey: identity.publicKey,
    bytesServed: () => served,
    async stop() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
