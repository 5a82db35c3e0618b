// A small typed client of one node's HTTP API and /stream, for tests and the soak script.
import WebSocket from 'ws';
import type { RouteInput } from '../../wire/http/route.ts';
import { nodeRoutes, type NodeRoutes } from '../../wire/node-routes.ts';
import { StreamEventSchema, type Block, type ChaosState, type Health, type LinkRule, type PeerInfo, type StreamEvent } from '../../wire/node-api.ts';
import { NodeApiClient, NodeRequestError } from '../../lib/http/node-client.ts';

/** The shared node client (lib/http/node-client.ts) with what tests want on top. */
export class NodeClient {
  readonly api: NodeApiClient;

  constructor(
    readonly url: string,
    adminToken: string | null = null,
  ) {
    this.api = new NodeApiClient(url, { timeoutMs: 5000, adminToken });
  }

  health(): Promise<Health> {
    return this.api.health();
  }

  peers(): Promise<PeerInfo[]> {
    return this.api.peers();
  }

  blocks(from: number, limit: number) {
    return this.api.blocks(from, limit);
  }

  async block(hashOrHeight: string | number): Promise<Block | null> {
    try {
      return await this.api.block(hashOrHeight);
    } catch (err) {
      if (err instanceof NodeRequestError && err.code === 'NODE_NOT_FOUND') return null;
      throw err;
    }
  }

  metrics(): Promise<string> {
    return this.api.metricsText();
  }

  /** Sum of a counter's samples, optionally only those whose labels contain `labelFilter`. */
  async metric(name: string, labelFilter = ''): Promise<number> {
    const text = await this.metrics();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const m = /^([a-zA-Z0-9_:]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
      if (m && m[1] === name && (m[2] ?? '').includes(labelFilter)) sum += Number(m[3]);
    }
    return sum;
  }

  /** Any route of the table by method and path (e.g. 'PUT', '/admin/clock'), with a chosen token; the raw answer. */
  async admin(method: string, path: string, body?: unknown, token = this.api.adminToken): Promise<{ status: number; body: unknown }> {
    const id = (Object.keys(nodeRoutes) as (keyof NodeRoutes)[]).find((k) => nodeRoutes[k].method === method.toLowerCase() && nodeRoutes[k].path === path);
    if (!id) throw new Error(`no node route ${method} ${path}`);
    const r = await this.api.request(id, { body } as RouteInput<NodeRoutes[typeof id]>, token);
    return { status: r.status, body: r.body };
  }

  async setRules(rules: Array<Partial<LinkRule> & Pick<LinkRule, 'peer' | 'direction'>>): Promise<ChaosState> {
    const r = await this.admin('PUT', '/admin/chaos/rules', { rules });
    if (r.status !== 200) throw new Error(`set rules: ${r.status} ${JSON.stringify(r.body)}`);
    return nodeRoutes.adminSetRules.response.parse(r.body);
  }

  /** Opens /stream and collects every event (validated against the wire schema). */
  stream(query = ''): StreamRecorder {
    return new StreamRecorder(`${this.url.replace(/^http/, 'ws')}/stream${query}`);
  }
}

export class StreamRecorder {
  readonly events: StreamEvent[] = [];
  readonly invalid: unknown[] = [];
  private readonly ws: WebSocket;
  closed = false;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      const parsed = StreamEventSchema.safeParse(JSON.parse(String(data)));
      if (parsed.success) this.events.push(parsed.data);
      else this.invalid.push(JSON.parse(String(data)));
    });
    this.ws.on('error', () => {});
    this.ws.on('close', () => (this.closed = true));
  }

  of<T extends StreamEvent['type']>(type: T): Extract<StreamEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<StreamEvent, { type: T }> => e.type === type);
  }

  close(): void {
    this.ws.terminate();
  }
}
