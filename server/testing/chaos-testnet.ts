// Test harness: one control plane over a real local testnet, with the few calls chaos tests make
// (the server API, a node's own API, POST /api/chaos asserting it applied, waiting for
// agreement). For integration tests only; everything is real (processes, Postgres, HTTP).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { freePorts } from '../../lib/free-port.ts';
import { testServerConfig } from './test-config.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import type { HealthResponse, NodeStatus, NodesResponse } from '../../wire/explorer-api.ts';
import type { ChaosRecord, ChaosResponse } from '../../wire/chaos-api.ts';
import { acceptedRecord, chaosPoster } from './chaos-client.ts';

const token = 'test-control-token-0123456789';

export interface ChaosTestnet {
  plane: ControlPlane;
  api<T>(p: string): Promise<T>;
  nodeGet<T>(n: NodeStatus, p: string): Promise<T>;
  nodes(): Promise<NodeStatus[]>;
  /** POST /api/chaos with the control token; the raw response. */
  post(body: unknown): Promise<Response>;
  /** POST /api/chaos, asserting 201 and status 'applied'. */
  chaos(body: unknown): Promise<ChaosRecord>;
  /** Every node in sync and the monitor saying agreed. */
  agreed(what: string, timeoutMs?: number): Promise<void>;
  /** Heal what is still active (after a test that failed half-way) and wait for agreement. */
  cleanUp(): Promise<void>;
  stop(): Promise<void>;
}

export async function startChaosTestnet(opts: { nodes: number; blockTimeMs: number; txRate: number; prefix: string }): Promise<ChaosTestnet> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  const db: TestDatabase = await withTestDatabase();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = testServerConfig({
    dataDir,
    databaseUrl: db.url,
    nodes: opts.nodes,
    maxNodes: opts.nodes,
    blockTimeMs: opts.blockTimeMs,
    nodeBasePort: await freePorts(2 * opts.nodes),
    txRate: opts.txRate,
  });
  const plane = await startControlPlane(config, { logger, serveExplorer: false });

  const api = async <T>(p: string): Promise<T> => (await (await fetch(plane.url + p, { signal: AbortSignal.timeout(5_000) })).json()) as T;
  const nodeGet = async <T>(n: NodeStatus, p: string): Promise<T> => {
    const res = await fetch(new URL(p, n.url), { signal: AbortSignal.timeout(3_000) });
    if (!res.ok) throw new Error(`${n.name} ${p}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const nodes = async () => (await api<NodesResponse>('/api/nodes')).nodes;
  const post = chaosPoster(plane.url, token);
  const chaos = async (body: unknown): Promise<ChaosRecord> => {
    const record = await acceptedRecord(await post(body), body);
    assert.equal(record.status, 'applied', `${JSON.stringify(body)} applied: ${JSON.stringify(record.result)}`);
    return record;
  };
  const agreed = async (what: string, timeoutMs = 60_000) => {
    await waitFor(
      async () => {
        const [h, ns] = await Promise.all([api<HealthResponse>('/api/health'), nodes()]);
        return h.network.status === 'agreed' && ns.every((n) => n.status === 'in-sync');
      },
      { timeoutMs, what },
    );
  };
  const cleanUp = async () => {
    if ((await api<ChaosResponse>('/api/chaos')).active.length === 0) return;
    await chaos({ kind: 'heal' });
    await agreed('agreement after the clean-up heal');
  };
  const stop = async () => {
    await plane.stop();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };

  await waitFor(async () => (await nodes()).length === opts.nodes, { timeoutMs: 30_000, what: `${opts.nodes} nodes known` });
  await agreed('agreement at the start', 90_000);
  return { plane, api, nodeGet, nodes, post, chaos, agreed, cleanUp, stop };
}
