// Propagation timing and the stale rate against a real Postgres, through the router: a chain
// with a fork whose losing block no node holds (stale > 0), receipts with sub-ms times from
// three nodes, a node that is behind, a health-only node and a retired one (never listed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { testChain } from '../../node/testkit/chain-builder.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import type { Block } from '../../wire/node-api.ts';
import { BlockResponseSchema, HealthResponseSchema, PropagationResponseSchema, type PropagationResponse } from '../../wire/explorer-api.ts';
import { emptyBatch, type BlockReceipt } from '../indexer/index-batch.ts';
import { PrismaIndexStore } from '../indexer/prisma-index-store.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';
import { ExplorerQueries } from '../read/explorer-queries.ts';

describe('propagation and stale-rate queries', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let databaseOk = true;
  const chain = testChain({ accounts: 2 });
  const genesis = genesisBlock(chain.genesis);
  const main: Block[] = [genesis];
  for (let i = 1; i <= 5; i++) main.push(chain.block(main[i - 1]));
  // A competing block at height 3 that lost: only n3 ever received it, and no chain holds it now.
  const stale = chain.block(main[2], { slot: main[2].header.slot + 2 });
  const T = 1_700_000_000_000;

  const app = () =>
    createServerRouter({
      queries: new ExplorerQueries(db.prisma),
      databaseHealth: async () => ({ ok: databaseOk, error: databaseOk ? null : 'down' }),
      networkStatus: () => null,
      startedAt: Date.now(),
      version: 'test',
      logger: pino({ level: 'silent' }),
    } as unknown as ApiDeps);
  const get = async (path: string) => {
    const res = await app().request(path);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const propagation = async (query = ''): Promise<PropagationResponse> => {
    const { status, body } = await get(`/api/propagation${query}`);
    assert.equal(status, 200, JSON.stringify(body));
    return PropagationResponseSchema.parse(body);
  };

  before(async () => {
    db = await withTestDatabase();
    const store = new PrismaIndexStore(db.prisma);
    for (const id of ['n1', 'n2', 'n3', 'n4', 'old']) {
      await store.upsertNode({ id, name: id, url: `http://127.0.0.1/${id}`, source: 'local', publicKey: 'ab'.repeat(32), validator: true });
    }
    await store.upsertNode({ id: 'health-x', name: 'seed-1', url: 'http://seed.example', source: 'attached', publicKey: '', validator: false });
    // A node whose URL another node took over (a wiped data dir): retired, not listed.
    await store.upsertNode({ id: 'new', name: 'new', url: 'http://127.0.0.1/old', source: 'local', publicKey: 'cd'.repeat(32), validator: true });
    await db.prisma.node.delete({ where: { id: 'new' } });

    const r = (b: Block, nodeId: string, after: number): BlockReceipt => ({ blockHash: b.hash, nodeId, height: b.header.height, acceptedAt: T + b.header.height * 1000 + after });
    const receipts: BlockReceipt[] = [];
    for (const b of main.slice(1)) receipts.push(r(b, 'n1', 0.5), r(b, 'n2', 2.75));
    for (const b of main.slice(1, 5)) receipts.push(r(b, 'n3', 30.5));
    receipts.push(r(stale, 'n3', 0));
    const hashes = main.map((b) => b.hash);
    await store.writeBatch({
      ...emptyBatch(),
      blocks: [...main, stale].map((block) => ({ block, seenBy: 'n1', seenAt: T })),
      receipts,
      canonical: [
        { nodeId: 'n1', fromHeight: 0, hashes },
        { nodeId: 'n2', fromHeight: 0, hashes },
        { nodeId: 'n3', fromHeight: 0, hashes },
        { nodeId: 'n4', fromHeight: 0, hashes: hashes.slice(0, 3) },
      ],
    });
  });
  after(() => db?.stop());

  it('the stale rate counts the blocks of the last N heights that no node holds (the lost fork block)', async () => {
    const q = new ExplorerQueries(db.prisma).propagation;
    assert.deepEqual(await q.staleRate(100), { heights: 100, fromHeight: 0, toHeight: 5, blocks: 7, stale: 1, rate: 1 / 7 });
    assert.deepEqual(await q.staleRate(3), { heights: 3, fromHeight: 3, toHeight: 5, blocks: 4, stale: 1, rate: 1 / 4 });
    assert.deepEqual(await q.staleRate(2), { heights: 2, fromHeight: 4, toHeight: 5, blocks: 2, stale: 0, rate: 0 });
  });

  it('/api/health carries the stale rate over the last 100 heights, and null when the database is down', async () => {
    const ok = HealthResponseSchema.parse((await get('/api/health')).body);
    assert.deepEqual(ok.staleRate, { heights: 100, fromHeight: 0, toHeight: 5, blocks: 7, stale: 1, rate: 1 / 7 });
    databaseOk = false;
    try {
      const down = HealthResponseSchema.parse((await get('/api/health')).body);
      assert.equal(down.status, 'degraded');
      assert.equal(down.staleRate, null);
    } finally {
      databaseOk = true;
    }
  });

  it('the histogram holds every receipt but each block’s first, by its delay after the first', async () => {
    const p = await propagation('?blocks=100');
    assert.equal(p.window, 100);
    assert.equal(p.blocks, 6, 'heights 1-5 and the fork block: genesis has no receipt');
    assert.equal(p.fromHeight, 1);
    assert.equal(p.toHeight, 5);
    const counts = Object.fromEntries(p.histogram.filter((b) => b.count > 0).map((b) => [`${b.fromMs}-${b.toMs}`, b.count]));
    // n2 2.25 ms after n1 on five blocks; n3 30 ms after n1 on four.
    assert.deepEqual(counts, { '2-5': 5, '20-50': 4 });
    assert.equal(p.histogram[0].fromMs, 0);
    assert.equal(p.histogram.at(-1)!.toMs, null, 'the last bucket is open');
    assert.deepEqual(p.stale, { heights: 100, fromHeight: 0, toHeight: 5, blocks: 7, stale: 1, rate: 1 / 7 });
  });

  it('per node: how many blocks it received, how often first, and its median and p95 lateness (sub-ms kept)', async () => {
    const p = await propagation();
    assert.equal(p.window, 100, 'the default window');
    assert.deepEqual(
      p.nodes.map((n) => [n.name, n.received, n.first, n.medianMs, n.p95Ms, n.maxMs]),
      [
        ['n1', 5, 5, 0, 0, 0],
        ['n2', 5, 0, 2.25, 2.25, 2.25],
        // Four main blocks 30 ms late, first on the fork block only it received.
        ['n3', 5, 1, 30, 30, 30],
        ['n4', 0, 0, null, null, null],
      ],
      'health-only and retired nodes are not listed',
    );
  });

  it('the window is the last N blocks with receipts', async () => {
    const p = await propagation('?blocks=2');
    assert.deepEqual([p.blocks, p.fromHeight, p.toHeight], [2, 4, 5]);
    assert.equal(
      p.histogram.reduce((n, b) => n + b.count, 0),
      3,
      'n2 on both, n3 on height 4',
    );
  });

  it('a block page lists every node’s receipt relative to the first, and tells a caught-up node from one that never got it', async () => {
    const res = await get(`/api/blocks/${main[5].hash}`);
    assert.equal(res.status, 200);
    const { block } = BlockResponseSchema.parse(res.body);
    assert.deepEqual(
      block.receipts.map((r) => [r.name, r.afterFirstMs, r.holds]),
      [
        ['n1', 0, true],
        ['n2', 2.25, true],
        ['n3', null, true],
        ['n4', null, false],
      ],
    );
    assert.equal(block.receipts[0].acceptedAt, T + 5000.5);
    const fork = BlockResponseSchema.parse((await get(`/api/blocks/${stale.hash}`)).body).block;
    assert.deepEqual(
      fork.receipts.map((r) => [r.name, r.afterFirstMs, r.holds]),
      [
        ['n3', 0, false],
        ['n1', null, false],
        ['n2', null, false],
        ['n4', null, false],
      ],
    );
  });

  for (const bad of ['0', '1001', 'abc', '2.5', '-1', '']) {
    it(`GET /api/propagation?blocks=${bad} is a 400 BAD_PROPAGATION_QUERY`, async () => {
      const { status, body } = await get(`/api/propagation?blocks=${bad}`);
      assert.equal(status, 400);
      assert.equal((body.error as { code: string }).code, 'BAD_PROPAGATION_QUERY');
    });
  }
});
