// The health-only poller against a tiny real HTTP server that answers another JSON shape
// ({result: {h, hash}}): heads at the custom paths become head events of the derived id, a
// repeated head is not a new event, a wrong shape or a dead server makes the node 'down' with
// the reason, and it is read again once it answers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { HealthPoller } from './health-poller.ts';
import { parseAttachEntry, type HealthOnlyTarget } from './health-target.ts';
import type { HeadChange } from './index-batch.ts';
import type { NodeRecord } from './node-subscriber.ts';

describe('HealthPoller', { timeout: 120_000 }, () => {
  let answer: unknown = { result: { h: 5, hash: 'ab05' } };
  let server: Server;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        if (req.url !== '/status') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));

  const nodes: NodeRecord[] = [];
  const heads: HeadChange[] = [];
  let poller: HealthPoller;
  let target: HealthOnlyTarget;

  before(async () => {
    await listen();
    const parsed = parseAttachEntry(`health+http://127.0.0.1:${port}/status#height=result.h&hash=result.hash&name=seed-1`);
    assert.ok(parsed.ok && parsed.value.kind === 'health-only');
    target = parsed.value.target;
    poller = new HealthPoller(
      target,
      { intervalMs: 100, timeoutMs: 1_000 },
      {
        store: { upsertNode: async (n) => void nodes.push(n) },
        writer: { addHead: (h) => void heads.push(h) },
        logger: pino({ level: 'silent' }),
      },
    );
    poller.start();
  });
  after(async () => {
    poller.stop();
    await poller.idle();
    server.closeAllConnections();
    await close().catch(() => undefined);
  });

  it('reads the head at the custom paths into a head event of the id derived from the URL', async () => {
    await waitFor(() => heads.length === 1 && poller.state === 'live', { timeoutMs: 30_000, what: 'the first head' });
    assert.deepEqual(nodes, [{ id: target.id, name: 'seed-1', url: target.url, source: 'attached', publicKey: '', validator: false }]);
    assert.deepEqual([heads[0].nodeId, heads[0].height, heads[0].hash, heads[0].seq, heads[0].reorg], [target.id, 5, 'ab05', 1, null]);
    assert.match(heads[0].epoch, /^health:\d+$/);
    assert.deepEqual(poller.head, { height: 5, hash: 'ab05' });
  });

  it('writes a head event only when the head changes', async () => {
    const reads = poller.lastReadAt!;
    await waitFor(() => poller.lastReadAt! > reads + 250, { timeoutMs: 30_000, what: 'more reads of the same head' });
    assert.equal(heads.length, 1);
    answer = { result: { h: '6', hash: 'ab06' } };
    await waitFor(() => heads.length === 2, { timeoutMs: 30_000, what: 'the second head' });
    assert.deepEqual([heads[1].height, heads[1].hash, heads[1].seq, heads[1].epoch], [6, 'ab06', 2, heads[0].epoch]);
  });

  it('an answer without the paths makes it down, saying which path is missing', async () => {
    answer = { blockchain: { height: 7, latest_block_hash: 'ab07' } };
    await waitFor(() => poller.state === 'down', { timeoutMs: 30_000, what: 'down on a wrong shape' });
    assert.equal(poller.lastError, `GET ${target.healthUrl}: no value at .result.h`);
    answer = { result: { h: 7, hash: 'ab07' } };
    await waitFor(() => poller.state === 'live' && poller.head?.height === 7, { timeoutMs: 30_000, what: 'live again' });
    assert.equal(poller.lastError, null);
  });

  it('a server that stopped makes it down; it is read again once it listens again', async () => {
    server.closeAllConnections();
    await close();
    await waitFor(() => poller.state === 'down', { timeoutMs: 30_000, what: 'down with the server gone' });
    assert.match(poller.lastError ?? '', new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/status: `));
    answer = { result: { h: 8, hash: 'ab08' } };
    await listen();
    await waitFor(() => poller.state === 'live' && poller.head?.height === 8, { timeoutMs: 30_000, what: 'live after the server came back' });
    assert.equal(heads.at(-1)!.hash, 'ab08');
  });
});
