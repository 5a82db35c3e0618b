// The explorer's one registry of API requests and React Query keys, built from the route
// table (wire/server-routes.ts): `fetchRoute(id, input)` requests any route, `routeKey(id,
// input)` names its cache entry, and the named helpers below are what pages, hooks and
// live-update handlers use, so they always agree on which cache entry holds what.
import type { QueryKey } from '@tanstack/react-query';
import { routeUrl, type RouteInput, type RouteResponse } from '../../wire/http/route.ts';
import { serverRoutes, type ServerRoutes } from '../../wire/server-routes.ts';
import type { NetworkEvent } from '../../wire/explorer-api.ts';
import type { HeightWindow } from '../../wire/explorer-api.ts';
import type { ChaosAction } from '../../wire/chaos-api.ts';
import type { Scenario } from '../../wire/scenario.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type RouteId = keyof ServerRoutes;
export type ResponseOf<K extends RouteId> = RouteResponse<ServerRoutes[K]>;

/**
 * Requests one route of the table. Reads send only `accept`; writes send their JSON body with
 * the same-origin credentials (the httpOnly session cookie the chaos controls need).
 */
export async function fetchRoute<K extends RouteId>(id: K, input: RouteInput<ServerRoutes[K]>): Promise<ResponseOf<K>> {
  const spec = serverRoutes[id];
  const write = spec.method !== 'get';
  const body = (input as { body?: unknown }).body;
  let res: Response;
  try {
    res = await fetch(routeUrl(spec, input), {
      method: spec.method.toUpperCase(),
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(write ? { credentials: 'same-origin' as const } : {}),
    });
  } catch {
    throw new ApiRequestError(0, 'SERVER_UNREACHABLE', 'The explorer server is not answering. Is `npm start` still running?');
  }
  const json = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) throw new ApiRequestError(res.status, json?.error?.code ?? 'HTTP_ERROR', json?.error?.message ?? `HTTP ${res.status}`);
  return json as ResponseOf<K>;
}

function defined(o: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!o) return undefined;
  const out = Object.fromEntries(Object.entries(o).filter((e) => e[1] !== undefined));
  return Object.keys(out).length ? out : undefined;
}

/**
 * The cache key of a route's answer: the route id, then its params and query (unset fields
 * left out), then `view` parts that keep apart caches of one request which live updates treat
 * differently (e.g. the overview's latest blocks and the first page of /blocks).
 */
export function routeKey<K extends RouteId>(id: K, input: RouteInput<ServerRoutes[K]> | Record<string, never> = {}, ...view: unknown[]): QueryKey {
  const { params, query } = input as { params?: Record<string, unknown>; query?: Record<string, unknown> };
  const parts: unknown[] = [id];
  const p = defined(params);
  const q = defined(query);
  if (p) parts.push(p);
  if (q) parts.push(q);
  return [...parts, ...view];
}

/** Retry server and network failures, never a 4xx answer (it will not change by retrying). */
export function retryUnlessClientError(failures: number, err: Error): boolean {
  return !(err instanceof ApiRequestError && err.status >= 400 && err.status < 500) && failures < 3;
}

/** Which part of the block tree /api/forks should return; all optional (server defaults). */
export interface ForksParams {
  from?: number;
  to?: number;
  /** Time (ms) the tree should describe; omitted = now, following live data. */
  at?: number;
}

export const queryKeys = {
  health: () => routeKey('health'),
  nodes: () => routeKey('nodes'),
  nodeHeights: (window: HeightWindow) => routeKey('nodeHeights', { query: { window } }),
  nodeDetail: (id: string) => routeKey('nodeDetail', { params: { id } }),
  latestBlocks: (limit: number) => routeKey('blocks', { query: { limit } }, 'latest'),
  blocksPage: (limit: number, before: number | undefined) => routeKey('blocks', { query: { limit, before } }, 'page'),
  block: (id: string) => routeKey('block', { params: { id } }),
  tx: (hash: string) => routeKey('tx', { params: { hash } }),
  search: (q: string) => routeKey('search', { query: { q } }),
  account: (address: string) => routeKey('account', { params: { address } }),
  accountTxs: (address: string, cursor: string | undefined) => routeKey('accountTxs', { params: { address }, query: { cursor } }),
  forks: (p: ForksParams) => routeKey('forks', { query: { from: p.from, to: p.to, at: p.at } }),
  forkOverview: () => routeKey('forkOverview'),
  activeAlerts: () => routeKey('alerts', { query: { active: '1' } }),
  /** The feed: the newest `others` events that are not new heads, plus the newest `heads` events of any kind. */
  eventFeed: (others: number, heads: number) => routeKey('events', { query: { limit: others, exclude: 'head' } }, 'feed', heads),
  peers: () => routeKey('peers'),
  consensus: () => routeKey('consensus'),
};

export const api = {
  health: () => fetchRoute('health', {}),
  nodes: () => fetchRoute('nodes', {}),
  nodeHeights: (window: HeightWindow) => fetchRoute('nodeHeights', { query: { window } }),
  nodeDetail: (id: string) => fetchRoute('nodeDetail', { params: { id } }),
  latestBlocks: (limit: number) => fetchRoute('blocks', { query: { limit } }),
  blocksPage: (limit: number, before: number | undefined) => fetchRoute('blocks', { query: { limit, before } }),
  block: (id: string) => fetchRoute('block', { params: { id } }),
  tx: (hash: string) => fetchRoute('tx', { params: { hash } }),
  search: (q: string) => fetchRoute('search', { query: { q } }),
  account: (address: string) => fetchRoute('account', { params: { address } }),
  accountTxs: (address: string, cursor: string | undefined) => fetchRoute('accountTxs', { params: { address }, query: { cursor } }),
  forks: (p: ForksParams) => fetchRoute('forks', { query: { from: p.from, to: p.to, at: p.at } }),
  forkOverview: () => fetchRoute('forkOverview', {}),
  activeAlerts: () => fetchRoute('alerts', { query: { active: '1' } }),
  /** The newest `limit` events, leaving out the kinds in `exclude` (e.g. ['head']). */
  events: (limit: number, exclude: readonly NetworkEvent['kind'][] = []) => fetchRoute('events', { query: { limit, exclude: exclude.length ? exclude.join(',') : undefined } }),
  peers: () => fetchRoute('peers', {}),
  consensus: () => fetchRoute('consensus', {}),
};

// ---- the chaos page: history (public), sign-in session and actions (session cookie) ----------

export const chaosKeys = {
  actions: () => routeKey('chaos'),
  session: () => routeKey('session'),
  /** GET /api/scenarios: the example files and the recent runs (public). */
  scenarios: () => routeKey('scenarios'),
};

export const chaosApi = {
  list: () => fetchRoute('chaos', {}),
  session: () => fetchRoute('session', {}),
  /** The token goes to the server once; it answers with an httpOnly cookie the page cannot read. */
  signIn: (token: string) => fetchRoute('signIn', { body: { token } }),
  signOut: () => fetchRoute('signOut', {}),
  apply: (action: ChaosAction) => fetchRoute('applyChaos', { body: action }),
  scenarios: () => fetchRoute('scenarios', {}),
  /** Starts a run of an example file or a whole scenario; 409 SCENARIO_RUNNING while one runs. */
  runScenario: (body: { file: string } | { scenario: Scenario }) => fetchRoute('runScenario', { body }),
  /** Cancels a running run: it stops before its next step and heals; answers the run as stored ('cancelled'). */
  cancelScenario: (id: number) => fetchRoute('cancelScenario', { params: { id } }),
};

/** Whether an error means "not signed in (any more)". */
export function isAuthError(err: unknown): err is ApiRequestError {
  return err instanceof ApiRequestError && (err.status === 401 || err.status === 403);
}
