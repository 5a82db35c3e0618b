// The control plane, assembled: database and migrations, the node fleet, the JSON API,
// Socket.IO and (optionally) the Next.js explorer on one HTTP port, and the leader-only parts
// (indexer, monitor, chaos, runs: leader-work.ts) when this process leads.
// Parts start in order and stop in reverse; a failed start stops whatever had started.
// server/main.ts runs it as a process; tests start it in-process.
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
import type { Indexer } from './indexer/indexer.ts';
import type { NetworkMonitor } from './monitor/network-monitor.ts';
import { readFinality } from './monitor/node-finality.ts';
import { ExplorerQueries } from './read/explorer-queries.ts';
import { ForkQueries } from './read/fork-queries.ts';
import { HistoryQueries } from './read/history-queries.ts';
import { AccountQueries } from './read/account-queries.ts';
import { ConsensusQueries, type FollowedNode } from './read/consensus-queries.ts';
import { answerClientErrors } from '../lib/http/client-error.ts';
import { createServerRouter } from './api/server-router.ts';
import { nodeListener } from '../lib/http/router.ts';
import { capConnectionsPerAddress, httpServerOptions, throttledReporter } from '../lib/http/server-limits.ts';
import { LiveHub } from './live/live-hub.ts';
import { ensureNextBuild } from './next-build.ts';
import type { ChaosController } from './control/chaos-controller.ts';
import { RunStore } from './runs/run-store.ts';
import { HttpError } from '../lib/http/errors.ts';
import type { HealthResponse, NetworkConsensus } from '../wire/explorer-api.ts';
import { startInOrder, type Stopper } from './start-in-order.ts';
import { startLeaderWork, type LeaderWork, type LeaderWorkDeps } from './leader-work.ts';
import { ReplicaRegistry } from './cluster/replica-registry.ts';
import { LeaderRole, replicaId } from './cluster/leader-role.ts';
import { followerAnswersLocally, forwardToLeader, SERVED_BY_HEADER } from './cluster/leader-forwarding.ts';
import { attachPostgresAdapter } from './cluster/live-adapter.ts';
import { addDataSecurityHeaders, secureResponse } from './http/security-headers.ts';
import { sendBuildingPage } from './http/building-page.ts';

// Compiled into dist/ and started by scripts/start-compiled.mjs, the project (pages, scenarios)
// is not beside this module: the launcher says where it is.
export const projectRoot = process.env.EXPLORER_PROJECT_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
  /** The leader-only parts (leader-work.ts): reading one on a follower throws 503 NOT_LEADER. */
  readonly indexer: Indexer;
  readonly monitor: NetworkMonitor;
  readonly chaos: ChaosController;
  /** Always true for a lone process; in a cluster, whether this replica holds the leader lease now. */
  isLeader(): boolean;
  /** Stop every part in reverse start order. Idempotent. */
  stop(): Promise<void>;
}

type NextApp = ReturnType<typeof next>;
type NextHandler = ReturnType<NextApp['getRequestHandler']>;
type NextUpgradeHandler = ReturnType<NextApp['getUpgradeHandler']>;

export function startControlPlane(config: ServerConfig, opts: ControlPlaneOptions): Promise<ControlPlane> {
  return startInOrder(opts.logger, (stoppers, stop) => startParts(config, opts, stoppers, stop));
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

  // Every replica answers reads and serves pages and Socket.IO; the leader-only parts (indexer,
  // monitor, chaos, runs: leader-work.ts) run here when this process leads: always for a lone
  // process, while it holds the lease in a cluster (server/cluster).
  const cluster = config.cluster ? { self: { id: replicaId(), url: '' } } : null;
  let leader: LeaderWork | null = null;
  const leading = (): LeaderWork => {
    if (leader) return leader;
    throw new HttpError(503, 'NOT_LEADER', 'this replica is not the leader at the moment (leadership is changing): retry');
  };

  // The API answers as soon as it can; pages follow once the explorer is built and prepared.
  const explorer: { handle: NextHandler | null; upgrade: NextUpgradeHandler | null } = { handle: null, upgrade: null };

  const queries = new ExplorerQueries(prisma);
  const subscribers = () => leader?.indexer.subscribers() ?? [];
  const followedNodes = (): FollowedNode[] =>
    subscribers().flatMap((s) =>
      s.nodeId && s.record ? [{ nodeId: s.nodeId, name: s.record.name, url: s.url, publicKey: s.record.publicKey, validator: s.record.validator }] : [],
    );
  let registry: ReplicaRegistry | null = null;
  const api = createServerRouter({
    // The leader's parts, looked up per request: a follower forwards the routes that use them.
    get chaos() {
      return leading().chaos;
    },
    get scenarios() {
      return leading().scenarios;
    },
    get experiments() {
      return leading().experiments;
    },
    get feed() {
      return leading().feed;
    },
    get peers() {
      return leading().peers;
    },
    get monitor() {
      return leading().monitor;
    },
    runs: new RunStore(prisma),
    controlToken: token.token,
    sessions,
    publicOrigins: config.publicOrigins,
    queries,
    forks: new ForkQueries(prisma, () => subscribers().flatMap((s) => (s.nodeId ? [{ nodeId: s.nodeId, finalized: readFinality(s.lastHealth).finalized }] : []))),
    history: new HistoryQueries(prisma),
    consensus: new ConsensusQueries(prisma, { nodes: followedNodes, timeoutMs: 800, cacheMs: 300 }),
    accounts: new AccountQueries(prisma, { nodes: followedNodes, timeoutMs: 800 }),
    startedAt: Date.now(),
    version,
    logger: logger.child({ part: 'api' }),
    databaseHealth: async () => {
      try {
        await prisma.$queryRaw`SELECT 1`;
        const writer = leader?.indexer.writer;
        return !writer || writer.healthy ? { ok: true, error: null } : { ok: false, error: writer.lastError };
      } catch (err) {
        return { ok: false, error: (err as Error).message.split('\n')[0] };
      }
    },
    // A follower runs no monitor: its health shows the leader's view of the network.
    networkStatus: () => (leader ? leader.monitor.consensus() : registry ? leaderNetwork(registry) : null),
    replica: cluster
      ? async () => {
          const current = leader ? cluster.self : await registry!.leader().catch(() => null);
          return { id: cluster.self.id, role: leader ? 'leader' : 'follower', leader: current };
        }
      : undefined,
  });

  const handleApi = nodeListener(api);
  const security = { dev: config.nextDev, pages: opts.serveExplorer };
  const httpServer: HttpServer = createServer(httpServerOptions(config.httpLimits), (req, res) => {
    const nonce = secureResponse(req, res, security);
    const url = req.url ?? '/';
    // /api is the route table's (errors become JSON there); everything else is the explorer's.
    if (url === '/api' || url.startsWith('/api/') || url.startsWith('/api?')) {
      if (cluster) {
        res.setHeader(SERVED_BY_HEADER, cluster.self.id);
        if (!leader && !followerAnswersLocally(req.method ?? 'GET', url)) {
          void forwardToLeader(req, res, { self: cluster.self, leader: () => registry!.leader(), logger });
          return;
        }
      }
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
  const hub = new LiveHub(httpServer, { tickMs: 250, logger: logger.child({ part: 'live' }), clustered: cluster !== null });
  hub.io.engine.on('headers', addDataSecurityHeaders); // Socket.IO's polling answers never reach the handler above
  if (cluster) {
    // Broadcasts reach the sockets of every replica: the leader's pushes get to followers' browsers.
    const adapter = attachPostgresAdapter(hub.io, db.url, logger.child({ part: 'live-adapter' }));
    stoppers.push({ name: 'socket.io adapter', stop: () => adapter.close() });
  }
  httpServer.on('upgrade', (req, socket, head) => {
    // Socket.IO handles its own path; everything else (Next's dev HMR socket) goes to Next.
    if (req.url?.startsWith('/socket.io/')) return;
    if (!explorer.upgrade) return void socket.destroy();
    explorer.upgrade(req, socket, head).catch((err: Error) => {
      logger.warn({ err, url: req.url }, 'upgrade failed');
      socket.destroy();
    });
  });
  hub.start();

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
  const port = (httpServer.address() as AddressInfo).port;
  const ownUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  step(`API answering on port ${port}`);

  // Leader work stops before the HTTP server (stoppers run in reverse): a run in progress is
  // cancelled and heals through the API while it still answers.
  const leaderDeps: LeaderWorkDeps = { config, prisma, fleet, hub, queries, token: token.token, baseUrl: ownUrl, projectRoot, logger };
  if (!cluster) {
    leader = await startLeaderWork(leaderDeps);
    stoppers.push({ name: 'leader work', stop: () => leader?.stop() });
  } else {
    cluster.self.url = config.cluster!.replicaUrl ?? ownUrl;
    registry = new ReplicaRegistry({ prisma, self: cluster.self, logger: logger.child({ part: 'replicas' }) });
    await registry.start();
    stoppers.push({ name: 'replica registry', stop: () => registry!.stop() });
    const role = new LeaderRole({ databaseUrl: db.url, registry, start: () => startLeaderWork(leaderDeps), logger: logger.child({ part: 'leader' }) });
    role.on('changed', (work) => {
      leader = work;
      // The old leader may have died between a write and its push: every browser refetches.
      if (work) hub.pushResync();
    });
    await role.start();
    stoppers.push({ name: 'leader role', stop: () => role.stop() });
    step(`replica ${cluster.self.id} at ${cluster.self.url}: ${leader ? 'leader' : 'follower'}`);
  }

  await building;
  if (opts.serveExplorer) {
    const nextApp = next({ dev: config.nextDev, dir: projectRoot, hostname: config.host, port, quiet: true });
    await nextApp.prepare();
    explorer.handle = nextApp.getRequestHandler();
    explorer.upgrade = nextApp.getUpgradeHandler();
  }
  logger.info({ port, nodes: fleet.nodes().length, replica: cluster?.self.id }, 'control plane ready');
  return {
    url: `http://${config.host}:${port}`,
    port,
    token,
    fleet,
    prisma,
    get indexer() {
      return leading().indexer;
    },
    get monitor() {
      return leading().monitor;
    },
    get chaos() {
      return leading().chaos;
    },
    isLeader: () => leader !== null,
    stop,
  };
}

/** The leader's network verdict, from its /api/health; null when no leader answers within 2 s. */
async function leaderNetwork(registry: ReplicaRegistry): Promise<NetworkConsensus | null> {
  const leader = await registry.leader().catch(() => null);
  if (!leader) return null;
  try {
    const res = await fetch(new URL('/api/health', leader.url), { signal: AbortSignal.timeout(2_000) });
    return res.ok ? ((await res.json()) as HealthResponse).network : null;
  } catch {
    return null; // reported as 'unknown' with its reason by the health handler
  }
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
