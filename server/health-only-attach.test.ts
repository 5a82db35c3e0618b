// Integration: a control plane ATTACHed to four real nodes of one local testnet (PoA, 500 ms
// blocks), two followed fully and two marked health-only (`health+…`: only GET /health is
// read). All four are listed with heights and the network agrees; then, through the nodes' own
// admin API (the control plane has no chaos on health-only nodes), a health-only node is cut
// off (divergence names it), paused (its stall names it) and killed (node-down names it, with
// the failed read); the node detail API says it serves only its health; the height chart has
// its line. Real processes on loopback, real Postgres.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { LocalTestnet, type LocalNodeInfo } from '../node/testnet/local-testnet.ts';
import { freePorts } from '../lib/free-port.ts';
import { NodeApiClient } from '../lib/http/node-client.ts';
import { waitFor } from '../node/testkit/wait-for.ts';
import { startControlPlane, type ControlPlane } from './control-plane.ts';
import { withTestDatabase, type TestDatabase } from './db/test-database.ts';
import { testServerConfig } from './testing/test-config.ts';
import { parseAttachList, type HealthOnlyTarget } from './indexer/health-target.ts';
import type { AlertsResponse, HealthResponse, HeightsResponse, NodeDetailResponse, NodeStatus, NodesResponse } from '../wire/explorer-api.ts';
import type { LinkRule } from '../wire/node-api.ts';

describe('a control plane attached to two full and two health-only nodes', { timeout: 600_000 }, () => {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  let dataDir: string;
  let testnet: LocalTestnet;
  let db: TestDatabase;
  let plane: ControlPlane;
  let healthOnly: HealthOnlyTarget[];
  let local: LocalNodeInfo[];

  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(plane.url + p, { signal: AbortSignal.timeout(5_000) });
    if (!res.ok) throw new Error(`${p}: HTTP ${res.status}`);
    return (await res.json()) as T;
  };
  const nodes = async () => (await api<NodesResponse>('/api/nodes')).nodes;
  const byId = async (id: string) => (await nodes()).find((n) => n.id === id);
  const admin = (n: LocalNodeInfo) => new NodeApiClient(n.url, { adminToken: n.adminToken, timeoutMs: 5_000 });
  const activeAlerts = async () => (await api<AlertsResponse>('/api/alerts?active=1')).alerts;
  const agreed = (what: string) =>
    waitFor(
      async () => {
        const [h, ns] = await Promise.all([api<HealthResponse>('/api/health'), nodes()]);
        return h.network.status === 'agreed' && ns.length === 4 && ns.every((n) => n.status === 'in-sync' && n.height !== null);
      },
      { timeoutMs: 90_000, what },
    );
  const setRules = async (n: LocalNodeInfo, rules: Array<Partial<LinkRule> & Pick<LinkRule, 'peer' | 'direction'>>) => {
    const { status } = await admin(n).request('adminSetRules', { body: { rules: rules as LinkRule[] } });
    assert.equal(status, 200, `rules on ${n.name}`);
  };

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'health-only-it-'));
    testnet = new LocalTestnet({ nodes: 4, maxNodes: 4, basePort: await freePorts(8), blockTimeMs: 500, dataDir: path.join(dataDir, 'testnet'), txRate: 1 }, { logger });
    await testnet.start();
    local = testnet.nodes();
    const parsed = parseAttachList([local[0].url, local[1].url, `health+${local[2].url}`, `health+${local[3].url}#name=seed-3`]);
    assert.ok(parsed.ok);
    healthOnly = parsed.value.flatMap((e) => (e.kind === 'health-only' ? [e.target] : []));
    db = await withTestDatabase();
    plane = await startControlPlane(
      testServerConfig({ dataDir: path.join(dataDir, 'plane'), databaseUrl: db.url, blockTimeMs: 500, attach: [local[0].url, local[1].url], attachHealthOnly: healthOnly }),
      { logger, serveExplorer: false },
    );
  });
  after(async () => {
    await plane?.stop();
    await db?.stop();
    await testnet?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists all four with heights, the health-only ones marked, and the network agrees', async () => {
    await agreed('four nodes in sync and agreed');
    const ns = await nodes();
    const marked = ns.filter((n) => n.healthOnly).map((n) => [n.id, n.name, n.url, n.peers]);
    assert.deepEqual(
      marked.sort(),
      [
        [healthOnly[0].id, healthOnly[0].name, local[2].url, null],
        [healthOnly[1].id, 'seed-3', local[3].url, null],
      ].sort(),
    );
    // The full nodes keep their own ids and names (from their /health).
    assert.deepEqual(
      ns
        .filter((n) => !n.healthOnly)
        .map((n) => n.name)
        .sort(),
      [local[0].name, local[1].name].sort(),
    );
  });

  it('the node detail says health-only, with its head history and no peers; the height chart has its line', async () => {
    const id = healthOnly[1].id;
    const detail = await waitFor(
      async () => {
        const d = await api<NodeDetailResponse>(`/api/nodes/${id}`);
        return d.heads.length >= 3 ? d : null;
      },
      { timeoutMs: 60_000, what: 'head history of the health-only node' },
    );
    assert.equal(detail.node.healthOnly, true);
    assert.deepEqual([detail.peers, detail.health], [[], []]);
    assert.ok(detail.heads.every((h) => /^[0-9a-f]{64}$/.test(h.hash)));
    const heights = await api<HeightsResponse>('/api/nodes/heights?minutes=5');
    const line = heights.series.find((s) => s.nodeId === id);
    assert.ok(line && line.points.length > 0, 'a height line for seed-3');
    assert.equal(line.name, 'seed-3');
  });

  it('a health-only node cut off from its peers diverges, and the divergence alert names it', async () => {
    const seed = local[3];
    await setRules(seed, [{ peer: '*', direction: 'both', drop: true }]);
    try {
      const alert = await waitFor(
        async () => {
          const [n, alerts] = await Promise.all([byId(healthOnly[1].id), activeAlerts()]);
          return n?.status === 'diverged' ? alerts.find((a) => a.kind === 'divergence' && a.message.includes('seed-3')) : undefined;
        },
        { timeoutMs: 120_000, what: 'divergence naming seed-3' },
      );
      // seed-3's own branch is not indexed (it serves no blocks): the split height is not known.
      assert.match(alert.message, /^Nodes diverged \(split height unknown\): .*\| seed-3$|^Nodes diverged \(split height unknown\): seed-3 \|/);
    } finally {
      await setRules(seed, []);
    }
    await agreed('agreement after the cut is lifted');
  });

  it('a paused health-only node stalls, and the stall alert names it', async () => {
    const paused = local[2];
    const name = healthOnly[0].name;
    await admin(paused).request('adminPause', {});
    try {
      const alert = await waitFor(async () => (await activeAlerts()).find((a) => a.kind === 'stall' && a.nodeId === healthOnly[0].id), {
        timeoutMs: 90_000,
        what: `stall alert for ${name}`,
      });
      assert.match(alert.message, new RegExp(`^${name.replace(/\./g, '\\.')} stalled at height \\d+: no new head for \\d+ s`));
    } finally {
      await admin(paused).request('adminResume', {});
    }
    await agreed('agreement after the resume');
  });

  it('a killed health-only node is down with the failed read, alerted by name; it is followed again after a restart', async () => {
    const killed = local[3];
    await testnet.kill(killed.index);
    const down = await waitFor(async () => ((await byId(healthOnly[1].id))?.status === 'down' ? byId(healthOnly[1].id) : undefined), {
      timeoutMs: 60_000,
      what: 'seed-3 down',
    });
    assert.match((down as NodeStatus).statusReason ?? '', new RegExp(`^GET ${killed.url}/health: `));
    const alert = await waitFor(async () => (await activeAlerts()).find((a) => a.kind === 'node-down' && a.nodeId === healthOnly[1].id), {
      timeoutMs: 60_000,
      what: 'node-down alert for seed-3',
    });
    assert.match(alert.message, /^seed-3 is down: GET /);
    // The other three still share one chain.
    assert.equal((await api<HealthResponse>('/api/health')).network.status === 'forked', false);
    await testnet.restart(killed.index);
    await agreed('agreement after the restart');
    assert.equal(
      (await activeAlerts()).some((a) => a.kind === 'node-down'),
      false,
    );
  });
});
