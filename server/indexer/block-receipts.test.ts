// Receipts (when each node accepted each block) against a real Postgres: sub-ms times kept,
// one row per (block, node), the first receipt wins, and replaying a batch changes nothing.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { testChain } from '../../node/testkit/chain-builder.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import type { Block } from '../../wire/node-api.ts';
import { emptyBatch, type BlockReceipt, type IndexBatch } from './index-batch.ts';
import { PrismaIndexStore } from './prisma-index-store.ts';

describe('block receipts in the index', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let store: PrismaIndexStore;
  const chain = testChain({ accounts: 2 });
  const genesis = genesisBlock(chain.genesis);
  const main: Block[] = [genesis];
  for (let i = 1; i <= 3; i++) main.push(chain.block(main[i - 1]));
  const T = 1_700_000_000_000;

  const receipt = (block: Block, nodeId: string, acceptedAt: number): BlockReceipt => ({ blockHash: block.hash, nodeId, height: block.header.height, acceptedAt });
  const batch = (blocks: Block[], receipts: BlockReceipt[]): IndexBatch => ({
    ...emptyBatch(),
    blocks: blocks.map((block) => ({ block, seenBy: 'n1', seenAt: T })),
    receipts,
  });
  const rows = async () => (await db.prisma.blockReceipt.findMany({ orderBy: [{ height: 'asc' }, { nodeId: 'asc' }] })).map((r) => [r.height, r.nodeId, r.acceptedAtMs] as const);

  before(async () => {
    db = await withTestDatabase();
    store = new PrismaIndexStore(db.prisma);
  });
  beforeEach(async () => {
    await db.reset();
    for (const id of ['n1', 'n2']) await store.upsertNode({ id, name: id, url: `http://127.0.0.1/${id}`, source: 'local', publicKey: 'ab'.repeat(32), validator: true });
  });
  after(() => db?.stop());

  it('keeps each receipt with its sub-millisecond time, written in the batch that brings the block', async () => {
    await store.writeBatch(batch(main, [receipt(main[1], 'n1', T + 0.125), receipt(main[1], 'n2', T + 3.4375), receipt(main[2], 'n1', T + 1000.0625)]));
    assert.deepEqual(await rows(), [
      [1, 'n1', T + 0.125],
      [1, 'n2', T + 3.4375],
      [2, 'n1', T + 1000.0625],
    ]);
  });

  it('replaying a batch changes nothing, and a later receipt for the same block and node loses to the first', async () => {
    const first = batch(main, [receipt(main[1], 'n1', T + 5.5)]);
    await store.writeBatch(first);
    await store.writeBatch(first);
    await store.writeBatch(batch([], [receipt(main[1], 'n1', T + 1.25), receipt(main[1], 'n2', T + 9.75)]));
    assert.deepEqual(await rows(), [
      [1, 'n1', T + 5.5],
      [1, 'n2', T + 9.75],
    ]);
  });

  it('within one batch, too, the first receipt queued wins', async () => {
    await store.writeBatch(batch(main, [receipt(main[2], 'n2', T + 7), receipt(main[2], 'n2', T + 2)]));
    assert.deepEqual(await rows(), [[2, 'n2', T + 7]]);
  });

  it('blocks written without receipts (backfill) get none: no time is made up', async () => {
    await store.writeBatch(batch(main, []));
    assert.equal(await db.prisma.block.count(), 4);
    assert.deepEqual(await rows(), []);
  });
});
