// The index's write path against a real Postgres: replaying batches (what a restart after a
// crash does) and receiving events out of order must never duplicate or lose a row.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { testChain } from '../../node/testkit/chain-builder.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import type { Block } from '../../wire/node-api.ts';
import type { EvidenceRecord } from '../../wire/bft.ts';
import { emptyBatch, type IndexBatch, type RoundSighting } from './index-batch.ts';
import { PrismaIndexStore } from './prisma-index-store.ts';

describe('PrismaIndexStore', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let store: PrismaIndexStore;
  const chain = testChain({ accounts: 4 });
  const genesis = genesisBlock(chain.genesis);
  const [a, b] = chain.accounts;
  const main: Block[] = [genesis];
  for (let i = 1; i <= 6; i++) main.push(chain.block(main[i - 1], { txs: [chain.transfer(a, b, 1, i - 1)] }));
  // A competing branch from height 3 that includes the same transaction as main's height 4.
  const fork = [chain.block(main[3], { slot: main[3].header.slot + 2, txs: main[4].txs })];

  const batchOf = (blocks: Block[], nodeId: string, extra: Partial<IndexBatch> = {}): IndexBatch => ({
    ...emptyBatch(),
    blocks: blocks.map((block) => ({ block, seenBy: nodeId, seenAt: 1_700_000_000_000 })),
    ...extra,
  });

  before(async () => {
    db = await withTestDatabase();
    store = new PrismaIndexStore(db.prisma);
  });
  beforeEach(async () => {
    await db.reset();
    for (const id of ['n1', 'n2']) {
      await store.upsertNode({ id, name: id, url: `http://127.0.0.1/${id}`, source: 'local', publicKey: 'ab'.repeat(32), validator: true });
    }
  });
  after(() => db?.stop());

  const counts = async () => ({
    blocks: await db.prisma.block.count(),
    txs: await db.prisma.transaction.count(),
    canonical: await db.prisma.canonicalBlock.count(),
    heads: await db.prisma.headEvent.count(),
  });

  it('writing the same batch twice changes nothing (a replay after a crash)', async () => {
    const batch = batchOf(main, 'n1', {
      canonical: [{ nodeId: 'n1', fromHeight: 0, hashes: main.map((m) => m.hash) }],
      heads: [{ nodeId: 'n1', epoch: 'e1', seq: 7, at: 1, height: 6, hash: main[6].hash, reorg: null }],
      cursors: [{ nodeId: 'n1', epoch: 'e1', seq: 7 }],
    });
    await store.writeBatch(batch);
    const first = await counts();
    assert.deepEqual(first, { blocks: 7, txs: 6, canonical: 7, heads: 1 });
    await store.writeBatch(batch);
    assert.deepEqual(await counts(), first);
    assert.deepEqual(await store.cursor('n1'), { epoch: 'e1', seq: 7 });
  });

  it('a block reported by two nodes, in two batches or in one, is stored once with its first sighting', async () => {
    await store.writeBatch(batchOf(main.slice(0, 3), 'n1'));
    await store.writeBatch(batchOf([...main.slice(0, 4), main[3]], 'n2'));
    assert.equal(await db.prisma.block.count(), 4);
    const b2 = await db.prisma.block.findUniqueOrThrow({ where: { hash: main[2].hash } });
    assert.equal(b2.firstSeenBy, 'n1');
    const b3 = await db.prisma.block.findUniqueOrThrow({ where: { hash: main[3].hash } });
    assert.equal(b3.firstSeenBy, 'n2');
  });

  it('keeps both branches, and the same transaction in each block that includes it', async () => {
    await store.writeBatch(batchOf([...main, ...fork], 'n1'));
    assert.equal(await db.prisma.block.count({ where: { height: 4 } }), 2);
    const inclusions = await db.prisma.transaction.findMany({ where: { hash: main[4].txs[0].hash } });
    assert.deepEqual(inclusions.map((t) => t.blockHash).sort(), [main[4].hash, fork[0].hash].sort());
  });

  it('a canonical update for a reorg rewrites heights from the fork point and drops the rest', async () => {
    await store.writeBatch(batchOf([...main, ...fork], 'n1', { canonical: [{ nodeId: 'n1', fromHeight: 0, hashes: main.map((m) => m.hash) }] }));
    await store.writeBatch({ ...emptyBatch(), canonical: [{ nodeId: 'n1', fromHeight: 4, hashes: [fork[0].hash] }] });
    const rows = await db.prisma.canonicalBlock.findMany({ where: { nodeId: 'n1' }, orderBy: { height: 'asc' } });
    assert.deepEqual(
      rows.map((r) => r.hash),
      [...main.slice(0, 4).map((m) => m.hash), fork[0].hash],
    );
  });

  it('a head event that arrives before its block is kept, and the block still lands later', async () => {
    await store.writeBatch({ ...emptyBatch(), heads: [{ nodeId: 'n2', epoch: 'e2', seq: 1, at: 1, height: 6, hash: main[6].hash, reorg: null }] });
    await store.writeBatch(batchOf(main, 'n2'));
    assert.equal(await db.prisma.headEvent.count({ where: { nodeId: 'n2' } }), 1);
    assert.ok(await store.blockLink(main[6].hash));
  });

  it("stores a BFT block's commit once (a replay or a second node's copy changes nothing) and none for a PoA block", async () => {
    const signers = ['01', '02', '03'].map((k) => k.repeat(32));
    const commitOf = (block: Block, round: number, keys: string[]): Block => ({
      ...block,
      commit: { height: block.header.height, round, blockHash: block.hash, signatures: keys.map((validator) => ({ validator, signature: 'ee'.repeat(64) })) },
    });
    const bft = commitOf(main[1], 2, signers);
    // main[2] first reported without its commit, then with it in the same batch: the commit is kept.
    const late = commitOf(main[2], 0, signers.slice(0, 2));
    const batch: IndexBatch = {
      ...emptyBatch(),
      blocks: [
        { block: main[0], seenBy: 'n1', seenAt: 1_700_000_000_000 },
        { block: bft, seenBy: 'n1', seenAt: 1_700_000_001_234 },
        { block: main[2], seenBy: 'n1', seenAt: 1_700_000_002_000 },
        { block: late, seenBy: 'n2', seenAt: 1_700_000_002_500 },
      ],
    };
    await store.writeBatch(batch);
    await store.writeBatch(batch);
    // Another node's later copy, with other signers in another round, does not replace it.
    await store.writeBatch({ ...emptyBatch(), blocks: [{ block: commitOf(main[1], 3, signers.slice(1)), seenBy: 'n2', seenAt: 1_700_000_009_000 }] });
    const rows = await db.prisma.blockCommit.findMany({ orderBy: { round: 'desc' } });
    assert.deepEqual(rows, [
      { blockHash: bft.hash, round: 2, signers, signatureCount: 3, committedAt: new Date(1_700_000_001_234) },
      { blockHash: late.hash, round: 0, signers: signers.slice(0, 2), signatureCount: 2, committedAt: new Date(1_700_000_002_500) },
    ]);
    assert.equal(await db.prisma.blockCommit.count({ where: { blockHash: main[0].hash } }), 0);
  });

  it('folds BFT rounds per (height, round): earliest start, the proposer, every timeout any node saw; a replay changes nothing', async () => {
    const P = (c: string) => c.repeat(64);
    const round = (o: Partial<RoundSighting> & { height: number; round: number; at: number }): RoundSighting => ({ proposer: P('a'), timeout: null, skippedTo: false, ...o });
    const batch: IndexBatch = {
      ...emptyBatch(),
      rounds: [
        round({ height: 5, round: 0, at: 1_000, proposer: P('a') }),
        round({ height: 5, round: 0, at: 900, proposer: P('a') }), // another node saw it first
        round({ height: 5, round: 0, at: 2_000, timeout: { round: 0, step: 'propose' } }),
        round({ height: 5, round: 1, at: 3_000, proposer: P('b'), timeout: { round: 0, step: 'precommit' } }),
        round({ height: 5, round: 2, at: 3_500, proposer: P('c'), skippedTo: true }),
      ],
    };
    await store.writeBatch(batch);
    await store.writeBatch(batch);
    // A later batch adds a timeout another node saw in round 1.
    await store.writeBatch({ ...emptyBatch(), rounds: [round({ height: 5, round: 1, at: 4_000, proposer: P('b'), timeout: { round: 1, step: 'prevote' } })] });
    const rows = await db.prisma.consensusRound.findMany({ orderBy: { round: 'asc' } });
    assert.deepEqual(
      rows.map((r) => ({ round: r.round, proposer: r.proposer, startedAt: r.startedAt.getTime(), timeouts: r.timeouts, skipped: r.skipped })),
      [
        { round: 0, proposer: P('a'), startedAt: 900, timeouts: ['precommit', 'propose'], skipped: false },
        { round: 1, proposer: P('b'), startedAt: 3_000, timeouts: ['prevote'], skipped: false },
        { round: 2, proposer: P('c'), startedAt: 3_500, timeouts: [], skipped: true },
      ],
    );
  });

  it('stores each piece of equivocation evidence once, with every node that reported it and the earliest detection', async () => {
    const vote = (blockHash: string | null) => ({ type: 'prevote' as const, height: 9, round: 1, blockHash, validator: 'cd'.repeat(32), signature: 'ee'.repeat(64) });
    const record: EvidenceRecord = {
      kind: 'duplicate-vote',
      hash: 'ef'.repeat(32),
      validator: 'cd'.repeat(32),
      height: 9,
      round: 1,
      detectedAt: 5_000,
      evidence: { voteA: vote(null), voteB: vote('12'.repeat(32)) },
    };
    await store.writeBatch({
      ...emptyBatch(),
      evidence: [
        { nodeId: 'n1', record },
        { nodeId: 'n2', record: { ...record, detectedAt: 4_000 } },
      ],
    });
    await store.writeBatch({ ...emptyBatch(), evidence: [{ nodeId: 'n1', record: { ...record, detectedAt: 6_000 } }] });
    const rows = await db.prisma.evidence.findMany();
    assert.equal(rows.length, 1);
    assert.deepEqual(
      { ...rows[0], detectedAt: rows[0].detectedAt.getTime() },
      { hash: record.hash, kind: 'duplicate-vote', validator: record.validator, height: 9, round: 1, detectedAt: 4_000, reportedBy: ['n1', 'n2'], payload: record.evidence },
    );
  });
});
