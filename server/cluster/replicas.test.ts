// Integration: two control-plane replicas (real processes) on one Postgres, attached to a real
// 4-node testnet. The first leads, the second follows and serves the API and Socket.IO; chaos
// posted to either is applied and recorded once; kill -9 of the leader mid-ingest hands
// leadership to the other within 5 s, and the index then equals every node's chain.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import { adminTokenFile } from '../../node/admin-token.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { NodeApiClient } from '../../lib/http/node-client.ts';
import { freePort, freePorts } from '../../lib/free-port.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { blocksMissingParent, indexMatchesNodes } from '../testing/index-checks.ts';
import { tempDirs } from '../testing/temp-dirs.ts';
import { startReplicaProcess, type ReplicaProcess } from '../testing/replica-process.ts';
import type { ClientToServerEvents, HeadChange, ServerToClientEvents } from '../../wire/live-events.ts';
import type { ChaosActionResponse } from '../../wire/chaos-api.ts';
import { SERVED_BY_HEADER } from './leader-forwarding.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const CONTROL_TOKEN = 'replica-test-control-token-0123';
const NODE_ADMIN_TOKEN = 'replica-test-node-admin-token';
const heightOf = async (url: string) => (await new NodeApiClient(url).health()).blockchain.height;

describe('control-plane replicas on one database', { timeout: 600_000 }, () => {
  const temp = tempDirs();
  const tempDir = (prefix: string) => temp.make(prefix);
  let db: TestDatabase;
  let testnet: LocalTestnet;
  const replicas: ReplicaProcess[] = [];
  const sockets: Socket[] = [];

  before(async () => {
    db = await withTestDatabase();
    const nodesDir = tempDir('replicas-nodes-');
    // One admin token on every node, so attached replicas can apply chaos (NODE_ADMIN_TOKEN).
    for (let i = 1; i <= 4; i++) {
      fs.mkdirSync(path.join(nodesDir, `node-${i}`), { recursive: true });
      fs.writeFileSync(adminTokenFile(path.join(nodesDir, `node-${i}`)), NODE_ADMIN_TOKEN + '\n', { mode: 0o600 });
    }
    testnet = new LocalTestnet({ nodes: 4, basePort: await freePorts(8), blockTimeMs: 500, dataDir: nodesDir, txRate: 3 }, { logger });
    await testnet.start();
  });
  after(async () => {
    for (const s of sockets) s.close();
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await testnet?.stop();
    await db?.stop();
    temp.removeAll();
  });

  const replicaEnv = () => ({
    DATABASE_URL: db.url,
    ATTACH: testnet
      .nodes()
      .map((n) => n.url)
      .join(','),
    NODE_ADMIN_TOKEN,
    CONTROL_TOKEN,
  });
  const postChaos = (r: ReplicaProcess, body: unknown) =>
    fetch(`${r.url}/api/chaos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CONTROL_TOKEN}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  const headsOn = (r: ReplicaProcess) => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(r.url, { transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const heads: HeadChange[] = [];
    socket.on('connect', () => socket.emit('subscribe', ['heads']));
    socket.on('heads:new', (batch) => heads.push(...batch));
    return heads;
  };

  it('one leads, the other follows, serves reads and live heads, and forwards chaos to the leader', async () => {
    const a = await startReplicaProcess({ port: await freePort(), dataDir: tempDir('replica-a-'), env: replicaEnv() });
    replicas.push(a);
    const aHealth = await waitFor(async () => ((await a.health()).replica?.role === 'leader' ? a.health() : null), { timeoutMs: 30_000, what: 'replica a leading' });
    const b = await startReplicaProcess({ port: await freePort(), dataDir: tempDir('replica-b-'), env: replicaEnv() });
    replicas.push(b);
    const bHealth = await waitFor(
      async () => {
        const h = await b.health();
        return h.replica?.leader?.id === aHealth.replica!.id ? h : null;
      },
      { timeoutMs: 30_000, what: 'replica b knowing a leads' },
    );
    assert.equal(bHealth.replica!.role, 'follower');
    // The follower runs no monitor; its health shows the leader's verdict on the network.
    await waitFor(async () => (await b.health()).network.status === 'agreed', { timeoutMs: 30_000, what: "the leader's network verdict on the follower" });
    assert.notEqual(bHealth.replica!.id, aHealth.replica!.id);

    // Live heads reach a browser connected to the follower (pushed on the leader, relayed by Postgres).
    const heads = headsOn(b);
    await waitFor(() => heads.length >= 8, { timeoutMs: 60_000, what: 'head events on the follower' });
    // Reads that Postgres answers are served by the follower itself.
    const blocks = await fetch(`${b.url}/api/blocks?limit=5`);
    assert.equal(blocks.status, 200);
    assert.equal(blocks.headers.get(SERVED_BY_HEADER), bHealth.replica!.id);

    // Chaos posted to the follower: the leader applies and records it, once.
    const nodes = testnet.nodes();
    const indexed = await db.prisma.node.findMany({ select: { id: true, url: true } });
    const idOf = (url: string) => indexed.find((n) => n.url === url)?.id;
    await waitFor(() => nodes.every((n) => idOf(n.url)), { timeoutMs: 30_000, what: 'every node indexed' });
    const res = await postChaos(b, { kind: 'latency', target: { node: idOf(nodes[3]!.url) }, delayMs: 20, durationSec: 2 });
    const body = (await res.json()) as ChaosActionResponse;
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(res.headers.get(SERVED_BY_HEADER), aHealth.replica!.id, 'answered by the leader');
    assert.equal(body.action.status, 'applied');
    assert.equal(await db.prisma.chaosAction.count({ where: { id: body.action.id } }), 1);
    assert.equal(await db.prisma.chaosAction.count(), 1, 'recorded once');
    // And posted to the leader directly: one more record, not two.
    const direct = await postChaos(a, { kind: 'latency', target: { node: idOf(nodes[2]!.url) }, delayMs: 20, durationSec: 2 });
    assert.equal(direct.status, 201);
    assert.equal(await db.prisma.chaosAction.count(), 2);
    // Fault expiry runs on the leader only: each expires once.
    await waitFor(async () => (await db.prisma.chaosAction.count({ where: { revertedAt: { not: null } } })) === 2, { timeoutMs: 30_000, what: 'both faults expired' });
  });

  it('kill -9 of the leader mid-ingest: the follower leads within 5 s and the index equals every node chain', async () => {
    const [a, b] = replicas;
    assert.ok(a && b);
    const heads = headsOn(b);
    let resyncs = 0;
    sockets.at(-1)!.on('live:resync', () => resyncs++);
    const urls = testnet.nodes().map((n) => n.url);
    const before = await heightOf(urls[0]!);
    await waitFor(async () => (await heightOf(urls[0]!)) >= before + 2, { timeoutMs: 30_000, what: 'the chain growing (mid-ingest)' });

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    const took = await waitFor(async () => ((await b.health()).replica?.role === 'leader' ? Date.now() - killedAt : null), {
      timeoutMs: 30_000,
      intervalMs: 50,
      what: 'replica b leading after the kill',
    });
    console.log(`leader killed with SIGKILL: the follower led (health says so) after ${took} ms`);
    assert.ok(took < 5_000, `takeover took ${took} ms`);
    const health = await b.health();
    assert.equal(health.replica!.leader!.id, health.replica!.id);
    // Pushes the dead leader owed are gone: the new leader tells every browser to refetch.
    await waitFor(() => resyncs === 1, { timeoutMs: 30_000, what: 'one live:resync on the surviving client' });

    // The new leader indexes on: every node's chain up to a height reached after the takeover.
    const target = (await heightOf(urls[0]!)) + 3;
    await waitFor(async () => (await heightOf(urls[0]!)) >= target, { timeoutMs: 60_000, what: `the chain at ${target}` });
    const nodes = await db.prisma.node.findMany({ select: { id: true, url: true } });
    assert.equal(nodes.length, 4);
    await waitFor(async () => (await indexMatchesNodes(db.prisma, nodes, target)) === true, { timeoutMs: 90_000, what: `every node's chain up to ${target} indexed` });
    assert.equal(await blocksMissingParent(db.prisma), 0, 'no gap');
    const duplicates = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (SELECT node_id, height FROM canonical_blocks GROUP BY node_id, height HAVING count(*) > 1) d`;
    assert.equal(Number(duplicates[0]!.n), 0, 'no duplicate');
    // The browser on the surviving replica kept receiving heads, now pushed by it.
    const seen = heads.length;
    await waitFor(() => heads.length > seen + 4, { timeoutMs: 60_000, what: 'heads after the takeover' });

    // Chaos after the takeover is applied by the new leader, once.
    const count = await db.prisma.chaosAction.count();
    const res = await postChaos(b, { kind: 'latency', target: { node: nodes[0]!.id }, delayMs: 20, durationSec: 1 });
    assert.equal(res.status, 201);
    assert.equal(await db.prisma.chaosAction.count(), count + 1);
  });
});
