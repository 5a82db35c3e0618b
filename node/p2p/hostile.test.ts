// Integration: hostile input on /p2p. Garbage, invalid JSON, glued envelopes, an oversized
// frame, a bad signature, a wrong genesis and a flood: the node keeps serving with /health ok,
// and each offender is scored down or banned, visible in /peers, metrics and logs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { generateKeyPair, nodeIdOf, type KeyPair } from '../chain/keys.ts';
import type { Node } from '../node.ts';
import { startInProcessNode } from '../testkit/in-process-node.ts';
import { connectRawPeer, helloEnvelope, type RawPeer } from '../testkit/raw-peer.ts';
import { NodeClient } from '../testkit/node-client.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { sealEnvelope } from './envelope.ts';
import type { HelloPayload } from './messages.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-it-'));
let node: Node;
let logFile: string;
let client: NodeClient;

const connect = (): RawPeer => connectRawPeer(node.url);
const hello = (key: KeyPair, over: Partial<HelloPayload> = {}): string => helloEnvelope(key, node.chain, over);

async function healthyAndProducing(): Promise<void> {
  const h0 = await client.health();
  assert.equal(h0.status, 'ok', JSON.stringify(h0.reasons));
  assert.equal(h0.p2p.listening, true);
  await waitFor(async () => (await client.health()).blockchain.height > h0.blockchain.height, { timeoutMs: 5000, what: 'still producing blocks' });
}

describe('hostile input on /p2p', { timeout: 60_000 }, () => {
  before(async () => {
    const dir = path.join(root, 'victim');
    ({ node, logFile } = await startInProcessNode(dir, {
      genesisFile: path.join(dir, 'genesis.json'),
      blockTimeMs: 200,
      maxPayloadBytes: 256 * 1024,
      handshakeTimeoutMs: 1500,
      maxInbound: 4,
      // Tight, so that even a slow (loaded) machine processes the flood faster than it refills.
      rateLimitPerSec: 200,
      rateLimitBurst: 400,
      logLevel: 'info',
    }));
    client = new NodeClient(node.url);
  });

  after(async () => {
    await node?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('garbage bytes, invalid JSON and glued envelopes score the sender down until it is banned', async () => {
    const p = connect();
    await p.opened;
    const key = generateKeyPair();
    const env = hello(key);
    p.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]), { binary: true });
    p.ws.send('{"type": "hello", oops');
    p.ws.send(env + env);
    p.ws.send('\u0000\u0001 not json at all');
    const { code, reason } = await p.closed;
    assert.equal(code, 4004);
    assert.match(reason, /banned: MALFORMED/);
    assert.equal(p.received[0]?.type, 'hello', 'the node still greeted it first');
    const peers = await client.peers();
    const banned = peers.find((x) => x.state === 'banned' && x.id === null);
    assert.ok(banned, `a banned pre-handshake peer in /peers: ${JSON.stringify(peers)}`);
    // Scores recover 0.2 points/s toward zero, so on a loaded machine the ban threshold (-100)
    // may be a few tenths behind by the time /peers answers.
    assert.ok(banned.score <= -95, `score ${banned.score}`);
    await waitFor(async () => (await client.metric('node_errors_total', 'kind="MALFORMED"')) >= 4, { timeoutMs: 5000, what: 'four MALFORMED frames counted' });
    await healthyAndProducing();
  });

  it('a frame over the size cap closes the link with 1009', async () => {
    const p = connect();
    await p.opened;
    p.ws.send('x'.repeat(300 * 1024));
    const { code } = await p.closed;
    assert.equal(code, 1009);
    await waitFor(async () => (await client.metric('node_errors_total', 'kind="OVERSIZE"')) >= 1, { timeoutMs: 5000, what: 'OVERSIZE counted' });
    await healthyAndProducing();
  });

  it('a hello with a bad signature is refused, counted, and the handshake times out', async () => {
    const p = connect();
    await p.opened;
    const env = JSON.parse(hello(generateKeyPair())) as { sig: string };
    env.sig = (env.sig[0] === '0' ? '1' : '0') + env.sig.slice(1);
    p.ws.send(JSON.stringify(env));
    const { code, reason } = await p.closed;
    assert.equal(code, 4000);
    assert.match(reason, /handshake timeout/);
    assert.ok((await client.metric('node_signature_failures_total', 'what="envelope"')) >= 1);
    await healthyAndProducing();
  });

  it('a wrong genesis is refused with a reason, and the peer is banned by id', async () => {
    const key = generateKeyPair();
    const p = connect();
    await p.opened;
    p.ws.send(hello(key, { genesisHash: 'cd'.repeat(32) }));
    const { code, reason } = await p.closed;
    assert.equal(code, 4001);
    assert.match(reason, /GENESIS_MISMATCH/);
    const reject = p.received.find((m) => m.type === 'reject');
    assert.ok(reject, 'a reject message told it why');
    assert.match(JSON.stringify(reject.payload), /GENESIS_MISMATCH/);
    const peers = await client.peers();
    assert.ok(
      peers.some((x) => x.id === nodeIdOf(key.publicKey) && x.state === 'banned'),
      JSON.stringify(peers),
    );
    // Coming back with the right genesis does not help while the ban lasts.
    const again = connect();
    await again.opened;
    again.ws.send(hello(key));
    assert.match((await again.closed).reason, /BANNED/);
    await healthyAndProducing();
  });

  it('a flood after a correct handshake gets the peer banned while the node keeps serving', async () => {
    const key = generateKeyPair();
    const p = connect();
    await p.opened;
    p.ws.send(hello(key));
    await waitFor(async () => (await client.peers()).some((x) => x.id === nodeIdOf(key.publicKey) && x.state === 'connected'), { timeoutMs: 5000, what: 'flooder connected' });
    const status = sealEnvelope('status', { head: { height: 0, hash: node.chain.genesisHash } }, key, Date.now());
    for (let i = 0; i < 8000 && p.ws.readyState === WebSocket.OPEN; i++) p.ws.send(status);
    const { code, reason } = await p.closed;
    assert.equal(code, 4004);
    assert.match(reason, /banned: FLOOD/);
    const peers = await client.peers();
    const entry = peers.find((x) => x.id === nodeIdOf(key.publicKey));
    assert.equal(entry?.state, 'banned');
    assert.ok((await client.metric('node_p2p_bans_total')) >= 3);
    await healthyAndProducing();
    const log = fs.readFileSync(logFile, 'utf8');
    assert.match(log, /"code":"FLOOD".*peer misbehaved/);
    assert.match(log, /peer banned/);
    assert.match(log, /"code":"GENESIS_MISMATCH"/);
  });

  it('inbound links over the limit are refused with 503 while the others stay', async () => {
    const held = [connect(), connect(), connect(), connect()];
    await Promise.all(held.map((p) => p.opened));
    const extra = new WebSocket(`${node.url.replace('http', 'ws')}/p2p`);
    const status = await new Promise<number>((resolve) => {
      extra.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      extra.on('open', () => resolve(101));
      extra.on('error', () => {});
    });
    assert.equal(status, 503);
    for (const p of held) p.ws.close();
    await Promise.all(held.map((p) => p.closed));
    const again = connect();
    await again.opened; // a slot is free again
    again.ws.close();
    await healthyAndProducing();
  });
});
