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
import { findFreePort } from './db/free-port.ts';
import { testServerConfig } from './testing/test-config.ts';
import { blocksMissingParent } from './testing/index-checks.ts';
import { waitFor } from '../node/testkit/wait-for.ts';
import type { BlocksResponse, HealthResponse, NodesResponse } from '../wire/explorer-api.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

describe('control plane over a partitioned testnet', { timeout: 240_000 }, () => {
  let db: TestDatabase;
  let plane: ControlPlane;
  let dataDir: string;
  const api = async <T>(p: string): Promise<T> => (await (await fetch(plane.url + p)).json()) as T;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'control-plane-it-'));
    db = await withTestDatabase();
    plane = await startControlPlane(testServerConfig({ dataDir, databaseUrl: db.url, nodes: 4, blockTimeMs: 300, nodeBasePort: await findFreePort(), txRate: 2 }), {
      logger,
      serveExplorer: false,
    });
  });

  after(async () => {
    await plane?.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function setRules(groupOf: (index: number) => number): Promise<void> {
    const nodes = plane.fleet.testnet!.nodes();
    const ids = await Promise.all(nodes.map(async (n) => ((await (await fetch(n.url + '/health')).json()) as { node: { id: string } }).node.id));
    await Promise.all(
      nodes.map(async (n, i) => {
        const rules = ids.filter((_, j) => groupOf(j) !== groupOf(i)).map((peer) => ({ peer, direction: 'both', drop: true }));
        const res = await fetch(n.url + '/admin/chaos/rules', {
          method: 'PUT',
          headers: { authorization: `Bearer ${n.adminToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ rules }),
        });
        assert.equal(res.status, 200, `rules accepted by ${n.name}`);
      }),
    );
  }

  it('sees the fork, stores both branches, and records reorgs and the convergence after the heal', async () => {
    await waitFor(async () => (await api<HealthResponse>('/api/health')).network.status === 'agreed', { timeoutMs: 60_000, what: 'agreement before the partition' });

    await setRules((i) => (i < 2 ? 0 : 1));
    const forked = await waitFor(
      async () => {
        const h = await api<HealthResponse>('/api/health');
        return h.network.status === 'forked' && h.network.forkHeight !== undefined ? h.network : null;
      },
      { timeoutMs: 60_000, what: 'the monitor to say forked' },
    );
    assert.equal(forked.groups?.length, 2);
    assert.deepEqual(forked.groups!.map((g) => g.length), [2, 2]);
    const nodes = (await api<NodesResponse>('/api/nodes')).nodes;
    assert.ok(nodes.some((n) => n.status === 'diverged'), 'one side is reported diverged');

    // Let both branches grow a few blocks past the fork, then heal.
    const forkHeight = forked.forkHeight!;
    await waitFor(async () => (await db.prisma.block.count({ where: { height: forkHeight + 2 } })) >= 2, { timeoutMs: 60_000, what: 'two branches 3 blocks deep in the index' });
    await setRules(() => 0);

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
    assert.ok(page.blocks.some((b) => b.orphaned), 'an orphaned block is listed');
    assert.equal(await blocksMissingParent(db.prisma), 0);

    const alerts = await db.prisma.alert.findMany({ where: { kind: 'divergence' } });
    assert.ok(alerts.length >= 1, 'a divergence alert was raised');
    assert.ok(alerts.every((a) => a.clearedAt !== null), 'and cleared after the heal');
  });
});
