// The control plane's composition root: one process hosting the database connection, the
// local testnet (or attached nodes), the indexer, the monitor, the JSON API, Socket.IO and
// Next.js on one HTTP port. Starts parts in order and stops them in reverse on SIGINT/SIGTERM.
import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import type { Logger } from 'pino';
import { loadServerConfig, type ServerConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startDatabase } from './db/postgres.ts';
import { applyMigrations } from './db/migrate.ts';
import { createPrismaClient } from './db/client.ts';
import { loadControlToken } from './control/control-token.ts';
import { attachedFleet, localFleet, type NodeFleet } from './orchestrator/node-fleet.ts';
import { PrismaIndexStore } from './indexer/prisma-index-store.ts';
import { Indexer } from './indexer/indexer.ts';
import { NetworkMonitor } from './monitor/network-monitor.ts';
import { ExplorerQueries } from './api/explorer-queries.ts';
import { createApiRouter } from './api/api-router.ts';
import { LiveHub } from './live/live-hub.ts';
import { wireLiveUpdates } from './live/live-wiring.ts';
import { ForkQueries } from './api/fork-queries.ts';
import { HistoryQueries } from './api/history-queries.ts';
import { AlertManager } from './monitor/alert-manager.ts';
import { EventFeed } from './monitor/event-feed.ts';
import { PeerPoller } from './monitor/peer-poller.ts';
import { ensureNextBuild } from './next-build.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

/** Things to stop, in the order they were started; stopped in reverse. */
type Stopper = { name: string; stop: () => Promise<void> | void };

async function main(config: ServerConfig): Promise<void> {
  mkdirSync(config.dataDir, { recursive: true });
  const { logger, logFile } = createLogger(config);
  const stoppers: Stopper[] = [];
  let stopping = false;

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    console.log(`\nStopping (${reason})…`);
    // A part that hangs must not keep the nodes or the database alive past the deadline.
    const deadline = setTimeout(() => {
      console.error('Shutdown took longer than 9 s; exiting anyway.');
      process.exit(1);
    }, 9_000);
    deadline.unref();
    for (const s of stoppers.reverse()) {
      try {
        await s.stop();
      } catch (err) {
        logger.error({ err, part: s.name }, 'error while stopping');
      }
    }
    console.log('Stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled promise rejection');
    void shutdown('unhandled rejection', 1);
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void shutdown('uncaught exception', 1);
  });

  try {
    await startParts(config, logger, logFile, stoppers);
  } catch (err) {
    logger.fatal({ err }, 'start-up failed');
    console.error(`Could not start: ${(err as Error).message}`);
    await shutdown('start-up failed', 1);
  }
}

async function startParts(config: ServerConfig, logger: Logger, logFile: string, stoppers: Stopper[]): Promise<void> {
  const step = (text: string) => console.log(`  ${text}`);
  console.log(`Testnet explorer ${version}: starting (data in ${config.dataDir}, logs in ${logFile})`);

  // Building the explorer takes a while the first time: do it while the database starts.
  const building = config.nextDev ? Promise.resolve() : ensureNextBuild(projectRoot, logger, step);

  const db = await startDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger: logger.child({ part: 'postgres' }) });
  stoppers.push({ name: 'database', stop: () => db.stop() });
  step(config.databaseUrl ? 'database: external (DATABASE_URL)' : `database: embedded Postgres in ${path.join(config.dataDir, 'postgres')}`);
  await applyMigrations(db.url, { logger: logger.child({ part: 'migrate' }) });
  const prisma = createPrismaClient(db.url);
  stoppers.push({ name: 'prisma', stop: () => prisma.$disconnect() });

  const token = await loadControlToken(config.dataDir, config.controlToken);

  const fleet: NodeFleet = config.attach
    ? attachedFleet(config.attach)
    : localFleet(
        { nodes: config.nodes, basePort: config.nodeBasePort, blockTimeMs: config.blockTimeMs, dataDir: path.join(config.dataDir, 'testnet'), txRate: config.txRate },
        logger.child({ part: 'testnet' }),
      );
  await fleet.start();
  stoppers.push({ name: 'nodes', stop: () => fleet.stop() });
  step(fleet.kind === 'local' ? `testnet: ${config.nodes} local nodes on ports ${config.nodeBasePort}–${config.nodeBasePort + config.nodes - 1}` : `attached to ${config.attach!.join(', ')}`);

  const store = new PrismaIndexStore(prisma);
  const indexer = new Indexer({ store, logger: logger.child({ part: 'indexer' }) });
  for (const n of fleet.nodes()) indexer.follow(n.url, n.source);
  indexer.start();
  stoppers.push({ name: 'indexer', stop: () => indexer.stop() });

  const monitor = new NetworkMonitor(indexer, { blockTimeMs: config.blockTimeMs });
  const alerts = new AlertManager({ prisma, logger: logger.child({ part: 'alerts' }) });
  await alerts.load();
  const feed = new EventFeed();
  monitor.start();
  stoppers.push({ name: 'monitor', stop: () => monitor.stop() });

  await building;
  const nextApp = next({ dev: config.nextDev, dir: projectRoot, hostname: config.host, port: config.port, quiet: true });
  await nextApp.prepare();
  const handleNext = nextApp.getRequestHandler();
  const queries = new ExplorerQueries(prisma);
  const forks = new ForkQueries(prisma);
  const history = new HistoryQueries(prisma);
  let hub: LiveHub | null = null;
  const peers = new PeerPoller(indexer, { intervalMs: 2_000, logger: logger.child({ part: 'peers' }), onUpdate: (links) => hub?.pushPeers(links) });
  const handleApi = createApiRouter({
    queries,
    forks,
    history,
    feed,
    peers,
    monitor,
    startedAt: Date.now(),
    version,
    logger: logger.child({ part: 'api' }),
    databaseHealth: async () => {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return indexer.writer.healthy ? { ok: true, error: null } : { ok: false, error: indexer.writer.lastError };
      } catch (err) {
        return { ok: false, error: (err as Error).message.split('\n')[0] };
      }
    },
  });

  const httpServer: HttpServer = createServer((req, res) => {
    handleApi(req, res)
      .then((handled) => (handled ? undefined : handleNext(req, res)))
      .catch((err: Error) => {
        logger.error({ err, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      });
  });
  hub = new LiveHub(httpServer, { tickMs: 250, logger: logger.child({ part: 'live' }) });
  const handleNextUpgrade = nextApp.getUpgradeHandler();
  httpServer.on('upgrade', (req, socket, head) => {
    // Socket.IO handles its own path; everything else (Next's dev HMR socket) goes to Next.
    if (req.url?.startsWith('/socket.io/')) return;
    handleNextUpgrade(req, socket, head).catch((err: Error) => {
      logger.warn({ err, url: req.url }, 'upgrade failed');
      socket.destroy();
    });
  });
  wireLiveUpdates({ indexer, monitor, alerts, feed, queries, hub, logger: logger.child({ part: 'live' }) });
  hub.start();
  peers.start();
  stoppers.push({ name: 'peer poller', stop: () => peers.stop() });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  stoppers.push({
    name: 'http',
    stop: () => {
      hub.stop();
      httpServer.closeAllConnections();
      return new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  });
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  console.log(`\nExplorer ready: http://${shownHost}:${config.port}`);
  console.log(`Control token (needed for chaos actions): ${token.source}`);
  console.log('Press Ctrl-C to stop everything.\n');
  logger.info({ port: config.port, nodes: fleet.nodes().length }, 'control plane ready');
}

let config: ServerConfig;
try {
  config = loadServerConfig();
} catch (err) {
  console.error((err as Error).message);
  process.exit(2);
}
if (existsSync(config.dataDir) === false) mkdirSync(config.dataDir, { recursive: true });
main(config).catch((err: Error) => {
  console.error(`Could not start: ${err.message}`);
  process.exit(1);
});
