// The one client of a node's HTTP API, built from wire/node-routes.ts: the indexer, the
// chaos controller, the peer poller, tests, benchmarks and scripts all read nodes through it.
// Answers are validated against the wire contract, so a misbehaving node yields a clear error,
// not a corrupt index.
import type { RouteInput, RouteResponse } from '../../wire/http/route.ts';
import { nodeRoutes, type NodeRoutes } from '../../wire/node-routes.ts';
import type { AccountAtHead, Block, BlocksPage, ChaosState, ConsensusState, Health, PeerInfo } from '../../wire/node-api.ts';
import { callRoute, routeRequest } from './client.ts';

export type NodeRequestErrorCode = 'NODE_UNREACHABLE' | 'NODE_BAD_RESPONSE' | 'NODE_NOT_FOUND';

export class NodeRequestError extends Error {
  override readonly name = 'NodeRequestError';
  constructor(
    readonly code: NodeRequestErrorCode,
    /** What went wrong, without the URL. */
    readonly reason: string,
    readonly url: string,
    /** The HTTP status when the node answered. */
    readonly status: number | null = null,
  ) {
    super(`${reason} (${url})`);
  }
}

export interface NodeClientOptions {
  timeoutMs?: number;
  /** Bearer token for /admin/* routes. */
  adminToken?: string | null;
}

type Id = keyof NodeRoutes;

export class NodeApiClient {
  readonly timeoutMs: number;
  readonly adminToken: string | null;

  constructor(
    readonly baseUrl: string,
    opts: NodeClientOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.adminToken = opts.adminToken ?? null;
  }

  /** The raw answer (status and parsed JSON, or text for /metrics); throws NODE_UNREACHABLE when the node does not answer. */
  async request<K extends Id>(id: K, input: RouteInput<NodeRoutes[K]>, token: string | null = this.adminToken): Promise<{ status: number; body: unknown; url: string }> {
    const spec = nodeRoutes[id];
    const target = routeRequest(this.baseUrl, spec, input).url;
    let answer: Awaited<ReturnType<typeof callRoute>>;
    try {
      answer = await callRoute(this.baseUrl, spec, input, { timeoutMs: this.timeoutMs, token: spec.auth === 'token' ? token : null });
    } catch (err) {
      throw new NodeRequestError('NODE_UNREACHABLE', `node did not answer: ${(err as Error).message}`, target);
    }
    const { res, url } = answer;
    if ('format' in spec && spec.format === 'text') return { status: res.status, body: await res.text(), url };
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw new NodeRequestError('NODE_BAD_RESPONSE', 'node answered with invalid JSON', url, res.status);
    }
    return { status: res.status, body, url };
  }

  /** A successful answer, checked against the route's response schema; any other answer throws NodeRequestError. */
  async call<K extends Id>(id: K, input: RouteInput<NodeRoutes[K]>): Promise<RouteResponse<NodeRoutes[K]>> {
    const { status, body, url } = await this.request(id, input);
    if (status === 404) throw new NodeRequestError('NODE_NOT_FOUND', 'not found on node', url, status);
    if (status < 200 || status >= 300) {
      throw new NodeRequestError('NODE_BAD_RESPONSE', `node answered HTTP ${status}`, url, status);
    }
    const parsed = nodeRoutes[id].response.safeParse(body);
    if (!parsed.success) throw new NodeRequestError('NODE_BAD_RESPONSE', `node answer breaks the contract: ${parsed.error.issues[0]?.message}`, url, status);
    return parsed.data as RouteResponse<NodeRoutes[K]>;
  }

  health(): Promise<Health> {
    return this.call('health', {});
  }

  /** The engine's status and round state (GET /consensus); a node from before it answers NODE_NOT_FOUND. */
  consensus(): Promise<ConsensusState> {
    return this.call('consensus', {});
  }

  async peers(): Promise<PeerInfo[]> {
    return (await this.call('peers', {})).peers;
  }

  /** Canonical blocks ascending from `from` (at most 500). */
  blocks(from: number, limit: number): Promise<BlocksPage> {
    return this.call('blocks', { query: { from, limit } });
  }

  block(hashOrHeight: string | number): Promise<Block> {
    return this.call('block', { params: { id: String(hashOrHeight) } });
  }

  /** An account as of the node's head (GET /accounts/{address}); a node from before it answers NODE_NOT_FOUND. */
  account(address: string): Promise<AccountAtHead> {
    return this.call('account', { params: { address } });
  }

  metricsText(): Promise<string> {
    return this.call('metrics', {});
  }

  chaos(): Promise<ChaosState> {
    return this.call('adminChaos', {});
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
