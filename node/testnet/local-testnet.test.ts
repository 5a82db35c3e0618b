// Integration: a real 4-process testnet on loopback converges, survives kill -9 with a torn
// block log, and takes in a late joiner.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.ts';
import { freePorts } from '../../lib/free-port.ts';
import { NodeClient } from '../testkit/node-client.ts';
import { waitFor } from '../testkit/wait-for.ts';
import { LocalTestnet } from './local-testnet.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'testnet-it-'));
let testnet: LocalTestnet;
const clients = () =>
  testnet
    .nodes()
    .filter((n) => n.running)
    .map((n) => new NodeClient(n.url, n.adminToken));

/** All given nodes hold the same block at a height every one of them has reached, at least `min`. */
async function agreeAbove(nodes: NodeClient[], min: number): Promise<boolean> {
  const heights = await Promise.all(nodes.map(async (c) => (await c.health()).blockchain.height));
  const common = Math.min(...heights) - 1;
  if (common < min) return false;
  const hashes = await Promise.all(nodes.map(async (c) => (await c.block(common))?.hash));
  return hashes.every((h) => h !== undefined && h === hashes[0]);
}

describe('local testnet (4 processes)', { timeout: 150_000 }, () => {
  before(async () => {
    const basePort = await freePorts(5);
    testnet = new LocalTestnet(
      { nodes: 4, basePort, blockTimeMs: 250, dataDir, txRate: 2, pingIntervalMs: 1000, logLevel: 'info' },
      { logger: createLogger({ level: 'warn', name: 'test' }) },
    );
    await testnet.start();
  });

  after(async () => {
    await testnet?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('4 nodes converge on one chain with transactions in it', async () => {
    const nodes = clients();
    await waitFor(() => agreeAbove(nodes, 12), { timeoutMs: 40_000, what: '4 nodes agreeing above height 12' });
    const page = await nodes[0].blocks(1, 12);
    assert.ok(page.blocks.reduce((n, b) => n + b.txs.length, 0) > 0, 'blocks carry load-generator txs');
    for (const c of nodes) {
      const h = await c.health();
      assert.equal(h.status, 'ok', JSON.stringify(h.reasons));
      assert.equal(h.peers.connected, 3);
      assert.equal(await c.metric('node_signature_failures_total'), 0);
    }
    // Exactly one link per pair, although every node dials every other.
    for (const c of nodes) {
      const connected = (await c.peers()).filter((p) => p.state === 'connected');
      assert.equal(new Set(connected.map((p) => p.id)).size, 3);
      assert.equal(connected.length, 3);
    }
  });

  it('a node killed with SIGKILL (and a torn last write) restarts from disk and catches up', async () => {
    const victim = testnet.nodes()[2];
    const before = await new NodeClient(victim.url).health();
    await testnet.kill(victim.index);
    assert.equal(testnet.nodes()[2].running, false);
    // Simulate the write that kill -9 tore in half.
    fs.appendFileSync(path.join(victim.dataDir, 'blocks.log'), Buffer.from([0, 0, 2, 0, 1, 2, 3, 4, 123, 34]));
    const others = clients();
    const target = (await others[0].health()).blockchain.height + 8;
    await waitFor(async () => (await others[0].health()).blockchain.height >= target, { timeoutMs: 30_000, what: 'the 3 others go on' });

    await testnet.restart(victim.index);
    const restarted = new NodeClient(victim.url);
    const afterRestart = await restarted.health();
    assert.ok(afterRestart.blockchain.height >= before.blockchain.height, 'resumed from its own log, not from genesis');
    assert.notEqual(afterRestart.node.pid, before.node.pid);
    const log = fs.readFileSync(path.join(victim.dataDir, 'node.log'), 'utf8');
    assert.match(log, /torn or corrupt tail; cut it off/);
    await waitFor(() => agreeAbove(clients(), target), { timeoutMs: 40_000, what: 'restarted node back on the common chain' });
  });

  it('a late non-validator node joins and syncs the chain', async () => {
    const info = await testnet.addNode();
    const joiner = new NodeClient(info.url);
    const h = await joiner.health();
    assert.equal(h.node.validator, false);
    const height = (await clients()[0].health()).blockchain.height;
    await waitFor(async () => (await joiner.health()).blockchain.height >= height, { timeoutMs: 30_000, what: "joiner at the others' height" });
    await waitFor(() => agreeAbove(clients(), height), { timeoutMs: 30_000, what: 'joiner agrees' });
  });
});
