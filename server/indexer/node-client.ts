// Reads one node's HTTP API (/health, /blocks, /blocks/:id), validating every answer against
// the wire contract so a misbehaving node yields a clear error, not a corrupt index.
import { z } from 'zod';
import { BlockSchema, BlocksPageSchema, HealthSchema, type Block, type BlocksPage, type Health } from '../../wire/node-api.ts';

export class NodeRequestError extends Error {
  constructor(
    readonly code: 'NODE_UNREACHABLE' | 'NODE_BAD_RESPONSE' | 'NODE_NOT_FOUND',
    message: string,
    readonly url: string,
  ) {
    super(`${message} (${url})`);
  }
}

export class NodeClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  health(): Promise<Health> {
    return this.get('/health', HealthSchema);
  }

  /** Canonical blocks ascending from `from`. */
  blocks(from: number, limit: number): Promise<BlocksPage> {
    return this.get(`/blocks?from=${from}&limit=${limit}`, BlocksPageSchema);
  }

  block(hashOrHeight: string | number): Promise<Block> {
    return this.get(`/blocks/${hashOrHeight}`, BlockSchema);
  }

  private async get<T>(pathAndQuery: string, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(pathAndQuery, this.baseUrl).toString();
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new NodeRequestError('NODE_UNREACHABLE', `node did not answer: ${(err as Error).message}`, url);
    }
    if (res.status === 404) throw new NodeRequestError('NODE_NOT_FOUND', 'not found on node', url);
    if (!res.ok) throw new NodeRequestError('NODE_BAD_RESPONSE', `node answered HTTP ${res.status}`, url);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new NodeRequestError('NODE_BAD_RESPONSE', 'node answered with invalid JSON', url);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new NodeRequestError('NODE_BAD_RESPONSE', `node answer breaks the contract: ${parsed.error.issues[0]?.message}`, url);
    }
    return parsed.data;
  }
}

/** ws://host:port/stream?... from a node's http(s) base URL. */
export function streamUrl(baseUrl: string, cursor: { epoch: string; seq: number } | null): string {
  const u = new URL('/stream', baseUrl);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  if (cursor) {
    u.searchParams.set('epoch', cursor.epoch);
    u.searchParams.set('since', String(cursor.seq));
  }
  return u.toString();
}
