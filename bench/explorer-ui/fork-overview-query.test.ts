// GET /api/forks/overview's query on a real Postgres: the synthetic network (bench/explorer-api) with
// a fork episode every 8 heights, so every fork point and competing block is known in advance.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withTestDatabase, type TestDatabase } from '../../server/db/test-database.ts';
import { loadSyntheticIndex, type LoadedIndex } from '../explorer-api/bulk-load.ts';
import { ForkQueries } from '../../server/read/fork-queries.ts';

describe('fork overview', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let loaded: LoadedIndex;
  before(async () => {
    db = await withTestDatabase();
    loaded = await loadSyntheticIndex(db.url, {
      blocks: 700,
      nodes: 16,
      headHistory: 700,
      fullChainNodes: 16,
      forkWindow: { heights: 600, episodeSpacing: 8 },
      say: () => undefined,
    });
  });
  after(async () => {
    await db?.stop();
  });

  it('lists every fork point and competing block over all heights, compactly', async () => {
    const overview = await new ForkQueries(db.prisma).overview();
    const forkBlocks = loaded.window.forkBlocks;
    const hashes = new Set(forkBlocks.map((b) => b.hash));
    // A branch starts where a fork block's parent is not a fork block: its parent is the fork point.
    const expectedForks = [...new Set(forkBlocks.filter((b) => !hashes.has(b.parentHash)).map((b) => b.height - 1))].sort((a, b) => a - b);
    assert.ok(expectedForks.length > 60, `the generator made ${expectedForks.length} forks`);
    assert.equal(overview.minHeight, 0);
    assert.equal(overview.maxHeight, loaded.head);
    assert.deepEqual(overview.forkHeights, expectedForks);
    assert.equal(
      overview.sideBlocks.reduce((s, [, n]) => s + n, 0),
      forkBlocks.length,
    );
    assert.equal(overview.truncated, false);
    // Only heights with competing blocks: a few hundred entries, not one per height.
    assert.ok(overview.sideBlocks.length < loaded.head / 2);
  });

  it('an empty index has no range and no forks', async () => {
    const empty = await withTestDatabase();
    try {
      assert.deepEqual(await new ForkQueries(empty.prisma).overview(), { minHeight: null, maxHeight: null, sideBlocks: [], forkHeights: [], truncated: false });
    } finally {
      await empty.stop();
    }
  });
});
