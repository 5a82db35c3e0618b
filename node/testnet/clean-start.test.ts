// Integration: a fresh 4-process local testnet brings every listener up before any node dials,
// so no node logs a refused connection (issue 16, point 7: a 2-node testnet logged one
// ECONNREFUSED when node-1 dialed node-2 before it listened). Logs at debug, where every dial
// failure is written, and the dial-error counter must stay 0 too.
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

const NODES = 4;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'testnet-clean-start-'));
let testnet: LocalTestnet;

describe('local testnet clean start (4 processes)', { timeout: 150_000 }, () => {
  before(async () => {
    const basePort = await freePorts(NODES);
    testnet = new LocalTestnet(
      { nodes: NODES, basePort, blockTimeMs: 300, dataDir, txRate: 1, pingIntervalMs: 1000, logLevel: 'debug' },
      { logger: createLogger({ level: 'warn', name: 'test' }) },
    );
    await testnet.start();
  });

  after(async () => {
    await testnet?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('every node meshes and reaches height 3 without one refused dial', async () => {
    const clients = testnet.nodes().map((n) => new NodeClient(n.url, n.adminToken));
    await waitFor(
      async () => {
        const hs = await Promise.all(clients.map((c) => c.health()));
        return hs.every((h) => h.blockchain.height >= 3 && h.peers.connected === NODES - 1);
      },
      { timeoutMs: 60_000, what: `all ${NODES} nodes at height ≥ 3 with ${NODES - 1} peers each` },
    );
    for (const n of testnet.nodes()) {
      const log = fs.readFileSync(path.join(n.dataDir, 'node.log'), 'utf8');
      assert.ok(log.includes('node started'), `${n.name} wrote its log`);
      const refused = log.split('\n').filter((line) => line.includes('ECONNREFUSED'));
      assert.deepEqual(refused, [], `${n.name} logged a refused connection`);
    }
    const dialErrors = await Promise.all(clients.map((c) => c.metric('node_p2p_dial_errors_total')));
    assert.deepEqual(dialErrors, new Array(NODES).fill(0), 'no node counted a failed dial');
    // No node proposes before it has met its peers: a block made alone at start is a fork the
    // others then replace (it showed as reorgs and a stale block at height 1 on every fresh start).
    const reorgs = await Promise.all(clients.map((c) => c.metric('node_reorgs_total')));
    assert.deepEqual(reorgs, new Array(NODES).fill(0), 'no node reorganised during a clean start');
  });
});
