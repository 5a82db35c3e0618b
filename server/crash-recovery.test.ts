// Integration: the index survives the failures users inflict on it. After each, the index
// must equal the union of the nodes' chains: no gap, no duplicate, nothing lost.
//  - the server killed with SIGKILL mid-ingest and started again (it resumes from the stream
//    cursors stored with the rows, so events after the cursor are replayed: duplicates that
//    must change nothing);
//  - Postgres stopped for 30 s of chain growth and started again (writes are kept and retried).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { LocalTestnet } from '../node/testnet/local-testnet.ts';
import { waitFor } from '../node/testkit/wait-for.ts';
import { withTestDatabase, type TestDatabase } from './db/test-database.ts';
import { startDatabase } from './db/postgres.ts';
import { applyMigrations } from './db/migrate.ts';
import { createPrismaClient } from './db/client.ts';
import { freePort, freePorts } from '../lib/free-port.ts';
import { startControlPlane } from './control-plane.ts';
import { NodeApiClient } from '../lib/http/node-client.ts';
import { testServerConfig } from './testing/test-config.ts';
import { blocksMissingParent, indexMatchesNodes } from './testing/index-checks.ts';
import type { HealthResponse } from '../wire/explorer-api.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const heightOf = async (url: string) => (await new NodeApiClient(url).health()).blockchain.height;

describe('index recovery', { timeout: 300_000 }, () => {
  const dirs: string[] = [];
  const tempDir = (name: string) => {
    const d = mkdtempSync(path.join(os.tmpdir(), name));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('server killed with SIGKILL mid-ingest', () => {
    let db: TestDatabase;
    let testnet: LocalTestnet;
    let server: ChildProcess | null = null;

    before(async () => {
      db = await withTestDatabase();
      testnet = new LocalTestnet({ nodes: 3, basePort: await freePorts(8), blockTimeMs: 300, dataDir: tempDir('crash-nodes-'), txRate: 5 }, { logger });
      await testnet.start();
    });
    after(async () => {
      server?.kill('SIGKILL');
      await testnet?.stop();
      await db?.stop();
    });

    async function spawnServer(dataDir: string): Promise<ChildProcess> {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          ATTACH: testnet
            .nodes()
            .map((n) => n.url)
            .join(','),
          DATABASE_URL: db.url,
          DATA_DIR: dataDir,
          PORT: String(await freePort()),
          EXPLORER: '0',
          LOG_LEVEL: 'warn',
        },
      });
      child.stderr!.on('data', () => undefined); // drain; warnings go to the server log
      return child;
    }

    it('resumes from its stored cursors with no gap and no duplicate', async () => {
      const dataDir = tempDir('crash-server-');
      server = await spawnServer(dataDir);
      // Every node's row too: 20 blocks can come from one subscriber alone.
      await waitFor(async () => (await db.prisma.block.count()) >= 20 && (await db.prisma.node.count()) === 3, {
        timeoutMs: 60_000,
        what: '20 indexed blocks and the three nodes',
      });
      server.kill('SIGKILL');
      await new Promise((resolve) => server!.once('exit', resolve));

      const urls = testnet.nodes().map((n) => n.url);
      const atKill = await heightOf(urls[0]);
      await waitFor(async () => (await heightOf(urls[0])) >= atKill + 15, { timeoutMs: 60_000, what: '15 more blocks while the server is down' });

      server = await spawnServer(dataDir);
      const target = await heightOf(urls[0]);
      const nodes = await db.prisma.node.findMany({ select: { id: true, url: true } });
      assert.equal(nodes.length, 3);
      await waitFor(async () => (await indexMatchesNodes(db.prisma, nodes, target)) === true, { timeoutMs: 90_000, what: `every node's chain up to ${target} indexed` });
      assert.equal(await blocksMissingParent(db.prisma), 0);
      const cursors = await db.prisma.node.findMany({ select: { lastSeq: true } });
      assert.ok(
        cursors.every((c) => c.lastSeq !== null),
        'cursors stored',
      );
      server.kill('SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
      server = null;
    });
  });

  describe('Postgres stopped for 30 s', () => {
    it('keeps serving, reports the database down, and catches up when it is back', async () => {
      const pgDir = tempDir('outage-pg-');
      const port = await freePort();
      let pg = await startDatabase({ dataDir: pgDir, logger, port });
      await applyMigrations(pg.url, { logger });
      const blockTimeMs = 300;
      const plane = await startControlPlane(
        testServerConfig({ dataDir: tempDir('outage-plane-'), databaseUrl: pg.url, nodes: 3, blockTimeMs, nodeBasePort: await freePorts(8), txRate: 2 }),
        { logger, serveExplorer: false },
      );
      const prisma = createPrismaClient(pg.url, { maxConnections: 2 });
      try {
        await waitFor(async () => (await prisma.block.count()) >= 10, { timeoutMs: 60_000, what: '10 indexed blocks' });
        const urls = plane.fleet.nodes().map((n) => n.url);

        await pg.stop();
        const atStop = await heightOf(urls[0]);
        const health = async () => (await (await fetch(`${plane.url}/api/health`)).json()) as HealthResponse;
        await waitFor(async () => (await health()).database.ok === false, { timeoutMs: 30_000, what: '/api/health to report the database down' });
        // 30 s of chain growth with no database (100 blocks at 300 ms).
        await waitFor(async () => (await heightOf(urls[0])) >= atStop + 30_000 / blockTimeMs, { timeoutMs: 90_000, intervalMs: 500, what: '30 s of blocks' });
        const nodesHealthy = await Promise.all(urls.map(async (u) => (await new NodeApiClient(u).health()).status));
        assert.deepEqual(nodesHealthy, ['ok', 'ok', 'ok'], 'the nodes never noticed');

        pg = await startDatabase({ dataDir: pgDir, logger, port });
        const target = await heightOf(urls[0]);
        const nodes = await prisma.node.findMany({ select: { id: true, url: true } });
        await waitFor(async () => (await indexMatchesNodes(prisma, nodes, target)) === true, { timeoutMs: 90_000, intervalMs: 500, what: `the index to catch up to ${target}` });
        assert.equal(await blocksMissingParent(prisma), 0);
        await waitFor(async () => (await health()).database.ok, { timeoutMs: 30_000, what: '/api/health to report the database back' });
      } finally {
        await prisma.$disconnect();
        await plane.stop();
        await pg.stop();
      }
    });
  });
});
