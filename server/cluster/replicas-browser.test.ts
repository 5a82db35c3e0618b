// Browser test of replicas (real Chromium, two real server processes with the explorer, one
// Postgres, a real 4-node testnet): a page served by the follower shows live heads over a
// WebSocket (never HTTP long-polling, so no sticky sessions are needed); a page behind a
// load balancer whose replica is killed with SIGKILL reconnects to the other, refetches, and
// its block list has no hole.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { chromium, type Browser, type Page } from '@playwright/test';
import { LocalTestnet } from '../../node/testnet/local-testnet.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { freePort, freePorts } from '../../lib/free-port.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { chromiumLaunchOptions } from '../../lib/chromium.ts';
import { tempDirs } from '../testing/temp-dirs.ts';
import { startReplicaProcess, type ReplicaProcess } from '../testing/replica-process.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../testing/round-robin-proxy.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** The heights in the overview's node table, in row order. */
const nodeHeights = (page: Page) => page.getByTestId('node-height').allTextContents();
const blockHeights = async (page: Page) => (await page.getByTestId('block-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-height')))).map(Number);

describe('replicas in a browser', { timeout: 900_000 }, () => {
  const temp = tempDirs();
  const tempDir = (prefix: string) => temp.make(prefix);
  let db: TestDatabase;
  let testnet: LocalTestnet;
  let browser: Browser;
  let proxy: RoundRobinProxy;
  const replicas: ReplicaProcess[] = [];

  before(async () => {
    db = await withTestDatabase();
    testnet = new LocalTestnet({ nodes: 4, basePort: await freePorts(8), blockTimeMs: 500, dataDir: tempDir('replicas-browser-nodes-'), txRate: 2 }, { logger });
    await testnet.start();
    const env = {
      DATABASE_URL: db.url,
      ATTACH: testnet
        .nodes()
        .map((n) => n.url)
        .join(','),
      CONTROL_TOKEN: 'replica-browser-control-token-0123',
      EXPLORER: '1',
    };
    // One after the other: the first builds the explorer if no build exists yet, the second finds it.
    for (const name of ['a', 'b']) {
      const r = await startReplicaProcess({ port: await freePort(), dataDir: tempDir(`replica-browser-${name}-`), env });
      replicas.push(r);
      await waitFor(async () => (await fetch(`${r.url}/`, { signal: AbortSignal.timeout(10_000) })).status === 200, {
        timeoutMs: 400_000,
        intervalMs: 500,
        what: `replica ${name} serving pages`,
      });
    }
    browser = await chromium.launch(chromiumLaunchOptions());
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    for (const r of replicas) r.child.kill('SIGKILL');
    await Promise.all(replicas.map((r) => r.exited));
    await testnet?.stop();
    await db?.stop();
    temp.removeAll();
  });

  it('a page on the follower shows live heads, over a WebSocket only', async () => {
    const [a, b] = replicas;
    assert.ok(a && b);
    await waitFor(async () => (await a.health()).replica?.role === 'leader' && (await b.health()).replica?.role === 'follower', { what: 'a leads, b follows' });
    const page = await browser.newPage();
    const socketUrls: string[] = [];
    page.on('websocket', (ws) => socketUrls.push(ws.url()));
    const polling: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('transport=polling')) polling.push(req.url());
    });
    try {
      await page.goto(b.url + '/');
      await waitFor(async () => (await nodeHeights(page)).length === 4 && (await nodeHeights(page)).every((h) => /^\d+$/.test(h)), { what: 'four node rows with heights' });
      const first = (await nodeHeights(page)).map(Number);
      // No reload: the heights move on pushes the leader made, relayed to this follower.
      await waitFor(async () => (await nodeHeights(page)).map(Number).every((h, i) => h >= first[i]! + 3), {
        timeoutMs: 60_000,
        what: 'every node height moving live on the follower page',
      });
      assert.ok(
        socketUrls.some((u) => u.includes('/socket.io/') && u.includes('transport=websocket')),
        `a Socket.IO WebSocket (saw ${socketUrls.join(', ') || 'none'})`,
      );
      assert.deepEqual(polling, [], 'no HTTP long-polling');
    } finally {
      await page.close();
    }
  });

  it('a page behind a load balancer survives kill -9 of its replica: it reconnects to the other and refetches, no hole in its blocks', async () => {
    const [a, b] = replicas;
    assert.ok(a && b);
    // All of the page's connections go to the leader first, then only to the survivor.
    proxy = await startRoundRobinProxy([Number(new URL(a.url).port)]);
    const page = await browser.newPage();
    try {
      await page.goto(proxy.url + '/');
      await waitFor(async () => (await blockHeights(page)).length >= 5, { what: 'the block list' });
      proxy.setTargets([Number(new URL(b.url).port)]);
      a.child.kill('SIGKILL');
      await a.exited;
      const atKill = Math.max(...(await blockHeights(page)));
      // Blocks made while the page had no connection are fetched again, then pushes continue.
      await waitFor(async () => Math.max(...(await blockHeights(page))) >= atKill + 6, { timeoutMs: 90_000, what: 'new blocks on the page after the kill' });
      const heights = [...new Set(await blockHeights(page))].sort((x, y) => y - x);
      for (let i = 1; i < heights.length; i++) assert.equal(heights[i - 1]! - heights[i]!, 1, `no hole in the block list: ${heights.join(', ')}`);
      assert.equal((await b.health()).replica?.role, 'leader');
    } finally {
      await page.close();
    }
  });
});
