// The control plane, assembled: database and migrations, the node fleet, the indexer, the
// monitor, the JSON API, Socket.IO and (optionally) the Next.js explorer on one HTTP port.
// Parts start in order and stop in reverse; a failed start stops whatever had started.
// server/main.ts runs it as a process; tests start it in-process.
import { NodeApiClient } from '../lib/http/node-client.ts';
import '#server-only';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.ts';
import { startDatabase } from './db/postgres.ts';
import { applyMigrations } from './db/migrate.ts';
import { createPrismaClient, type PrismaClient } from './db/client.ts';
import { loadControlToken, type ControlToken } from './control/control-token.ts';
import { SessionStore } from './control/session-store.ts';
import type { NodeFleet } from './orchestrator/node-fleet.ts';
import { fleetFromConfig } from './orchestrator/fleet-from-config.ts';
import { PrismaIndexStore } from './indexer/prisma-index-store.ts';
import { Indexer } from './indexer/indexer.ts';
import { healthPollTiming } from './indexer/health-poller.ts';
import { NetworkMonitor } from './monitor/network-monitor.ts';
import { AlertManager } from './monitor/alert-manager.ts';
import { readFinality } from './monitor/node-finality.ts';
import { EventFeed } from './monitor/event-feed.ts';
import { PeerPoller } from './monitor/peer-poller.ts';
import { ExplorerQueries } from './read/explorer-queries.ts';
import { ForkQueries } from './read/fork-queries.ts';
import { HistoryQueries } from './read/history-queries.ts';
import { ConsensusQueries, type FollowedNode } from './read/consensus-queries.ts';
import { answerClientErrors } from '../lib/http/client-error.ts';
import { createServerRouter } from './api/server-router.ts';
import { nodeListener } from '../lib/http/router.ts';
import { capConnectionsPerAddress, httpServerOptions, throttledReporter } from '../lib/http/server-limits.ts';
import { LiveHub } from './live/live-hub.ts';
import { wireLiveUpdates } from './live/live-wiring.ts';
import { ensureNextBuild } from './next-build.ts';
import { ChaosController } from './control/chaos-controller.ts';
import { faultsOnLink } from './control/link-faults.ts';
import { RunStore } from './runs/run-store.ts';
import { ScenarioService } from './scenarios/scenario-service.ts';
import { ExperimentService } from './experiments/experiment-service.ts';
import { RunRecorder, type RunningNetwork } from './runs/run-recorder.ts';
import { RunSlot } from './runs/run-slot.ts';
import { addDataSecurityHeaders, secureResponse } from './http/security-headers.ts';
import { sendBuildingPage } from './http/building-page.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const version = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;

export interface ControlPlaneOptions {
  logger: Logger;
  /** Serve the Next.js explorer too (false: JSON API and Socket.IO only). */
  serveExplorer: boolean;
  /** Progress lines for a human watching the start. */
  step?: (text: string) => void;
}

export interface ControlPlane {
  /** Where the HTTP server listens (the port is real even when config.port was 0). */
  url: string;
  port: number;
  token: ControlToken;
  fleet: NodeFleet;
  prisma: PrismaClient;
  indexer: Indexer;
  monitor: NetworkMonitor;
  chaos: ChaosController;
  /** Stop every part in reverse start order. Idempotent. */
  stop(): Promise<void>;
}

type Stopper = { name: string; stop: () => Promise<void> | void };
type NextApp = ReturnType<typeof next>;
type NextHandler = ReturnType<NextApp['getRequestHandler']>;
type NextUpgradeHandler = ReturnType<NextApp['getUpgradeHandler']>;

export async function startControlPlane(config: ServerConfig, opts: ControlPlaneOptions): Promise<ControlPlane> {
  const stoppers: Stopper[] = [];
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stoppers.reverse()) {
        try {
          await s.stop();
        } catch (err) {
          opts.logger.error({ err, part: s.name }, 'error while stopping');
        }
      }
    })());
  try {
    return await startParts(config, opts, stoppers, stop);
  } catch (err) {
    await stop();
    throw err;
  }
}

async function startParts(config: ServerConfig, opts: ControlPlaneOptions, stoppers: Stopper[], stop: () => Promise<void>): Promise<ControlPlane> {
  const { logger } = opts;
  const step = opts.step ?? (() => undefined);

  // Building the explorer takes a while the first time: do it while the database starts.
  const building = opts.serveExplorer && !config.nextDev ? ensureNextBuild(projectRoot, logger, step) : Promise.resolve();

  const db = await startDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, logger: logger.child({ part: 'postgres' }) });
  stoppers.push({ name: 'database', stop: () => db.stop() });
  step(config.databaseUrl ? 'database: external (DATABASE_URL)' : `database: embedded Postgres in ${path.join(config.dataDir, 'postgres')}`);
  await applyMigrations(db.url, { logger: logger.child({ part: 'migrate' }) });
  const prisma = createPrismaClient(db.url);
  stoppers.push({ name: 'prisma', stop: () => prisma.$disconnect() });

  const token = await loadControlToken(config.dataDir, config.controlToken);
  // Sessions of an earlier token (it was rotated) and expired ones are purged here.
  const sessions = new SessionStore({ prisma, token: token.token, ttlMs: config.sessionTtlMs, logger: logger.child({ part: 'sessions' }) });
  await sessions.start();
  stoppers.push({ name: 'sessions', stop: () => sessions.stop() });

  const fleet: NodeFleet = await fleetFromConfig(config, logger);
  await fleet.start();
  stoppers.push({ name: 'nodes', stop: () => fleet.stop() });
  step(fleet.describe());

  const indexer = new Indexer({ store: new PrismaIndexStore(prisma), logger: logger.child({ part: 'indexer' }) });
  for (const n of fleet.nodes()) indexer.follow(n.url, n.source);
  for (const t of config.attachHealthOnly) indexer.followHealthOnly(t, healthPollTiming(config.blockTimeMs));
  indexer.start();
  stoppers.push({ name: 'indexer', stop: () => indexer.stop() });

  const monitor = new NetworkMonitor(indexer, {
    blockTimeMs: config.blockTimeMs,
    fetchConsensus: (url) => new NodeApiClient(url, { timeoutMs: 2_000 }).consensus(),
    onProbeError: (nodeId, err) => logger.debug({ node: nodeId, err: (err as Error).message }, 'halted: could not read the votes a node hears'),
  });
  const alerts = new AlertManager({ prisma, logger: logger.child({ part: 'alerts' }) });
  await alerts.load();
  const feed = new EventFeed();
  monitor.start();
  stoppers.push({ name: 'monitor', stop: () => monitor.stop() });

  const chaos = new ChaosController({
    prisma,
    indexer,
    fleet,
    logger: logger.child({ part: 'chaos' }),
    attachedAdminToken: config.nodeAdminToken ?? null,
    onHeal: () => monitor.noteHeal(),
  });
  await chaos.load();
  stoppers.push({ name: 'chaos', stop: () => chaos.stop() });

  // The API answers as soon as it can; pages follow once the explorer is built and prepared.
  const explorer: { handle: NextHandler | null; upgrade: NextUpgradeHandler | null } = { handle: null, upgrade: null };

  const queries = new ExplorerQueries(prisma);
  const followedNodes = (): FollowedNode[] =>
    indexer
      .subscribers()
      .flatMap((s) => (s.nodeId && s.record ? [{ nodeId: s.nodeId, name: s.record.name, url: s.url, publicKey: s.record.publicKey, validator: s.record.validator }] : []));
  const peerLinks: { push: (links: Parameters<LiveHub['pushPeers']>[0]) => void } = { push: () => undefined };
  const nodeIds = () => indexer.subscribers().flatMap((s) => (s.nodeId ? [s.nodeId] : []));
  const peers = new PeerPoller(indexer, {
    intervalMs: 2_000,
    logger: logger.child({ part: 'peers' }),
    onUpdate: (links) => peerLinks.push(links),
    faultsOn: (a, b) => faultsOnLink(a, b, chaos.activeLinkFaults(), nodeIds()),
  });
  const runs = new RunStore(prisma);
  const abandoned = await runs.closeAbandoned();
  if (abandoned) logger.warn({ runs: abandoned }, 'runs left running by an earlier process closed as cancelled');
  // Experiments and scenarios are recorded the same way, one at a time (their faults would mix).
  const recorder = new RunRecorder({ prisma, runs, token: token.token, logger: logger.child({ part: 'runs' }) });
  const slot = new RunSlot();
  const network = (): RunningNetwork => {
    // What the nodes report wins (an attached network); before any report, what this plane started.
    const reported = monitor.consensus().engine;
    return { engine: reported === 'poa' || reported === 'bft' ? reported : config.consensus, nodes: monitor.nodes(), blockTimeMs: config.blockTimeMs };
  };
  const scenarios = new ScenarioService({
    prisma,
    token: token.token,
    examplesDir: path.join(projectRoot, 'scenarios'),
    logger: logger.child({ part: 'scenarios' }),
    network,
    recorder,
    slot,
  });
  const experiments = new ExperimentService({ recorder, runs, slot, examplesDir: path.join(projectRoot, 'experiments'), logger: logger.child({ part: 'experiments' }), network });
  const api = createServerRouter({
    chaos,
    scenarios,
    runs,
    experiments,
    controlToken: token.token,
    sessions,
    publicOrigins: config.publicOrigins,
    queries,
    forks: new ForkQueries(prisma, () => indexer.subscribers().flatMap((s) => (s.nodeId ? [{ nodeId: s.nodeId, finalized: readFinality(s.lastHealth).finalized }] : []))),
    history: new HistoryQueries(prisma),
    consensus: new ConsensusQueries(prisma, { nodes: followedNodes, timeoutMs: 800, cacheMs: 300 }),
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

  const handleApi = nodeListener(api);
  const security = { dev: config.nextDev, pages: opts.serveExplorer };
  const httpServer: HttpServer = createServer(httpServerOptions(config.httpLimits), (req, res) => {
    const nonce = secureResponse(req, res, security);
    const url = req.url ?? '/';
    // /api is the route table's (errors become JSON there); everything else is the explorer's.
    if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) {
      handleApi(req, res);
      return;
    }
    if (explorer.handle) {
      explorer.handle(req, res).catch((err: Error) => {
        logger.error({ err, url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error');
      });
      return;
    }
    if (opts.serveExplorer) return void sendBuildingPage(res, nonce);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('the explorer is not served by this process (API only)');
  });
  capConnectionsPerAddress(httpServer, config.httpLimits.maxConnectionsPerAddress, refusedConnectionReporter(config.httpLimits.maxConnectionsPerAddress, logger));
  answerClientErrors(httpServer, (fields) => logger.debug(fields, 'http client error'));
  const hub = new LiveHub(httpServer, { tickMs: 250, logger: logger.child({ part: 'live' }) });
  hub.io.engine.on('headers', addDataSecurityHeaders); // Socket.IO's polling answers never reach the handler above
  peerLinks.push = (links) => hub.pushPeers(links);
  httpServer.on('upgrade', (req, socket, head) => {
    // Socket.IO handles its own path; everything else (Next's dev HMR socket) goes to Next.
    if (req.url?.startsWith('/socket.io/')) return;
    if (!explorer.upgrade) return void socket.destroy();
    explorer.upgrade(req, socket, head).catch((err: Error) => {
      logger.warn({ err, url: req.url }, 'upgrade failed');
      socket.destroy();
    });
  });
  wireLiveUpdates({ indexer, monitor, alerts, feed, queries, hub, chaos, logger: logger.child({ part: 'live' }) });
  scenarios.on('changed', (run) => {
    hub.pushScenarioRun(run);
    feed.add({ kind: 'chaos', nodeId: null, message: run.status === 'running' ? `Scenario "${run.name}" started` : `Scenario "${run.name}" ${run.status}` });
  });
  recorder.on('changed', (run) => {
    hub.pushRun(run);
    if (run.kind === 'experiment')
      feed.add({ kind: 'chaos', nodeId: null, message: run.status === 'running' ? `Experiment "${run.name}" started` : `Experiment "${run.name}" ${run.status}` });
  });
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
  // Stopped before the HTTP server (stoppers run in reverse): a run in progress is cancelled and
  // heals through the API while it still answers. One that takes longer to close is left to
  // closeAbandoned at the next start.
  stoppers.push({
    name: 'runs',
    stop: async () => {
      const holder = slot.holder();
      if (!holder) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([holder.cancel(), new Promise<void>((resolve) => (timer = setTimeout(resolve, 10_000)))]);
      clearTimeout(timer);
    },
  });
  const port = (httpServer.address() as AddressInfo).port;
  scenarios.baseUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  recorder.baseUrl = scenarios.baseUrl;
  step(`API answering on port ${port}`);

  await building;
  if (opts.serveExplorer) {
    const nextApp = next({ dev: config.nextDev, dir: projectRoot, hostname: config.host, port, quiet: true });
    await nextApp.prepare();
    explorer.handle = nextApp.getRequestHandler();
    explorer.upgrade = nextApp.getUpgradeHandler();
  }
  logger.info({ port, nodes: fleet.nodes().length }, 'control plane ready');
  return { url: `http://${config.host}:${port}`, port, token, fleet, prisma, indexer, monitor, chaos, stop };
}

/** Refusals counted and logged at most once per 10 s (a flood must not flood the log too). */
function refusedConnectionReporter(max: number, logger: Logger): (address: string) => void {
  let last = '';
  const report = throttledReporter(10_000, (n) =>
    logger.warn({ refused: n, address: last, maxConnectionsPerAddress: max }, 'connections refused: address at its connection cap (MAX_CONNECTIONS_PER_ADDRESS)'),
  );
  return (address) => {
    last = address;
    report();
  };
}
