// Test fixture: the control plane over a real local BFT testnet (real node processes on
// loopback, a real Postgres), with the reads BFT tests keep making: each node's finalized tip
// from its /health, its chain from its block pages, alerts by kind, chaos through the API.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { freePorts } from '../../lib/free-port.ts';
import { NodeApiClient } from '../../lib/http/node-client.ts';
import { MAX_BLOCKS_PAGE } from '../../wire/node-routes.ts';
import { testServerConfig } from './test-config.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import type { AlertsResponse, NodesResponse } from '../../wire/explorer-api.ts';
import type { ChaosActionResponse, ChaosRecord } from '../../wire/chaos-api.ts';

export interface Tip {
  height: number;
  hash: string | null;
  uptimeSec: number;
}

export interface BftPlane {
  plane: ControlPlane;
  db: TestDatabase;
  /** Node ids in the control plane's order (node-1 first). */
  ids: string[];
  names: Map<string, string>;
  clients: Map<string, NodeApiClient>;
  api<T>(path: string): Promise<T>;
  /** POST /api/chaos with the control token; asserts 201 and returns the record. */
  chaos(body: unknown): Promise<ChaosRecord>;
  tip(id: string): Promise<Tip>;
  tips(of?: string[]): Promise<Tip[]>;
  /** The node's block hashes at heights 1..upTo (index 0 = height 1), from its block pages. */
  chain(id: string, upTo: number): Promise<string[]>;
  /** Every node of `of` holds the same blocks at heights 1..upTo; returns them. */
  assertSameChain(upTo: number, of?: string[]): Promise<string[]>;
  alerts(kind: string): Promise<AlertsResponse['alerts']>;
  stop(): Promise<void>;
}

export const BFT_PLANE_TOKEN = 'test-control-token-0123456789';

export async function startBftPlane(opts: { nodes?: number; blockTimeMs: number; logLevel?: string }): Promise<BftPlane> {
  const logger = pino({ level: opts.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent' });
  const n = opts.nodes ?? 4;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bft-plane-it-'));
  const db = await withTestDatabase();
  const plane = await startControlPlane(
    testServerConfig({ dataDir, databaseUrl: db.url, nodes: n, blockTimeMs: opts.blockTimeMs, nodeBasePort: await freePorts(2 * n), txRate: 2, consensus: 'bft' }),
    { logger, serveExplorer: false },
  );
  const api = async <T>(p: string): Promise<T> => (await (await fetch(plane.url + p, { signal: AbortSignal.timeout(5_000) })).json()) as T;
  const nodes = await waitFor(
    async () => {
      const r = await api<NodesResponse>('/api/nodes');
      return r.nodes.length === n ? r.nodes : null;
    },
    { timeoutMs: 60_000, what: `the ${n} nodes known to the control plane` },
  );
  const sorted = [...nodes].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const ids = sorted.map((x) => x.id);
  // Local nodes' admin tokens, so tests can read a node's chaos state (GET /admin/chaos).
  const tokens = new Map((plane.fleet.testnet?.nodes() ?? []).map((l) => [l.url, l.adminToken]));
  const clients = new Map(sorted.map((x) => [x.id, new NodeApiClient(x.url, { timeoutMs: 3_000, adminToken: tokens.get(x.url) ?? null })]));

  const tip = async (id: string): Promise<Tip> => {
    const h = await clients.get(id)!.health();
    return { height: h.blockchain.finalized_height ?? 0, hash: h.blockchain.finalized_hash ?? null, uptimeSec: h.uptimeSec };
  };
  const chain = async (id: string, upTo: number): Promise<string[]> => {
    const out: string[] = [];
    for (let from = 1; from <= upTo; from += MAX_BLOCKS_PAGE) {
      const page = await clients.get(id)!.blocks(from, Math.min(MAX_BLOCKS_PAGE, upTo - from + 1));
      for (const b of page.blocks) {
        assert.equal(b.header.height, out.length + 1, `${id}: blocks page in height order`);
        out.push(b.hash);
      }
    }
    assert.equal(out.length, upTo, `${id} holds every block up to ${upTo}`);
    return out;
  };
  return {
    plane,
    db,
    ids,
    names: new Map(sorted.map((x) => [x.id, x.name])),
    clients,
    api,
    async chaos(body) {
      const res = await fetch(plane.url + '/api/chaos', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BFT_PLANE_TOKEN}` },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 201, `chaos ${JSON.stringify(body)}: HTTP ${res.status} ${await res.clone().text()}`);
      return ((await res.json()) as ChaosActionResponse).action;
    },
    tip,
    tips: (of = ids) => Promise.all(of.map(tip)),
    chain,
    async assertSameChain(upTo, of = ids) {
      const chains = await Promise.all(of.map((id) => chain(id, upTo)));
      for (let i = 1; i < chains.length; i++) assert.deepEqual(chains[i], chains[0], `${of[i]} and ${of[0]} hold the same finalized blocks up to ${upTo}`);
      return chains[0];
    },
    alerts: async (kind) => (await api<AlertsResponse>('/api/alerts?limit=500')).alerts.filter((a) => a.kind === kind),
    async stop() {
      await plane.stop();
      await db.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
