// Integration: a peer that stops answering pings (SIGSTOP) is dropped within about two ping
// intervals, and the link comes back by itself after SIGCONT.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.ts';
import { LocalTestnet } from '../testnet/local-testnet.ts';
import { freePorts } from '../../lib/free-port.ts';
import { NodeClient } from '../testkit/node-client.ts';
import { waitFor } from '../testkit/wait-for.ts';

const PING_MS = 1000;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keepalive-it-'));
let testnet: LocalTestnet;
let stoppedPid: number | null = null;

describe('keep-alive', { timeout: 90_000 }, () => {
  before(async () => {
    testnet = new LocalTestnet(
      { nodes: 2, basePort: await freePorts(2), blockTimeMs: 250, dataDir, txRate: 1, pingIntervalMs: PING_MS },
      { logger: createLogger({ level: 'warn', name: 'test' }) },
    );
    await testnet.start();
  });

  after(async () => {
    if (stoppedPid) process.kill(stoppedPid, 'SIGCONT');
    await testnet?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a peer silent for two ping intervals is dropped, and reconnected once it answers again', async () => {
    const [n1, n2] = testnet.nodes();
    const a = new NodeClient(n1.url);
    await waitFor(async () => (await a.health()).peers.connected === 1 && (await new NodeClient(n2.url).health()).peers.connected === 1, {
      timeoutMs: 20_000,
      what: 'the two nodes linked',
    });
    await waitFor(async () => typeof (await a.peers()).find((p) => p.state === 'connected')?.rttMs === 'number', { timeoutMs: 5000, what: 'an RTT sample' });
    const stream = a.stream();
    await waitFor(() => stream.events.length > 0, { timeoutMs: 5000, what: 'stream hello' });

    stoppedPid = n2.pid!;
    process.kill(stoppedPid, 'SIGSTOP');
    const t0 = Date.now();
    const dropped = await waitFor(() => stream.of('peer').find((e) => e.event === 'disconnected' && /ping timeout/.test(e.reason ?? '')), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: 'a disconnected event naming the ping timeout',
    });
    // Timed by the node's own event stamp, so HTTP or test-runner lag cannot skew it.
    const elapsed = dropped.at - t0;
    assert.ok(elapsed >= PING_MS && elapsed <= 3.5 * PING_MS, `dropped after ${elapsed} ms (ping interval ${PING_MS} ms)`);
    await waitFor(async () => (await a.health()).peers.connected === 0, { timeoutMs: 5000, what: 'no connected peer in /health' });
    // /peers may list the peer twice (the dialer's entry and the link it lost); the one that
    // was dropped says why. A dial refused while both nodes started can sit on the other.
    const entries = await a.peers();
    assert.ok(
      entries.some((p) => /ping timeout/.test(p.lastReconnectReason ?? '')),
      `a /peers entry names the ping timeout: ${JSON.stringify(entries.map((p) => [p.direction, p.state, p.lastReconnectReason]))}`,
    );
    assert.equal((await a.health()).status, 'degraded');

    process.kill(stoppedPid, 'SIGCONT');
    stoppedPid = null;
    await waitFor(async () => (await a.health()).peers.connected === 1, { timeoutMs: 40_000, what: 'the link re-established' });
    const b = new NodeClient(n2.url);
    await waitFor(
      async () => {
        const [ha, hb] = await Promise.all([a.health(), b.health()]);
        const h = Math.min(ha.blockchain.height, hb.blockchain.height) - 1;
        const [x, y] = await Promise.all([a.block(h), b.block(h)]);
        return x !== null && x.hash === y?.hash && h > 0;
      },
      { timeoutMs: 30_000, what: 'both nodes on one chain again' },
    );
    assert.ok(stream.of('peer').some((e) => e.event === 'connected'));
    stream.close();
  });
});
