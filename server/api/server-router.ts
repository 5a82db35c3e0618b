// The control plane's JSON API under /api: the handlers of wire/server-routes.ts, served
// through the shared router (lib/http), which validates input, checks the control token or
// session (and that browser writes come from this server's own origin), and maps errors to
// statuses. Handlers stay thin: each calls the read model, monitor or
// controller behind it.
import type { Logger } from 'pino';
import { createRouter, type Handlers } from '../../lib/http/router.ts';
import { tokensEqual } from '../../lib/http/auth.ts';
import { HttpError } from '../../lib/http/errors.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { SERVER_INVALID_CODES, serverRoutes } from '../../wire/server-routes.ts';
import type { NetworkConsensus, ReplicaStatus } from '../../wire/explorer-api.ts';
import type { NetworkMonitor } from '../monitor/network-monitor.ts';
import type { EventFeed } from '../monitor/event-feed.ts';
import type { PeerPoller } from '../monitor/peer-poller.ts';
import type { ExplorerQueries } from '../read/explorer-queries.ts';
import type { ForkQueries } from '../read/fork-queries.ts';
import type { HistoryQueries } from '../read/history-queries.ts';
import { heightSpan } from '../read/height-window.ts';
import type { ConsensusQueries } from '../read/consensus-queries.ts';
import type { AccountQueries } from '../read/account-queries.ts';
import type { ChaosController } from '../control/chaos-controller.ts';
import type { ScenarioService } from '../scenarios/scenario-service.ts';
import type { RunStore } from '../runs/run-store.ts';
import type { ExperimentService } from '../experiments/experiment-service.ts';
import type { SessionStore } from '../control/session-store.ts';
import { controlCredential, controlVerifier, httpsOnly, ownOrigins, sessionCookie, sessionId } from './session.ts';

export interface ApiDeps {
  chaos: ChaosController;
  scenarios: ScenarioService;
  runs: RunStore;
  experiments: ExperimentService;
  controlToken: string;
  /** Browser sessions (sign-in trades the token for one). */
  sessions: Pick<SessionStore, 'create' | 'isValid' | 'revoke' | 'ttlMs'>;
  /** PUBLIC_ORIGIN: the origins browsers reach this server at, when not `http://<Host>` (a proxy in front). */
  publicOrigins?: readonly string[];
  queries: ExplorerQueries;
  forks: ForkQueries;
  history: HistoryQueries;
  consensus: ConsensusQueries;
  accounts: AccountQueries;
  feed: EventFeed;
  peers: PeerPoller;
  monitor: NetworkMonitor;
  databaseHealth: () => Promise<{ ok: boolean; error: string | null }>;
  /** What the monitor says of the network (default: `monitor.consensus()`); a follower asks the leader's; null when none can say. */
  networkStatus?: () => NetworkConsensus | null | Promise<NetworkConsensus | null>;
  /** Set on a replica of a cluster (server/cluster): its id, role and the leader it knows. */
  replica?: () => Promise<ReplicaStatus>;
  startedAt: number;
  version: string;
  logger: Logger;
}

function handlers(deps: ApiDeps): Handlers<typeof serverRoutes> {
  const secureCookie = httpsOnly(deps.publicOrigins);
  return {
    health: async () => {
      const database = await deps.databaseHealth();
      return {
        status: database.ok ? 'ok' : 'degraded',
        server: { uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000), version: deps.version },
        database,
        network: (await (deps.networkStatus ? deps.networkStatus() : deps.monitor.consensus())) ?? {
          status: 'unknown',
          agreedHeight: null,
          reason: 'no monitor answered: this replica follows and no leader answered (see replica.leader)',
        },
        ...(deps.replica ? { replica: await deps.replica() } : {}),
        staleRate: database.ok ? await staleRateOrNull(deps) : null,
      };
    },
    consensus: () => deps.consensus.view(),
    nodes: () => deps.monitor.snapshot(),
    nodeHeights: async ({ query }) => {
      const now = Date.now();
      const { since, bucketMs } = heightSpan(query, now, query.window === 'all' ? await deps.history.firstHeadAt() : null);
      const [series, finalized] = await Promise.all([deps.history.heights(since, bucketMs, now), deps.history.finalizedHeights(since, bucketMs)]);
      return { since, bucketMs, series, ...(finalized ? { finalized } : {}) };
    },
    nodeDetail: async ({ params }) => {
      const node = deps.monitor.nodes().find((n) => n.id === params.id || n.name === params.id);
      if (!node) throw new CodedError('NODE_NOT_FOUND', `no node ${params.id} is known`);
      const [health, heads, alerts, reorgs] = await Promise.all([
        deps.history.health(node.id, 120),
        deps.history.heads(node.id, 100),
        deps.history.alerts({ activeOnly: false, nodeId: node.id, limit: 50 }),
        deps.forks.reorgs({ nodeId: node.id, limit: 50 }),
      ]);
      return { node, health, heads, peers: deps.peers.of(node.id), alerts, reorgs };
    },
    nodePeers: ({ params }) => {
      const node = deps.monitor.nodes().find((n) => n.id === params.id || n.name === params.id);
      if (!node) throw new CodedError('NODE_NOT_FOUND', `no node ${params.id} is known`);
      return { links: deps.peers.of(node.id), polledAt: deps.peers.polledAt };
    },
    blocks: ({ query }) => deps.queries.latestBlocks(query.limit, query.before),
    block: async ({ params }) => {
      const block = await deps.queries.block(params.id);
      if (!block) throw new CodedError('BLOCK_NOT_FOUND', `no block ${params.id} has been indexed`);
      return { block };
    },
    propagation: ({ query }) => deps.queries.propagation.propagation(query.blocks),
    tx: async ({ params }) => {
      const tx = await deps.queries.tx(params.hash);
      if (!tx) throw new CodedError('TX_NOT_FOUND', `no transaction ${params.hash} has been indexed`);
      return { tx };
    },
    account: async ({ params }) => ({ account: await deps.accounts.account(params.address) }),
    accountTxs: ({ params, query }) => deps.accounts.txs(params.address, query.limit, query.cursor),
    // Blocks, transactions and node names first; then an address or its prefix.
    search: async ({ query }) => {
      const found = await deps.queries.search(query.q);
      return found.result ? found : ((await deps.accounts.search(query.q)) ?? found);
    },
    forks: ({ query }) => deps.forks.tree(query),
    forkPoint: ({ query }) => deps.forks.forkPoint(query.a, query.b),
    forkOverview: () => deps.forks.overview(),
    alerts: async ({ query }) => ({ alerts: await deps.history.alerts({ activeOnly: query.active, limit: query.limit }) }),
    events: ({ query }) => ({ events: deps.feed.recent(query.limit, (e) => !query.exclude.has(e.kind)) }),
    peers: () => ({ links: deps.peers.all(), polledAt: deps.peers.polledAt }),
    chaos: () => deps.chaos.list(),
    applyChaos: async ({ body, actor }) => ({ action: await deps.chaos.apply(body, actor!) }),
    scenarios: async () => ({ examples: deps.scenarios.examples(), runs: await deps.scenarios.runs() }),
    runScenario: async ({ body, actor }) => ({ run: await deps.scenarios.start(body, actor!) }),
    cancelScenario: async ({ params }) => ({ run: await deps.scenarios.cancel(params.id) }),
    runs: async ({ query }) => ({ runs: await deps.runs.list(query) }),
    run: async ({ params }) => ({ run: await deps.runs.get(params.id) }),
    exportRun: ({ params }) => deps.runs.exportFile(params.id),
    importRun: ({ body }) => deps.runs.import(body),
    experiments: () => ({ examples: deps.experiments.examples() }),
    startRun: async ({ body, actor }) => ({ run: await deps.experiments.start(body, actor!) }),
    cancelRun: async ({ params }) => ({ run: await deps.experiments.cancel(params.id) }),
    session: async ({ authorised }) => ({ authorised: await authorised() }),
    signIn: async ({ body, setHeader }) => {
      if (!tokensEqual(deps.controlToken, body.token.trim())) throw new HttpError(403, 'FORBIDDEN', 'wrong control token');
      const session = await deps.sessions.create();
      setHeader('set-cookie', sessionCookie(session.id, Math.floor(deps.sessions.ttlMs / 1000), secureCookie));
      return { authorised: true };
    },
    signOut: async ({ header, setHeader }) => {
      const id = readableSessionId(header);
      if (id !== null) await deps.sessions.revoke(id);
      setHeader('set-cookie', sessionCookie(null, 0, secureCookie));
      return { authorised: false };
    },
  };
}

/** Heights /api/health's stale rate covers. */
const HEALTH_STALE_HEIGHTS = 100;

/** /api/health answers even when this read fails (its job is to say what is down): null, logged. */
async function staleRateOrNull(deps: ApiDeps) {
  try {
    return await deps.queries.propagation.staleRate(HEALTH_STALE_HEIGHTS);
  } catch (err) {
    deps.logger.warn({ err }, 'stale rate not read for /api/health');
    return null;
  }
}

/** The request's session id; null also when the cookie does not decode (it names no session, and signing out must still clear it). */
function readableSessionId(header: (name: string) => string | undefined): string | null {
  try {
    return sessionId(header);
  } catch (err) {
    if (err instanceof HttpError) return null;
    throw err;
  }
}

/** A dependency that is down (the database) answers 503 so clients retry; anything else is a bug: 500. */
function isUnavailable(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; severity?: unknown; meta?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  const name = typeof e.name === 'string' ? e.name : '';
  if (isDataException(e)) return false;
  return name.startsWith('PrismaClient') || name === 'DatabaseError' || e.severity !== undefined || (typeof e.code === 'string' && /^(ECONN|ETIMEDOUT|EPIPE|57P|08)/.test(e.code));
}

/**
 * Postgres refused a value (SQLSTATE class 22: out of range, invalid encoding, …) or Prisma did
 * before sending it: input the route schemas let through. A bug to fix (500, logged), not an
 * outage to retry (503).
 */
function isDataException(e: { name?: unknown; code?: unknown; meta?: unknown }): boolean {
  const meta = e.meta as { code?: unknown } | undefined;
  const sqlState = typeof meta?.code === 'string' ? meta.code : typeof e.code === 'string' ? e.code : '';
  return /^22[0-9A-Z]{3}$/.test(sqlState) || e.code === 'P2020' || e.name === 'PrismaClientValidationError';
}

export function createServerRouter(deps: ApiDeps) {
  return createRouter(serverRoutes, handlers(deps), {
    title: 'Testnet explorer control plane API',
    version: deps.version,
    description: 'Indexed chain data, network status, forks, alerts and the chaos controls of a local or attached testnet.',
    docPath: '/api/openapi.json',
    token: deps.controlToken,
    credential: controlCredential,
    verify: controlVerifier(deps.controlToken, deps.sessions),
    ownOrigins: ownOrigins(deps.publicOrigins),
    requireJsonContentType: true,
    authMessages: {
      missing: 'this action changes the network: sign in with the control token (or send Authorization: Bearer <token>)',
      wrong: 'wrong control token',
      expired: 'the session has ended (signed out, expired, or the control token was changed): sign in again',
    },
    invalidCodes: SERVER_INVALID_CODES,
    bodyLimit: 64 * 1024,
    unexpected: (err, path) =>
      isUnavailable(err)
        ? { status: 503, code: 'UNAVAILABLE', message: `could not answer ${path}: ${(err as Error).message.split('\n')[0]}` }
        : { status: 500, code: 'INTERNAL', message: 'internal error' },
    onUnexpected: (err, info) => deps.logger.error({ err, ...info }, 'API request failed'),
  });
}
