// Integration: a real local testnet (node processes on loopback) and a real Postgres. The
// index must equal the union of the nodes' chains: every canonical block once, no gap, and a
// restarted indexer resumes from its stored cursors without duplicating anything.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { freePorts } from '../../lib/free-port.ts';
import { Indexer } from './indexer.ts';
import { PrismaIndexStore } from './prisma-index-store.ts';
import { NodeApiClient } from '../../lib/http/node-client.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { nodeChain } from '../testing/index-checks.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

async function startIndexer(db: TestDatabase, urls: string[]): Promise<Indexer> {
  const indexer = new Indexer({ store: new PrismaIndexStore(db.prisma), logger });
  for (const url of urls) indexer.follow(url, 'local');
  indexer.start();
  return indexer;
}

async function indexedChain(db: TestDatabase, nodeId: string, height: number): Promise<string[]> {
  const rows = await db.prisma.canonicalBlock.findMany({ where: { nodeId, height: { lte: height } }, orderBy: { height: 'asc' } });
  return rows.map((r) => r.hash);
}

describe('indexer against a live testnet', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let testnet: LocalTestnet;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'indexer-it-'));
    db = await withTestDatabase();
    testnet = new LocalTestnet({ nodes: 3, basePort: await freePorts(8), blockTimeMs: 300, dataDir, txRate: 5 }, { logger });
    await testnet.start();
  });

  after(async () => {
    await testnet?.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores each node’s chain once, and a restarted indexer resumes with no gap or duplicate', async () => {
    const urls = testnet.nodes().map((n) => n.url);
    let indexer = await startIndexer(db, urls);
    await waitFor(async () => (await db.prisma.block.count()) >= 15, { timeoutMs: 60_000, what: '15 indexed blocks' });
    await indexer.stop();
    const before = await db.prisma.block.count();

    // The chain keeps growing while the indexer is away; the new one must catch up from the cursors.
    const target = Math.max(...(await Promise.all(urls.map(async (u) => (await new NodeApiClient(u).health()).blockchain.height)))) + 10;
    await waitFor(async () => (await new NodeApiClient(urls[0]).health()).blockchain.height >= target, { timeoutMs: 60_000, what: `height ${target}` });
    indexer = await startIndexer(db, urls);
    try {
      const nodes = await db.prisma.node.findMany();
      assert.equal(nodes.length, 3);
      for (const node of nodes) {
        await waitFor(
          async () => {
            const indexed = await indexedChain(db, node.id, target);
            if (indexed.length < target + 1) return false;
            return JSON.stringify(indexed) === JSON.stringify(await nodeChain(node.url, target));
          },
          { timeoutMs: 60_000, what: `${node.name}'s chain up to ${target} indexed` },
        );
      }
      assert.ok((await db.prisma.block.count()) > before);

      // Every stored block has its parent stored (no gap), and heads were recorded.
      const orphans = await db.prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM blocks b
        WHERE b.height > 0 AND NOT EXISTS (SELECT 1 FROM blocks p WHERE p.hash = b.parent_hash)`;
      assert.equal(Number(orphans[0].n), 0, 'every indexed block has its parent indexed');
      assert.ok((await db.prisma.headEvent.count()) > 0);
      const txs = await db.prisma.transaction.count();
      assert.ok(txs > 0, 'the load generator’s transactions are indexed');
      const cursorless = await db.prisma.node.count({ where: { lastSeq: null } });
      assert.equal(cursorless, 0, 'every node has a stored stream cursor');

      // Each node's /stream block events left its receipts; genesis came by backfill only and has none.
      const receipts = await db.prisma.blockReceipt.groupBy({ by: ['nodeId'], _count: { _all: true } });
      assert.deepEqual(receipts.map((r) => r.nodeId).sort(), nodes.map((n) => n.id).sort(), 'every node has receipts');
      for (const r of receipts) assert.ok(r._count._all >= 5, `${r.nodeId}: ${r._count._all} receipts`);
      assert.equal(await db.prisma.blockReceipt.count({ where: { height: 0 } }), 0, 'no receipt is made up for a backfilled block');
      const everywhere = await db.prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM (SELECT block_hash FROM block_receipts GROUP BY block_hash HAVING count(*) = 3) b`;
      assert.ok(everywhere[0].n > 0, 'some block has a receipt from every node');
    } finally {
      await indexer.stop();
    }
  });
});
