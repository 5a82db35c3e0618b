// The control plane's JSON API under /api: parses and validates each request (zod), calls
// the query or monitor behind it, and answers JSON. Unknown paths and bad input get JSON
// errors with a fitting status; nothing here throws past the edge.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { BlockResponse, HealthResponse, NodesResponse } from '../../wire/explorer-api.ts';
import type { NetworkMonitor } from '../monitor/network-monitor.ts';
import type { ExplorerQueries } from './explorer-queries.ts';
import { ApiError, sendError, sendJson } from './http-error.ts';

export interface ApiDeps {
  queries: ExplorerQueries;
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

const HashOrHeight = z.string().regex(/^(\d{1,10}|[0-9a-fA-F]{64})$/, 'expected a block height or a 64-hex-digit hash');

function parseQuery<T>(schema: z.ZodType<T>, url: URL): T {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(400, 'BAD_QUERY', `${issue.path.join('.') || 'query'}: ${issue.message}`);
  }
  return parsed.data;
}

type Handler = (url: URL, params: string[]) => Promise<unknown>;

export function createApiRouter(deps: ApiDeps) {
  const routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [
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
      sendJson(res, 200, await route.handler(url, params));
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
