// Integration: the whole control plane (API only) over a real 4-node local testnet and a real
// Postgres. A 2|2 partition made through the nodes' admin API must show up as a fork, both
// branches must be stored, and after the heal the reorgs and the convergence are recorded.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startControlPlane, type ControlPlane } from './control-plane.ts';
import { withTestDatabase, type TestDatabase } from './db/test-database.ts';
import { freePorts } from '../lib/free-port.ts';
import { testServerConfig } from './testing/test-config.ts';
import { blocksMissingParent } from './testing/index-checks.ts';
import { waitFor } from '../node/testkit/wait-for.ts';
import { closedUnanswered, keptAliveConnection, trickleHeaders } from '../node/testkit/raw-socket.ts';
import type { BlocksResponse, HealthResponse, NodesResponse } from '../wire/explorer-api.ts';
import type { ChaosActionResponse, ChaosResponse } from '../wire/chaos-api.ts';

const CONN_CAP = 64;

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('control plane over a partitioned testnet', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let plane: ControlPlane;
  let dataDir: string;
  const api = async <T>(p: string): Promise<T> => (await (await fetch(plane.url + p)).json()) as T;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'control-plane-it-'));
    db = await withTestDatabase();
    plane = await startControlPlane(
      testServerConfig({
        dataDir,
        databaseUrl: db.url,
        nodes: 4,
        blockTimeMs: 300,
        nodeBasePort: await freePorts(8),
        txRate: 2,
        // A short headers timeout so the slow-client test is fast; every real request here sends its headers at once.
        httpLimits: { headersTimeoutMs: 1000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 30_000, maxConnectionsPerAddress: CONN_CAP },
      }),
      {
        logger,
        serveExplorer: false,
      },
    );
  });

  after(async () => {
    await plane?.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const token = 'test-control-token-0123456789';
  const chaos = (body: unknown, auth: string | null = token) =>
    fetch(plane.url + '/api/chaos', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('sees the fork, stores both branches, and records reorgs and the convergence after the heal', async () => {
    // Agreement among all four: the monitor can say agreed while a node it has not met yet is
    // still missing from /api/nodes, and a partition of the nodes known then leaves one out.
    await waitFor(
      async () => {
        const h = await api<HealthResponse>('/api/health');
        return h.network.status === 'agreed' && h.network.groups?.[0]?.length === 4;
      },
      { timeoutMs: 60_000, what: 'agreement of all four nodes before the partition' },
    );

    const ids = (await api<NodesResponse>('/api/nodes')).nodes.map((n) => n.id);
    assert.equal(ids.length, 4);
    const applied = await chaos({ kind: 'partition', groups: [ids.slice(0, 2), ids.slice(2)] });
    assert.equal(applied.status, 201);
    const record = ((await applied.json()) as ChaosActionResponse).action;
    assert.equal(record.status, 'applied');
    // Right after the cut a node still on the common head can sit with the other side for a
    // moment (groups [3, 1] were seen): wait for the fork along the partition, not the first
    // forked snapshot.
    const sides = [ids.slice(0, 2), ids.slice(2)].map((side) => [...side].sort().join(',')).sort();
    let lastNetwork: HealthResponse['network'] | null = null;
    const forked = await waitFor(
      async () => {
        const h = await api<HealthResponse>('/api/health');
        lastNetwork = h.network;
        const groups = (h.network.groups ?? []).map((g) => [...g].sort().join(',')).sort();
        return h.network.status === 'forked' && h.network.forkHeight !== undefined && groups.join('|') === sides.join('|') ? h.network : null;
      },
      { timeoutMs: 90_000, what: 'the monitor to say forked along the partition (groups [2, 2])' },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last network: ${JSON.stringify(lastNetwork)}`);
    });
    assert.deepEqual(
      forked.groups!.map((g) => g.length),
      [2, 2],
    );
    await waitFor(async () => (await api<NodesResponse>('/api/nodes')).nodes.some((n) => n.status === 'diverged'), { timeoutMs: 10_000, what: 'one side reported diverged' });

    // Let both branches grow a few blocks past the fork, then heal.
    const forkHeight = forked.forkHeight!;
    await waitFor(async () => (await db.prisma.block.count({ where: { height: forkHeight + 2 } })) >= 2, { timeoutMs: 60_000, what: 'two branches 3 blocks deep in the index' });
    // The alert is raised only once the fork has held for a while (alert-manager holdMs): heal
    // after it is up, not as soon as the branches are deep enough.
    await waitFor(async () => (await db.prisma.alert.count({ where: { kind: 'divergence', clearedAt: null } })) >= 1, {
      timeoutMs: 30_000,
      what: 'the divergence alert raised while forked',
    });
    assert.equal((await chaos({ kind: 'heal' })).status, 201);

    const healed = await waitFor(
      async () => {
        const h = await api<HealthResponse>('/api/health');
        return h.network.status === 'agreed' && h.network.lastConvergence ? h.network : null;
      },
      { timeoutMs: 90_000, what: 'agreement after the heal' },
    );
    assert.ok(healed.lastConvergence!.ms > 0, 'a convergence time was measured');

    // The losers' head history holds a reorg whose depth matches its own heads.
    // (The monitor judges from memory; the head history reaches Postgres with the next batch.)
    const reorgs = await waitFor(
      async () => {
        const rows = await db.prisma.headEvent.findMany({ where: { reorgDepth: { gt: 0 } } });
        return rows.length >= 2 ? rows : null;
      },
      { timeoutMs: 10_000, what: 'the losing side’s reorgs in the head history' },
    );
    for (const r of reorgs) {
      assert.ok(r.oldHeadHeight !== null && r.commonAncestorHeight !== null);
      assert.equal(r.reorgDepth, r.oldHeadHeight! - r.commonAncestorHeight!, 'depth = old head height − common ancestor height');
    }

    // Both branches stay in the index; the abandoned one is marked orphaned.
    const atFork = await db.prisma.block.findMany({ where: { height: forkHeight } });
    assert.ok(atFork.length >= 2, 'both blocks at the fork height are stored');
    const page = await api<BlocksResponse>(`/api/blocks?limit=50&before=${forkHeight + 4}`);
    assert.ok(
      page.blocks.some((b) => b.orphaned),
      'an orphaned block is listed',
    );
    assert.equal(await blocksMissingParent(db.prisma), 0);

    const alerts = await db.prisma.alert.findMany({ where: { kind: 'divergence' } });
    assert.ok(alerts.length >= 1, 'a divergence alert was raised');
    assert.ok(
      alerts.every((a) => a.clearedAt !== null),
      'and cleared after the heal',
    );

    const history = await api<ChaosResponse>('/api/chaos');
    assert.deepEqual(history.active, [], 'no fault active after heal');
    const partition = history.history.find((h) => h.id === record.id)!;
    assert.ok(partition.revertedAt !== null, 'the partition is recorded as reverted');
  });

  it('refuses chaos without the token (401), with a wrong one (403), and explains bad bodies (400)', async () => {
    const recorded = (await api<ChaosResponse>('/api/chaos')).history.length;
    assert.equal((await chaos({ kind: 'heal' }, null)).status, 401);
    assert.equal((await chaos({ kind: 'heal' }, 'wrong-token-xxxxxxxxxxxx')).status, 403);
    const cases: Array<[unknown, string]> = [
      ['not json', 'BAD_JSON'],
      [{ kind: 'explode' }, 'BAD_BODY'],
      [{ kind: 'partition', groups: [['a']] }, 'BAD_BODY'],
      [{ kind: 'loss', pct: 150 }, 'BAD_BODY'],
      [{ kind: 'pause', node: 'no-such-node' }, 'CHAOS_UNKNOWN_NODE'],
      [{ kind: 'equivocate', node: 'no-such-node' }, 'CHAOS_UNKNOWN_NODE'],
      [{ kind: 'delay-proposals', node: 'no-such-node' }, 'BAD_BODY'],
      [{ kind: 'reorder', target: {}, pct: 20, gap: 0 }, 'BAD_BODY'],
      [{ kind: 'corrupt', target: {}, pct: 5, correlation: 120 }, 'BAD_BODY'],
      [{ kind: 'bandwidth', target: {}, bytesPerSec: 1000, burst: -1 }, 'BAD_BODY'],
      [{ kind: 'corrupt', target: { node: 'no-such-node' }, pct: 5 }, 'CHAOS_UNKNOWN_NODE'],
    ];
    for (const [body, code] of cases) {
      const res = await chaos(body);
      assert.equal(res.status, 400, `400 for ${JSON.stringify(body)}`);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, code);
    }
    assert.equal((await api<ChaosResponse>('/api/chaos')).history.length, recorded, 'refused actions are not recorded');
  });

  it('records a byzantine fault on a PoA network as failed, with the node saying why (409 ENGINE_UNSUPPORTED)', async () => {
    const node = (await api<NodesResponse>('/api/nodes')).nodes[0];
    const res = await chaos({ kind: 'withhold-votes', node: node.id });
    assert.equal(res.status, 201);
    const { action } = (await res.json()) as { action: { status: string; result: Record<string, string>; targets: string[] } };
    assert.equal(action.status, 'failed');
    assert.deepEqual(action.targets, [node.id]);
    assert.match(action.result[node.name], /^HTTP 409: the poa engine has no byzantine faults/);
    assert.deepEqual((await api<ChaosResponse>('/api/chaos')).active, [], 'a failed fault is not active');
  });

  it('kills a node and restarts it through the API; the monitor sees it down, then back in sync', async () => {
    const node = (await api<NodesResponse>('/api/nodes')).nodes[3];
    assert.equal((await chaos({ kind: 'kill', node: node.id })).status, 201);
    await waitFor(async () => (await api<NodesResponse>('/api/nodes')).nodes.find((n) => n.id === node.id)?.status === 'down', { timeoutMs: 30_000, what: `${node.name} down` });
    assert.equal((await chaos({ kind: 'restart', node: node.id })).status, 201);
    await waitFor(async () => (await api<NodesResponse>('/api/nodes')).nodes.find((n) => n.id === node.id)?.status === 'in-sync', {
      timeoutMs: 60_000,
      what: `${node.name} back in sync`,
    });
    const kinds = (await api<ChaosResponse>('/api/chaos')).history.map((h) => h.kind);
    assert.ok(kinds.includes('kill') && kinds.includes('restart'));
  });

  it('cuts off a client that trickles its headers, and refuses an address over its connection cap', async () => {
    const { heldMs, answer } = await trickleHeaders(plane.url, '127.0.0.41', '/api/health');
    assert.ok(heldMs < 20_000, `held ${heldMs} ms (Node's defaults: 60-90 s)`);
    assert.match(answer, /^HTTP\/1.1 408/);

    const held = await Promise.all(Array.from({ length: CONN_CAP }, () => keptAliveConnection(plane.url, '127.0.0.42', '/api/health')));
    // Counted by the server as it accepts them; the next one from that address is destroyed unanswered.
    await waitFor(() => closedUnanswered(plane.url, '127.0.0.42', '/api/health'), { timeoutMs: 20_000, what: 'a connection over the cap closed unanswered' });
    assert.equal((await fetch(plane.url + '/api/health')).status, 200, 'other addresses are served');
    for (const h of held) h.destroy();
  });
});
