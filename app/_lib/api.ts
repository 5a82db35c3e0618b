// One place that knows the explorer API's URLs and React Query keys, so a page, a hook and a
// live-update handler always agree on which cache entry holds what.
import type {
  AlertsResponse,
  BlockResponse,
  BlocksResponse,
  EventsResponse,
  ForksResponse,
  HealthResponse,
  HeightsResponse,
  NetworkEvent,
  NodeDetailResponse,
  NodesResponse,
  PeersResponse,
  SearchResponse,
  TxResponse,
} from '../../wire/explorer-api.ts';

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson<T>(path: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiRequestError(0, 'SERVER_UNREACHABLE', 'The explorer server is not answering. Is `npm start` still running?');
  }
  const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (!res.ok) {
    throw new ApiRequestError(res.status, body?.error?.code ?? 'HTTP_ERROR', body?.error?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
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

function queryString(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export const queryKeys = {
  health: () => ['health'] as const,
  nodes: () => ['nodes'] as const,
  nodeHeights: (minutes: number) => ['node-heights', minutes] as const,
  nodeDetail: (id: string) => ['node-detail', id] as const,
  latestBlocks: (limit: number) => ['blocks', 'latest', limit] as const,
  blocksPage: (limit: number, before: number | undefined) => ['blocks', 'page', limit, before ?? 'newest'] as const,
  block: (id: string) => ['blocks', 'detail', id] as const,
  tx: (hash: string) => ['txs', hash] as const,
  search: (q: string) => ['search', q] as const,
  forks: (p: ForksParams) => ['forks', p.from ?? null, p.to ?? null, p.at ?? 'live'] as const,
  activeAlerts: () => ['alerts', 'active'] as const,
  /** The feed: the newest `others` events that are not new heads, plus the newest `heads` events of any kind. */
  eventFeed: (others: number, heads: number) => ['events', 'feed', others, heads] as const,
  peers: () => ['peers'] as const,
};

export const api = {
  health: () => fetchJson<HealthResponse>('/api/health'),
  nodes: () => fetchJson<NodesResponse>('/api/nodes'),
  nodeHeights: (minutes: number) => fetchJson<HeightsResponse>(`/api/nodes/heights?minutes=${minutes}`),
  nodeDetail: (id: string) => fetchJson<NodeDetailResponse>(`/api/nodes/${encodeURIComponent(id)}`),
  latestBlocks: (limit: number) => fetchJson<BlocksResponse>(`/api/blocks?limit=${limit}`),
  blocksPage: (limit: number, before: number | undefined) => fetchJson<BlocksResponse>(`/api/blocks${queryString({ limit, before })}`),
  block: (id: string) => fetchJson<BlockResponse>(`/api/blocks/${encodeURIComponent(id)}`),
  tx: (hash: string) => fetchJson<TxResponse>(`/api/txs/${encodeURIComponent(hash)}`),
  search: (q: string) => fetchJson<SearchResponse>(`/api/search?q=${encodeURIComponent(q)}`),
  forks: (p: ForksParams) => fetchJson<ForksResponse>(`/api/forks${queryString({ from: p.from, to: p.to, at: p.at })}`),
  activeAlerts: () => fetchJson<AlertsResponse>('/api/alerts?active=1'),
  /** The newest `limit` events, leaving out the kinds in `exclude` (e.g. ['head']). */
  events: (limit: number, exclude: readonly NetworkEvent['kind'][] = []) =>
    fetchJson<EventsResponse>(`/api/events${queryString({ limit, exclude: exclude.length ? exclude.join(',') : undefined })}`),
  peers: () => fetchJson<PeersResponse>('/api/peers'),
};
