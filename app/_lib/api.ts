// One place that knows the explorer API's URLs and React Query keys, so a page, a hook and a
// live-update handler always agree on which cache entry holds what.
import type { BlockResponse, BlocksResponse, HealthResponse, NodesResponse } from '../../wire/explorer-api.ts';

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

export const queryKeys = {
  health: () => ['health'] as const,
  nodes: () => ['nodes'] as const,
  latestBlocks: (limit: number) => ['blocks', 'latest', limit] as const,
  block: (id: string) => ['blocks', 'detail', id] as const,
};

export const api = {
  health: () => fetchJson<HealthResponse>('/api/health'),
  nodes: () => fetchJson<NodesResponse>('/api/nodes'),
  latestBlocks: (limit: number) => fetchJson<BlocksResponse>(`/api/blocks?limit=${limit}`),
  block: (id: string) => fetchJson<BlockResponse>(`/api/blocks/${encodeURIComponent(id)}`),
};
