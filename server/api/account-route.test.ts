// Integration: the account API through the real router, on a real (embedded) Postgres holding
// an indexed chain with a fork, and real nodes for the balances: two in-process nodes on
// chains of their own (so they really disagree about an address), an HTTP server that has no
// account endpoint (an older attached node) and a port nobody listens on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { nodeListener } from '../../lib/http/router.ts';
import { freePort } from '../../lib/free-port.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import { testChain } from '../../node/testkit/chain-builder.ts';
import { startInProcessNode } from '../../node/testkit/in-process-node.ts';
import type { Node } from '../../node/node.ts';
import { AccountResponseSchema, AccountTxsResponseSchema, SearchResponseSchema, type AccountTx } from '../../wire/explorer-api.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { emptyBatch } from '../indexer/index-batch.ts';
import { PrismaIndexStore } from '../indexer/prisma-index-store.ts';
import { AccountQueries, compareReadings } from '../read/account-queries.ts';
import type { FollowedNode } from '../read/consensus-queries.ts';
import { ExplorerQueries } from '../read/explorer-queries.ts';

const chain = testChain({ accounts: 3 });
const [alice, bob, carol] = chain.accounts;
const genesis = genesisBlock(chain.genesis);
// Main: b1 alice→bob, b2 bob→alice + alice→carol, b3 alice→alice, b4..b6 one alice→bob each.
const b1 = chain.block(genesis, { txs: [chain.transfer(alice, bob, 10, 0)] });
const b2 = chain.block(b1, { txs: [chain.transfer(bob, alice, 3, 0), chain.transfer(alice, carol, 5, 1)] });
const b3 = chain.block(b2, { txs: [chain.transfer(alice, alice, 1, 2)] });
const b4 = chain.block(b3, { txs: [chain.transfer(alice, bob, 1, 3)] });
const b5 = chain.block(b4, { txs: [chain.transfer(alice, bob, 1, 4)] });
const b6 = chain.block(b5, { txs: [chain.transfer(alice, bob, 1, 5)] });
// A fork block at height 2 (a later slot) that also carried bob→alice: no node holds it.
const f2 = chain.block(b1, { slot: b1.header.slot + 2, txs: [chain.transfer(bob, alice, 3, 0)] });
const main = [genesis, b1, b2, b3, b4, b5, b6];

describe('account API: balances per node, transactions in and out, address search', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let server: http.Server;
  let base: string;
  let oldNode: http.Server;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'account-it-'));
  const nodes: Node[] = [];
  let followed: FollowedNode[] = [];

  before(async () => {
    db = await withTestDatabase();
    const store = new PrismaIndexStore(db.prisma);
    await store.upsertNode({ id: 'id-1', name: 'node-1', url: 'http://127.0.0.1:1/', source: 'attached', publicKey: chain.validators[0].publicKey, validator: true });
    await store.writeBatch({
      ...emptyBatch(),
      blocks: [...main, f2].map((block) => ({ block, seenBy: 'id-1', seenAt: block.header.timestamp })),
      canonical: [{ nodeId: 'id-1', fromHeight: 0, hashes: main.map((b) => b.hash) }],
    });
    // Two real nodes, each on a chain of its own (own genesis, own key funded): each holds a
    // balance for its own key that the other does not.
    for (const name of ['n1', 'n2']) {
      const dir = path.join(root, name);
      const { node } = await startInProcessNode(dir, { genesisFile: path.join(dir, 'genesis.json'), blockTimeMs: 200, logLevel: 'warn' });
      nodes.push(node);
    }
    oldNode = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NOT_FOUND","message":"no such route"}}'));
    await new Promise<void>((resolve) => oldNode.listen(0, '127.0.0.1', resolve));
    const deadPort = await freePort();
    const asFollowed = (node: Node, name: string): FollowedNode => ({
      nodeId: node.key.publicKey.slice(0, 16),
      name,
      url: node.url,
      publicKey: node.key.publicKey,
      validator: true,
    });
    followed = [
      asFollowed(nodes[0], 'node-1'),
      asFollowed(nodes[1], 'node-2'),
      { nodeId: 'old', name: 'node-3', url: `http://127.0.0.1:${(oldNode.address() as AddressInfo).port}`, publicKey: 'ee'.repeat(32), validator: false },
      { nodeId: 'dead', name: 'node-4', url: `http://127.0.0.1:${deadPort}`, publicKey: 'ff'.repeat(32), validator: false },
    ];
    const deps = {
      queries: new ExplorerQueries(db.prisma),
      accounts: new AccountQueries(db.prisma, { nodes: () => followed, timeoutMs: 2_000 }),
      controlToken: 'account-test-token',
      version: 'test',
      startedAt: Date.now(),
      logger: pino({ level: 'silent' }),
    } as unknown as ApiDeps;
    server = http.createServer(nodeListener(createServerRouter(deps)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (oldNode ? oldNode.close(() => resolve()) : resolve()));
    for (const n of nodes) await n.stop();
    await db?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const get = async (p: string) => {
    const res = await fetch(base + p);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it("each node's balance and nonce at its own head: nodes on different chains differ, and the rest say why they cannot tell", async () => {
    const me = nodes[0].key.publicKey;
    const { status, body } = await get(`/api/accounts/${me.toUpperCase()}`);
    assert.equal(status, 200);
    const a = AccountResponseSchema.parse(body).account;
    assert.equal(a.address, me);
    assert.deepEqual(
      a.nodes.map((n) => [n.name, n.status]),
      [
        ['node-1', 'reported'],
        ['node-2', 'reported'],
        ['node-3', 'not-reported'],
        ['node-4', 'unreachable'],
      ],
    );
    const [n1, n2] = a.nodes;
    assert.ok(n1.balance! > 0, 'its own chain funds its key');
    assert.equal(n2.balance, 0, 'the other chain never heard of it');
    assert.ok(n1.head!.height >= 0 && n2.head !== null);
    assert.equal(a.agreement, 'differ');
    assert.match(a.nodes[2].error!, /does not report accounts/);
    assert.ok(a.nodes[3].error);
  });

  it('an address with no activity is a 200 with zeros; a malformed one is a 400 BAD_ADDRESS', async () => {
    const quiet = AccountResponseSchema.parse((await get(`/api/accounts/${'12'.repeat(32)}`)).body).account;
    assert.deepEqual(quiet.activity, { sent: 0, received: 0, countCap: 10_000, lastHeight: null });
    assert.deepEqual(quiet.nodeNames, []);
    for (const bad of ['abc', 'g'.repeat(64), 'ab'.repeat(33)]) {
      for (const p of [`/api/accounts/${bad}`, `/api/accounts/${bad}/txs`]) {
        const { status, body } = await get(p);
        assert.equal(status, 400, p);
        assert.equal((body as { error: { code: string } }).error.code, 'BAD_ADDRESS', p);
      }
    }
  });

  it("the index's activity counts every inclusion, the node's own key is named", async () => {
    const a = AccountResponseSchema.parse((await get(`/api/accounts/${alice.publicKey}`)).body).account;
    // Sent: b1, b2, b3 (self), b4–b6; received: b2 and f2 (bob→alice), b3 (self).
    assert.deepEqual(a.activity, { sent: 6, received: 3, countCap: 10_000, lastHeight: 6 });
    const v = AccountResponseSchema.parse((await get(`/api/accounts/${chain.validators[0].publicKey}`)).body).account;
    assert.deepEqual(v.nodeNames, ['node-1']);
  });

  it('transactions newest first, each direction named, the orphaned inclusion marked, paged by cursor without gaps or repeats', async () => {
    const pages: AccountTx[][] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=3&cursor=${cursor}` : '?limit=3';
      const { status, body } = await get(`/api/accounts/${alice.publicKey}/txs${q}`);
      assert.equal(status, 200);
      const page = AccountTxsResponseSchema.parse(body);
      pages.push(page.txs);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 10);
    assert.deepEqual(
      pages.map((p) => p.length),
      [3, 3, 2],
    );
    const all = pages.flat();
    assert.deepEqual(
      all.map((t) => [t.blockHeight, t.direction, t.orphaned]),
      [
        [6, 'out', false],
        [5, 'out', false],
        [4, 'out', false],
        [3, 'self', false],
        // Height 2: the main block and the orphaned fork block, by block hash descending.
        ...[
          [b2.hash, [2, 'out', false]],
          [b2.hash, [2, 'in', false]],
          [f2.hash, [2, 'in', true]],
        ]
          .sort((x, y) => (x[0] === y[0] ? 0 : (x[0] as string) < (y[0] as string) ? 1 : -1))
          .map((x) => x[1]),
        [1, 'out', false],
      ].slice(0, 8),
    );
    assert.equal(new Set(all.map((t) => `${t.blockHash}/${t.index}`)).size, all.length, 'no inclusion twice');
    assert.deepEqual(all.find((t) => t.orphaned)?.nodes, []);
    assert.deepEqual(all[0].nodes, ['id-1']);
  });

  it('a cursor that is not one is a 400 BAD_CURSOR; a limit over 100 a 400', async () => {
    for (const q of ['cursor=7', `cursor=1-${'ab'.repeat(32)}-x`, `cursor=99999999999-${'ab'.repeat(32)}-0`, 'limit=101', 'limit=0']) {
      const { status, body } = await get(`/api/accounts/${alice.publicKey}/txs?${q}`);
      assert.equal(status, 400, q);
      assert.equal((body as { error: { code: string } }).error.code, 'BAD_CURSOR', q);
    }
  });

  it('search: a unique address prefix finds the account, a shared one lists the accounts, a full address always leads to its page', async () => {
    const search = async (q: string) => SearchResponseSchema.parse((await get(`/api/search?q=${encodeURIComponent(q)}`)).body);
    const hit = await search(carol.publicKey.slice(0, 10));
    assert.equal(hit.result?.kind, 'account');
    assert.equal(hit.result?.path, `/accounts/${carol.publicKey}`);
    assert.equal(hit.matches, undefined);
    assert.equal((await search(`0x${carol.publicKey.slice(0, 10).toUpperCase()}`)).result?.id, carol.publicKey);
    assert.equal((await search(carol.publicKey.slice(0, 5))).result, null, 'five hex digits are too short to mean an address');
    // Blocks and transactions come first, by the same prefix rule.
    assert.deepEqual((await search(b3.hash.slice(0, 8))).result?.path, `/blocks/${b3.hash}`);
    const tx = b4.txs[0].hash;
    assert.equal((await search(tx.slice(0, 12))).result?.path, `/txs/${tx}`);
    const untouched = '34'.repeat(32);
    assert.equal((await search(untouched)).result?.path, `/accounts/${untouched}`);
    // Two node keys that share a prefix.
    for (const [id, key] of [
      ['p1', `abcdef01${'0'.repeat(56)}`],
      ['p2', `abcdef02${'0'.repeat(56)}`],
    ]) {
      await db.prisma.node.create({ data: { id, name: `node-${id}`, url: `http://127.0.0.1:9/${id}`, source: 'attached', publicKey: key, isValidator: false } });
    }
    const shared = await search('abcdef0');
    assert.equal(shared.result?.kind, 'account');
    assert.deepEqual(
      shared.matches?.map((m) => m.label),
      ['Account of node-p1', 'Account of node-p2'],
    );
  });

  it('readings compare by the most common (balance, nonce); a tie marks every reporting node', () => {
    const r = (name: string, balance: number | null, status: 'reported' | 'unreachable' = 'reported') => ({
      nodeId: name,
      name,
      status,
      head: status === 'reported' ? { height: 1, hash: 'h' } : null,
      balance,
      nonce: balance === null ? null : 0,
      error: null,
    });
    const three = compareReadings([r('a', 5), r('b', 5), r('c', 7), r('d', null, 'unreachable')]);
    assert.equal(three.agreement, 'differ');
    assert.deepEqual(
      three.nodes.map((n) => n.differs),
      [false, false, true, false],
    );
    assert.deepEqual(
      compareReadings([r('a', 5), r('b', 7)]).nodes.map((n) => n.differs),
      [true, true],
    );
    assert.equal(compareReadings([r('a', 5), r('b', 5)]).agreement, 'agree');
    assert.equal(compareReadings([r('d', null, 'unreachable')]).agreement, 'unknown');
  });
});
