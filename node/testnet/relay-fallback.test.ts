// Integration: blocks straight from their proposer are relayed only to the peers the proposer
// did not reach (gossip.ts), so a node with no link to the proposer must still get them: from
// a peer that has both links, or else through status and catch-up. A–C is cut with drop
// rules; B links both.
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

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-fallback-it-'));
let testnet: LocalTestnet;

describe('a node without a link to the proposer', { timeout: 120_000 }, () => {
  before(async () => {
    testnet = new LocalTestnet(
      { nodes: 3, basePort: await freePorts(3), blockTimeMs: 300, dataDir, txRate: 1, pingIntervalMs: 500 },
      { logger: createLogger({ level: 'warn', name: 'test' }) },
    );
    await testnet.start();
  });

  after(async () => {
    await testnet?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('still gets every block of that proposer, through a peer that has it', async () => {
    const [a, b, c] = testnet.nodes().map((n) => new NodeClient(n.url, n.adminToken));
    const [ha, , hc] = await Promise.all([a.health(), b.health(), c.health()]);
    await waitFor(async () => (await Promise.all([a, b, c].map((x) => x.health()))).every((h) => h.peers.connected === 2), { timeoutMs: 30_000, what: 'a full mesh' });
    await a.setRules([{ peer: hc.node.id, direction: 'both', drop: true }]);
    await c.setRules([{ peer: ha.node.id, direction: 'both', drop: true }]);
    // A redial may briefly show the link as connected (the hello passes before the peer is
    // known by id), but every envelope after it is dropped: nothing of A's reaches C directly.
    await waitFor(async () => (await c.peers()).every((p) => p.id !== ha.node.id || p.state !== 'connected'), { timeoutMs: 10_000, what: 'the A–C link to drop' });
    const from = (await c.health()).blockchain.height;

    // A proposes every third slot; C must hold A's blocks made after the cut, on B's chain.
    const ofA = await waitFor(
      async () => {
        const page = await c.blocks(from + 1, 100);
        const mine = page.blocks.filter((blk) => blk.header.proposer === ha.node.publicKey);
        return mine.length >= 3 ? mine : null;
      },
      { timeoutMs: 30_000, what: "three of A's blocks on C after the cut" },
    );
    for (const blk of ofA) assert.equal((await b.block(blk.header.height))?.hash, blk.hash, `B and C agree at height ${blk.header.height}`);
  });
});
