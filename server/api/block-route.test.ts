// The block read model against a real Postgres, through the router: a BFT block's page data
// carries its commit (round, signers with their node names, time to finality, n and quorum),
// a PoA block's carries null.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { testChain } from '../../node/testkit/chain-builder.ts';
import { genesisBlock } from '../../node/chain/genesis.ts';
import type { Block } from '../../wire/node-api.ts';
import type { BlockResponse } from '../../wire/explorer-api.ts';
import { emptyBatch } from '../indexer/index-batch.ts';
import { PrismaIndexStore } from '../indexer/prisma-index-store.ts';
import { createServerRouter, type ApiDeps } from './server-router.ts';
import { ExplorerQueries } from '../read/explorer-queries.ts';

describe('GET /api/blocks/{id}: the commit', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  const chain = testChain({ accounts: 2 });
  const genesis = genesisBlock(chain.genesis);
  const poa = chain.block(genesis);
  const keys = ['01', '02', '03', '04'].map((k) => k.repeat(32));
  const bare = chain.block(poa);
  // Decided in round 1 by three of the four validators; the third signer's node is unknown here.
  const bft: Block = {
    ...bare,
    commit: {
      height: bare.header.height,
      round: 1,
      blockHash: bare.hash,
      signatures: [keys[1], keys[0], keys[3]].map((validator) => ({ validator, signature: 'ee'.repeat(64) })),
    },
  };

  const request = async (id: string) => {
    const app = createServerRouter({ queries: new ExplorerQueries(db.prisma), logger: pino({ level: 'silent' }) } as unknown as ApiDeps);
    const res = await app.request(`/api/blocks/${id}`);
    assert.equal(res.status, 200);
    return ((await res.json()) as BlockResponse).block;
  };

  before(async () => {
    db = await withTestDatabase();
    const store = new PrismaIndexStore(db.prisma);
    // node-3 (keys[2]) did not sign; keys[3] has no node the control plane knows of.
    for (const [i, key] of keys.slice(0, 3).entries()) {
      await store.upsertNode({ id: `id-${i + 1}`, name: `node-${i + 1}`, url: `http://127.0.0.1/${i + 1}`, source: 'local', publicKey: key, validator: true });
    }
    await store.writeBatch({
      ...emptyBatch(),
      blocks: [genesis, poa, bft].map((block) => ({ block, seenBy: 'id-1', seenAt: block === bft ? bft.header.timestamp + 1_250 : block.header.timestamp })),
    });
  });
  after(() => db?.stop());

  it('a BFT block answers its round, signers (in commit order, with names), signature count and time to finality', async () => {
    const block = await request(bft.hash);
    assert.deepEqual(block.commit, {
      round: 1,
      signers: [
        { publicKey: keys[1], name: 'node-2' },
        { publicKey: keys[0], name: 'node-1' },
        { publicKey: keys[3], name: null },
      ],
      signatures: 3,
      validators: 3,
      quorum: 3,
      finalizedAfterMs: 1_250,
    });
    // By height too.
    assert.deepEqual((await request(String(bft.header.height))).commit?.round, 1);
  });

  it('a PoA block (no commit) answers commit: null, and so does a block whose child has one', async () => {
    assert.equal((await request(poa.hash)).commit, null);
    assert.equal((await request('0')).commit, null);
  });
});
