// A small typed client of one node's HTTP API and /stream, for tests and the soak script.
import WebSocket from 'ws';
import {
  BlockSchema,
  BlocksPageSchema,
  ChaosStateSchema,
  HealthSchema,
  PeerInfoSchema,
  StreamEventSchema,
  type Block,
  type ChaosState,
  type Health,
  type LinkRule,
  type PeerInfo,
  type StreamEvent,
} from '../../wire/node-api.ts';
import { z } from 'zod';

export class NodeClient {
  constructor(
    readonly url: string,
    private readonly adminToken: string | null = null,
  ) {}

  private async get(path: string): Promise<Response> {
    return fetch(this.url + path, { signal: AbortSignal.timeout(5000) });
  }

  async health(): Promise<Health> {
    return HealthSchema.parse(await (await this.get('/health')).json());
  }

  async peers(): Promise<PeerInfo[]> {
    return z.object({ peers: z.array(PeerInfoSchema) }).parse(await (await this.get('/peers')).json()).peers;
  }

  async blocks(from: number, limit: number) {
    return BlocksPageSchema.parse(await (await this.get(`/blocks?from=${from}&limit=${limit}`)).json());
  }

  async block(hashOrHeight: string | number): Promise<Block | null> {
    const res = await this.get(`/blocks/${hashOrHeight}`);
    if (res.status === 404) return null;
    return BlockSchema.parse(await res.json());
  }

  async metrics(): Promise<string> {
    return (await this.get('/metrics')).text();
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

  async admin(method: string, path: string, body?: unknown, token = this.adminToken): Promise<{ status: number; body: unknown }> {
    const res = await fetch(this.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token !== null ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    return { status: res.status, body: await res.json() };
  }

  async setRules(rules: Array<Partial<LinkRule> & Pick<LinkRule, 'peer' | 'direction'>>): Promise<ChaosState> {
    const r = await this.admin('PUT', '/admin/chaos/rules', { rules });
    if (r.status !== 200) throw new Error(`set rules: ${r.status} ${JSON.stringify(r.body)}`);
    return ChaosStateSchema.parse(r.body);
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
