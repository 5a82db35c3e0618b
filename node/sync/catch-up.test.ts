// Integration: a node 2,000 blocks behind catches up in batches from a peer, and a
// checkpoint decides which chain a syncing node may follow.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../wire/node-api.ts';
import { BlockLog } from '../chain/block-log.ts';
import { genesisBlock } from '../chain/genesis.ts';
import type { Node } from '../node.ts';
import { testChain } from '../testkit/chain-builder.ts';
import { startInProcessNode } from '../testkit/in-process-node.ts';
import { NodeClient } from '../testkit/node-client.ts';
import { waitFor } from '../testkit/wait-for.ts';

const BLOCKS = 2000;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-it-'));
const nodes: Node[] = [];
let blocks: Block[];
let genesisFile: string;
let source: Node;

describe('catch-up sync', { timeout: 120_000 }, () => {
  before(async () => {
    // A chain that "already happened": genesis far enough in the past for 2,000 slots.
    const blockTimeMs = 200;
    const t = testChain({ blockTimeMs, genesisTime: Date.now() - (BLOCKS + 100) * blockTimeMs, seed: 'sync' });
    blocks = [];
    let parent = genesisBlock(t.genesis);
    for (let i = 0; i < BLOCKS; i++) {
      const txs = i % 100 === 0 ? [t.transfer(t.accounts[0], t.accounts[1], 1, i / 100)] : [];
      parent = t.block(parent, { txs });
      blocks.push(parent);
    }
    genesisFile = path.join(root, 'genesis.json');
    fs.writeFileSync(genesisFile, JSON.stringify(t.genesis));
    BlockLog.writeAll(path.join(root, 'source', 'blocks.log'), blocks);
    // Not a validator: the chain stays exactly as written.
    // Its P2P listener has a port of its own, which the other nodes dial.
    source = (await startInProcessNode(path.join(root, 'source'), { genesisFile, p2pPort: 0 })).node;
    nodes.push(source);
  });

  after(async () => {
    for (const n of nodes.reverse()) await n.stop();
    if (!process.env.KEEP_TMP) fs.rmSync(root, { recursive: true, force: true });
  });

  it('the source node rebuilt its 2,000 blocks from the log', async () => {
    assert.equal(source.chain.headRef().height, BLOCKS);
    assert.equal(source.chain.headRef().hash, blocks[BLOCKS - 1].hash);
    assert.notEqual(source.p2pUrl, `${source.url.replace('http', 'ws')}/p2p`);
    const h = await new NodeClient(source.url).health();
    assert.equal(h.p2p.listening, true);
  });

  it('a node 2,000 blocks behind syncs in batches', async () => {
    const t0 = Date.now();
    const { node } = await startInProcessNode(path.join(root, 'fresh'), { genesisFile, peers: [source.p2pUrl] });
    nodes.push(node);
    const c = new NodeClient(node.url);
    await waitFor(async () => (await c.health()).blockchain.height === BLOCKS, { timeoutMs: 60_000, what: `height ${BLOCKS}` });
    assert.equal((await c.health()).blockchain.latest_block_hash, blocks[BLOCKS - 1].hash);
    const batches = await c.metric('node_sync_batches_total');
    assert.ok(batches >= BLOCKS / 500 && batches < BLOCKS, `${batches} batches`);
    assert.equal(await c.metric('node_blocks_rejected_total'), 0);
    // Balances were replayed along the way.
    assert.equal(node.chain.account(blocks[0].txs[0].from).nonce, BLOCKS / 100);
    process.stdout.write(`# synced ${BLOCKS} blocks in ${Date.now() - t0} ms over ${batches} batches\n`);
  });

  it('a node with a trusted checkpoint follows the chain that holds it, and refuses one that does not', async () => {
    const good = await startInProcessNode(path.join(root, 'cp-good'), { genesisFile, peers: [source.p2pUrl], checkpoint: { height: 1000, hash: blocks[999].hash } });
    nodes.push(good.node);
    const bad = await startInProcessNode(path.join(root, 'cp-bad'), { genesisFile, peers: [source.p2pUrl], checkpoint: { height: 1000, hash: 'ab'.repeat(32) } });
    nodes.push(bad.node);
    const g = new NodeClient(good.node.url);
    const b = new NodeClient(bad.node.url);
    await waitFor(async () => (await g.health()).blockchain.height === BLOCKS, { timeoutMs: 60_000, what: 'checkpointed node synced' });
    await waitFor(async () => (await b.metric('node_blocks_rejected_total', 'BLOCK_CHECKPOINT_MISMATCH')) >= 1, { timeoutMs: 60_000, what: 'checkpoint mismatch seen' });
    assert.equal((await b.health()).blockchain.height, 999);
  });
});
