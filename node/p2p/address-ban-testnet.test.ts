// Integration (real node processes): on a local testnet every honest peer is 127.0.0.1 too.
// A hostile client on 127.0.0.1 that sends garbage before its hello gets that address banned
// on the node it attacked, and stays refused at the upgrade; yet the 4-node mesh holds and
// forms again after a restart, because the banning node's own dials are outbound (never
// checked against address bans) and identified peers are judged by node id.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePorts } from '../../lib/free-port.ts';
import { createLogger } from '../logger.ts';
import { LocalTestnet } from '../testnet/local-testnet.ts';
import { NodeClient } from '../testkit/node-client.ts';
import { connectRawPeer } from '../testkit/raw-peer.ts';
import { waitFor } from '../testkit/wait-for.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'address-ban-it-'));
let testnet: LocalTestnet;
let clients: NodeClient[];

async function fullMesh(what: string): Promise<void> {
  await waitFor(async () => (await Promise.all(clients.map((c) => c.health()))).every((h) => h.peers.connected === 3), { timeoutMs: 60_000, what });
}

describe('address bans on a local testnet', { timeout: 180_000 }, () => {
  before(async () => {
    testnet = new LocalTestnet({ nodes: 4, basePort: await freePorts(4), blockTimeMs: 250, dataDir, txRate: 1 }, { logger: createLogger({ level: 'warn', name: 'test' }) });
    await testnet.start();
    clients = testnet.nodes().map((n) => new NodeClient(n.url));
    await fullMesh('the 4 nodes fully meshed');
  });

  after(async () => {
    await testnet?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a hostile loopback client is banned by address while the 4-node mesh holds and re-forms after a restart', async () => {
    const victim = testnet.nodes()[0];
    const hostile = connectRawPeer(victim.url); // from 127.0.0.1, like every honest peer here
    assert.equal(await hostile.status, 101);
    for (let i = 0; i < 4; i++) hostile.ws.send(`garbage ${i}`);
    const { code, reason } = await hostile.closed;
    assert.equal(code, 4004);
    assert.match(reason, /banned/);
    const ban = (await clients[0].peers()).find((p) => p.state === 'banned' && p.id === null);
    assert.equal(ban?.address, '127.0.0.1', 'banned by address');
    assert.equal(await connectRawPeer(victim.url).status, 403, 'the address is refused at the upgrade');
    await fullMesh('the mesh still whole right after the ban');

    // A neighbour restarts: its dial to the victim is refused (same address), the victim's
    // own outbound dial brings the link back.
    await testnet.restart(testnet.nodes()[1].index);
    await fullMesh('the mesh re-formed after node-2 restarted, the ban still on');
    assert.ok((await clients[0].metric('node_p2p_inbound_refused_total', 'reason="address_banned"')) >= 1, 'node-2 dialed the victim and was refused');
    assert.equal(await connectRawPeer(victim.url).status, 403, 'the ban held all along');
    // The mesh is real: every node keeps producing and agreeing.
    const h0 = Math.max(...(await Promise.all(clients.map((c) => c.health()))).map((h) => h.blockchain.height));
    await waitFor(async () => (await Promise.all(clients.map((c) => c.health()))).every((h) => h.blockchain.height > h0 + 2), {
      timeoutMs: 30_000,
      what: 'every node past the height',
    });
  });
});
