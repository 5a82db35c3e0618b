// The control plane's JSON API under /api: parses and validates each request (zod), calls
// the query or monitor behind it, and answers JSON. Unknown paths and bad input get JSON
// errors with a fitting status; nothing here throws past the edge.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import type {
  AlertsResponse,
  BlockResponse,
  EventsResponse,
  ForkPointResponse,
  ForksResponse,
  HealthResponse,
  HeightsResponse,
  NodeDetailResponse,
  NodesResponse,
  PeersResponse,
  SearchResponse,
  TxResponse,
} from '../../wire/explorer-api.ts';
import type { NetworkMonitor } from '../monitor/network-monitor.ts';
import type { EventFeed } from '../monitor/event-feed.ts';
import type { PeerPoller } from '../monitor/peer-poller.ts';
import type { ExplorerQueries } from './explorer-queries.ts';
import { MAX_FORK_RANGE, type ForkQueries } from './fork-queries.ts';
import type { HistoryQueries } from './history-queries.ts';
import { ApiError, readJsonBody, sendError, sendJson } from './http-error.ts';
import { ChaosActionSchema, type ChaosActionResponse, type ChaosResponse, type SessionResponse } from '../../wire/chaos-api.ts';
import type { ChaosController } from '../control/chaos-controller.ts';
import type { ScenarioService } from '../scenarios/scenario-service.ts';
import { ScenarioRunRequestSchema, type ScenarioRunRecord, type ScenariosResponse } from '../../wire/scenario.ts';
import { isAuthorised, requireControl, setSessionCookie } from '../control/auth.ts';
import { tokenMatches } from '../control/control-token.ts';

export interface ApiDeps {
  chaos: ChaosController;
  scenarios: ScenarioService;
  controlToken: string;
  queries: ExplorerQueries;
  forks: ForkQueries;
  history: HistoryQueries;
  feed: EventFeed;
  peers: PeerPoller;
  monitor: NetworkMonitor;
  databaseHealth: () => Promise<{ ok: boolean; error: string | null }>;
  startedAt: number;
  version: string;
  logger: Logger;
}

const BlocksQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(25),
  before: z.coerce.number().int().min(0).optional(),
});

const Hash = z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected a 64-hex-digit hash');
const Instant = z.union([z.coerce.number().int().positive(), z.string().datetime().transform((t) => Date.parse(t))]);
const ForksQuery = z
  .object({
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    at: Instant.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, 'from must not be above to')
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from < MAX_FORK_RANGE, `at most ${MAX_FORK_RANGE} heights at once`);
const ForkPointQuery = z.object({ a: z.string().min(1), b: z.string().min(1) });
const SearchQuery = z.object({ q: z.string().max(200).default('') });
const AlertsQuery = z.object({
  active: z.enum(['0', '1', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const EventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Comma-separated kinds to leave out, e.g. exclude=head. */
  exclude: z
    .string()
    .optional()
    .transform((v) => new Set((v ?? '').split(',').map((k) => k.trim()).filter(Boolean))),
});
const HeightsQuery = z.object({ minutes: z.coerce.number().min(0.5).max(120).default(5) });

const SessionBody = z.object({ token: z.string().min(1, 'token required').max(512) });

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(400, 'BAD_BODY', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return parsed.data;
}

const HashOrHeight = z.string().regex(/^(\d{1,10}|[0-9a-fA-F]{64})$/, 'expected a block height or a 64-hex-digit hash');

function parseQuery<T>(schema: z.ZodType<T>, url: URL): T {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(400, 'BAD_QUERY', `${issue.path.join('.') || 'query'}: ${issue.message}`);
  }
  return parsed.data;
}

type Handler = (url: URL, params: string[], req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

export function createApiRouter(deps: ApiDeps) {
  const routes: Array<{ method: string; pattern: RegExp; handler: Handler; created?: boolean }> = [
    {
      method: 'GET',
      pattern: /^\/api\/health$/,
      handler: async (): Promise<HealthResponse> => {
        const database = await deps.databaseHealth();
        return {
          status: database.ok ? 'ok' : 'degraded',
          server: { uptimeSec: Math.round((Date.now() - deps.startedAt) / 1000), version: deps.version },
          database,
          network: deps.monitor.consensus(),
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/nodes$/,
      handler: async (): Promise<NodesResponse> => ({ nodes: deps.monitor.nodes() }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/blocks$/,
      handler: async (url) => {
        const q = parseQuery(BlocksQuery, url);
        return deps.queries.latestBlocks(q.limit, q.before);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/blocks\/([^/]+)$/,
      handler: async (_url, [raw]): Promise<BlockResponse> => {
        const id = HashOrHeight.safeParse(decodeURIComponent(raw));
        if (!id.success) throw new ApiError(400, 'BAD_BLOCK_ID', id.error.issues[0].message);
        const block = await deps.queries.block(id.data);
        if (!block) throw new ApiError(404, 'BLOCK_NOT_FOUND', `no block ${id.data} has been indexed`);
        return { block };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/txs\/([^/]+)$/,
      handler: async (_url, [raw]): Promise<TxResponse> => {
        const hash = Hash.safeParse(decodeURIComponent(raw));
        if (!hash.success) throw new ApiError(400, 'BAD_TX_HASH', hash.error.issues[0].message);
        const tx = await deps.queries.tx(hash.data);
        if (!tx) throw new ApiError(404, 'TX_NOT_FOUND', `no transaction ${hash.data} has been indexed`);
        return { tx };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/search$/,
      handler: async (url): Promise<SearchResponse> => deps.queries.search(parseQuery(SearchQuery, url).q),
    },
    {
      method: 'GET',
      pattern: /^\/api\/forks$/,
      handler: async (url): Promise<ForksResponse> => deps.forks.tree(parseQuery(ForksQuery, url)),
    },
    {
      method: 'GET',
      pattern: /^\/api\/forks\/point$/,
      handler: async (url): Promise<ForkPointResponse> => {
        const q = parseQuery(ForkPointQuery, url);
        return deps.forks.forkPoint(q.a, q.b);
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/alerts$/,
      handler: async (url): Promise<AlertsResponse> => {
        const q = parseQuery(AlertsQuery, url);
        return { alerts: await deps.history.alerts({ activeOnly: q.active, limit: q.limit }) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/events$/,
      handler: async (url): Promise<EventsResponse> => {
        const q = parseQuery(EventsQuery, url);
        return { events: deps.feed.recent(q.limit, (e) => !q.exclude.has(e.kind)) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/peers$/,
      handler: async (): Promise<PeersResponse> => ({ links: deps.peers.all(), polledAt: deps.peers.polledAt }),
    },
    {
      method: 'GET',
      pattern: /^\/api\/nodes\/heights$/,
      handler: async (url): Promise<HeightsResponse> => {
        const since = Date.now() - parseQuery(HeightsQuery, url).minutes * 60_000;
        return { since, series: await deps.history.heights(since) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/nodes\/([^/]+)$/,
      handler: async (_url, [raw]): Promise<NodeDetailResponse> => {
        const id = decodeURIComponent(raw);
        const node = deps.monitor.nodes().find((n) => n.id === id || n.name === id);
        if (!node) throw new ApiError(404, 'NODE_NOT_FOUND', `no node ${id} is known`);
        const [health, heads, alerts, reorgs] = await Promise.all([
          deps.history.health(node.id, 120),
          deps.history.heads(node.id, 100),
          deps.history.alerts({ activeOnly: false, nodeId: node.id, limit: 50 }),
          deps.forks.reorgs({ nodeId: node.id, limit: 50 }),
        ]);
        return { node, health, heads, peers: deps.peers.of(node.id), alerts, reorgs };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/chaos$/,
      handler: async (): Promise<ChaosResponse> => deps.chaos.list(),
    },
    {
      method: 'POST',
      pattern: /^\/api\/chaos$/,
      created: true,
      handler: async (_url, _p, req): Promise<ChaosActionResponse> => {
        const actor = requireControl(req, deps.controlToken);
        const action = parseBody(ChaosActionSchema, await readJsonBody(req));
        return { action: await deps.chaos.apply(action, actor) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/scenarios$/,
      handler: async (): Promise<ScenariosResponse> => ({ examples: deps.scenarios.examples(), runs: await deps.scenarios.runs() }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/scenarios\/run$/,
      created: true,
      handler: async (_url, _p, req): Promise<{ run: ScenarioRunRecord }> => {
        const actor = requireControl(req, deps.controlToken);
        const body = parseBody(ScenarioRunRequestSchema, await readJsonBody(req, 256 * 1024));
        return { run: await deps.scenarios.start(body, actor) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/session$/,
      handler: async (_url, _p, req): Promise<SessionResponse> => ({ authorised: isAuthorised(req, deps.controlToken) }),
    },
    {
      method: 'POST',
      pattern: /^\/api\/session$/,
      handler: async (_url, _p, req, res): Promise<SessionResponse> => {
        const { token } = parseBody(SessionBody, await readJsonBody(req));
        if (!tokenMatches(deps.controlToken, token.trim())) throw new ApiError(403, 'FORBIDDEN', 'wrong control token');
        setSessionCookie(res, token.trim());
        return { authorised: true };
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/session$/,
      handler: async (_url, _p, _req, res): Promise<SessionResponse> => {
        setSessionCookie(res, null);
        return { authorised: false };
      },
    },
  ];

  /** Answers the request when it is an /api request; returns false otherwise. */
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') return false;
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    if (matching.length === 0) {
      sendError(res, 404, 'NOT_FOUND', `no API endpoint ${url.pathname}`);
      return true;
    }
    const route = matching.find((r) => r.method === req.method);
    if (!route) {
      res.setHeader('allow', matching.map((r) => r.method).join(', '));
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`);
      return true;
    }
    try {
      const params = route.pattern.exec(url.pathname)!.slice(1);
      const body = await route.handler(url, params, req, res);
      sendJson(res, req.method === 'POST' && route.created ? 201 : 200, body);
    } catch (err) {
      if (err instanceof ApiError) {
        sendError(res, err.status, err.code, err.message);
      } else {
        deps.logger.error({ err, path: url.pathname }, 'API request failed');
        // A database outage surfaces as 503 so clients retry; details stay in the log.
        sendError(res, 503, 'UNAVAILABLE', `could not answer ${url.pathname}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    return true;
  };
}
