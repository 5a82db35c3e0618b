// Integration: storage faults on a real 4-node local testnet (PoA, 300 ms blocks). A node is
// killed, its block log damaged through POST /api/chaos (bytes cut off the end, bits flipped
// among the records, bits flipped in the file header), and restarted: it must start, report
// what it cut in /health.storage, catch back up to the others' chain from its peers, and
// neither it nor the index may hold a block the others do not. Refusals: a running node (409),
// an unknown node (400), a node that is not local (409).
import { after, afterEach, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { BlockLog } from '../../node/chain/block-log.ts';
import { blockLogPath } from '../../node/data-dir.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { startControlPlane } from '../control-plane.ts';
import { withTestDatabase } from '../db/test-database.ts';
import { blocksMissingParent, indexMatchesNodes, nodeChain } from '../testing/index-checks.ts';
import { startChaosTestnet, type ChaosTestnet } from '../testing/chaos-testnet.ts';
import { testServerConfig } from '../testing/test-config.ts';
import type { NodeStatus } from '../../wire/explorer-api.ts';
import type { ChaosRecord, ChaosResponse } from '../../wire/chaos-api.ts';
import { ScenarioSchema } from '../../wire/scenario.ts';
import { runScenario } from '../scenarios/scenario-runner.ts';
import type { Health, StorageRepair } from '../../wire/node-api.ts';

describe('storage faults on a stopped node of a 4-node testnet', { timeout: 420_000 }, () => {
  let net: ChaosTestnet;
  const health = (n: NodeStatus) => net.nodeGet<Health>(n, '/health');
  const localOf = (n: NodeStatus) => net.plane.fleet.testnet!.nodes().find((l) => l.name === n.name)!;
  const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  before(async () => {
    net = await startChaosTestnet({ nodes: 4, blockTimeMs: 300, txRate: 2, prefix: 'chaos-storage-it-' });
  });
  // A test that failed half-way must not leave a node down for the next one.
  afterEach(async () => {
    if (!net) return;
    for (const l of net.plane.fleet.testnet!.nodes()) if (!l.running) await net.plane.fleet.testnet!.restart(l.index);
    await net.agreed('agreement after the clean-up');
  });
  after(() => net?.stop());

  /**
   * Kills `n` once its log holds at least 20 blocks, applies `fault`, restarts it, and checks
   * the whole recovery; answers the record, the repair the node reported and the log as damaged.
   */
  async function damageAndRecover(
    t: TestContext,
    n: NodeStatus,
    fault: Record<string, unknown>,
  ): Promise<{ record: ChaosRecord; repair: StorageRepair; intact: number; damaged: Buffer }> {
    await waitFor(async () => (await health(n)).blockchain.height >= 20, { timeoutMs: 60_000, what: `${n.name} at height 20` });
    await net.chaos({ kind: 'kill', node: n.id });
    const file = blockLogPath(localOf(n).dataDir);
    const intact = BlockLog.parse(fs.readFileSync(file)).blocks.length;

    const record = await net.chaos({ ...fault, node: n.id });
    assert.deepEqual(record.targets, [n.id]);
    const damaged = fs.readFileSync(file);

    await net.chaos({ kind: 'restart', node: n.id });
    const restartedAt = Date.now();
    const repair = (await health(n)).storage?.lastRepair;
    assert.ok(repair, `${n.name} reports the repair of its log in /health.storage`);

    // Back with the others: in sync, the same chain, healthy.
    await net.agreed(`${n.name} caught up after ${String(fault.kind)}`, 90_000);
    t.diagnostic(
      `${String(fault.kind)}: ${record.result![n.name]}; the node kept ${repair.keptBlocks} of ${intact} blocks (${repair.reason}, ${repair.cutBytes} bytes cut) and was in sync ${Date.now() - restartedAt} ms after its restart`,
    );
    const others = (await net.nodes()).filter((o) => o.id !== n.id);
    // A fast resync can agree at the very height the node had stored (no slot passed meanwhile):
    // wait for every node, the repaired one included, to move past it.
    const height = await waitFor(
      async () => {
        const h = Math.min(...(await Promise.all([n, ...others].map(async (o) => (await health(o)).blockchain.height))));
        return h > intact ? h : null;
      },
      { timeoutMs: 60_000, what: `every node past the ${intact} blocks ${n.name} had stored` },
    );
    const [mine, theirs] = await Promise.all([nodeChain(n.url, height), nodeChain(others[0].url, height)]);
    assert.deepEqual(mine, theirs, `${n.name} serves the same chain as ${others[0].name} up to ${height}`);
    await waitFor(async () => (await health(n)).status === 'ok', { timeoutMs: 30_000, what: `${n.name} /health ok` });

    // The index: nothing without its parent, and every node's chain as the node serves it.
    const all = await net.nodes();
    await waitFor(
      async () => {
        const match = await indexMatchesNodes(net.plane.prisma, all, height);
        if (match !== true) throw new Error(match);
        return true;
      },
      { timeoutMs: 60_000, what: 'the index to match every node' },
    );
    assert.equal(await blocksMissingParent(net.plane.prisma), 0, 'no indexed block lacks its parent');
    const logged = fs.readFileSync(path.join(localOf(n).dataDir, 'node.log'), 'utf8').split('\n');
    assert.deepEqual(
      logged.filter((l) => l.includes('"level":"error"')),
      [],
      `${n.name} logged no error`,
    );
    assert.ok(
      logged.some((l) => l.includes('"level":"warn"') && l.includes(`"cutBytes":${repair.cutBytes}`)),
      `${n.name} logged a warning with the bytes it cut`,
    );
    return { record, repair, intact, damaged };
  }

  it('storage-truncate: refused while the node runs; once killed, the tail is cut, the node restarts, cuts the torn record and catches up', async (t) => {
    const n = (await net.nodes())[1];
    const running = await net.post({ kind: 'storage-truncate', node: n.id, bytes: 5000 });
    assert.equal(running.status, 409);
    assert.equal(await errorCode(running), 'CHAOS_NODE_RUNNING');

    const { record, repair, intact, damaged } = await damageAndRecover(t, n, { kind: 'storage-truncate', bytes: 5000 });
    assert.match(record.result![n.name], /^ok: cut 5000 of \d+ bytes$/);
    const left = BlockLog.parse(damaged);
    assert.ok(left.blocks.length < intact, `the cut took whole blocks (${left.blocks.length} of ${intact} left)`);
    assert.deepEqual(
      { reason: repair.reason, cutBytes: repair.cutBytes, keptBlocks: repair.keptBlocks, movedAside: repair.movedAside },
      { reason: left.truncateReason, cutBytes: left.truncatedBytes, keptBlocks: left.blocks.length, movedAside: null },
    );
  });

  it('storage-bitflip among the records: the node cuts at the first damaged record and catches up', async (t) => {
    const n = (await net.nodes())[2];
    const { record, repair, intact, damaged } = await damageAndRecover(t, n, { kind: 'storage-bitflip', flips: 6, seed: 1234 });
    assert.equal(record.params.seed, 1234);
    const flips = /^ok: flipped 6 bit\(s\) in the records of a \d+-byte log \(seed 1234\) at byte\.bit (.*)$/.exec(record.result![n.name]);
    assert.ok(flips, record.result![n.name]);
    const left = BlockLog.parse(damaged);
    assert.ok(left.blocks.length < intact, `a flipped record was found (${left.blocks.length} of ${intact} kept)`);
    assert.equal(repair.keptBlocks, left.blocks.length);
    assert.equal(repair.cutBytes, left.truncatedBytes);
    assert.ok(repair.reason.length > 0);
  });

  it('storage-bitflip in the header: the node starts, moves the file aside and resyncs from genesis', async (t) => {
    const n = (await net.nodes())[3];
    const { record, repair, damaged } = await damageAndRecover(t, n, { kind: 'storage-bitflip', flips: 2, where: 'header' });
    assert.equal(typeof record.params.seed, 'number', 'the drawn seed is recorded');
    assert.equal(repair.keptBlocks, 0);
    assert.equal(repair.reason, 'bad file header (not a block log)');
    assert.match(repair.movedAside ?? '', /^blocks\.log\.corrupt-\d+$/);
    const kept = path.join(localOf(n).dataDir, repair.movedAside!);
    assert.deepEqual(fs.readFileSync(kept), damaged, 'the damaged file is kept as it was');
  });

  it('the example scenario scenarios/disk-damage.json passes: three nodes damaged in turn, each back in sync', async (t) => {
    const file = fileURLToPath(new URL('../../scenarios/disk-damage.json', import.meta.url));
    const scenario = ScenarioSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
    const report = await runScenario(scenario, { baseUrl: net.plane.url, token: 'test-control-token-0123456789', pollMs: 250 });
    t.diagnostic(report.steps.map((s) => `${s.ok ? 'PASS' : 'FAIL'} t=${s.finishedAt.toFixed(1)}s ${s.what}: ${s.detail}`).join('; '));
    assert.deepEqual(
      report.steps.filter((s) => !s.ok),
      [],
    );
    assert.equal(report.passed, true);
    const damage = (await net.api<ChaosResponse>('/api/chaos')).history.filter((r) => r.kind.startsWith('storage-'));
    assert.ok(
      damage.length >= 3 && damage.slice(0, 3).every((r) => r.status === 'applied' && Object.values(r.result ?? {}).every((v) => v.startsWith('ok: '))),
      JSON.stringify(damage.slice(0, 3)),
    );
  });

  it('refuses an unknown node (400) and a node that is not local (409)', async () => {
    for (const body of [
      { kind: 'storage-truncate', node: 'no-such-node', bytes: 1 },
      { kind: 'storage-bitflip', node: 'no-such-node', flips: 1 },
    ]) {
      const res = await net.post(body);
      assert.equal(res.status, 400, body.kind);
      assert.equal(await errorCode(res), 'CHAOS_UNKNOWN_NODE');
    }
    const invalid = await net.post({ kind: 'storage-bitflip', node: (await net.nodes())[0].id, flips: 65 });
    assert.equal(invalid.status, 400, 'more than 64 flips is invalid');

    // A second control plane that only attaches to a node: its disk is not ours.
    const target = (await net.nodes())[0];
    const db = await withTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chaos-storage-attached-'));
    const attached = await startControlPlane(testServerConfig({ dataDir, databaseUrl: db.url, attach: [target.url] }), {
      logger: pino({ level: 'silent' }),
      serveExplorer: false,
    });
    try {
      const post = (body: unknown) =>
        fetch(attached.url + '/api/chaos', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer test-control-token-0123456789' },
          body: JSON.stringify(body),
        });
      await waitFor(async () => ((await (await fetch(attached.url + '/api/nodes')).json()) as { nodes: unknown[] }).nodes.length === 1, {
        timeoutMs: 30_000,
        what: 'the attached node known',
      });
      const res = await post({ kind: 'storage-bitflip', node: target.id, flips: 1 });
      assert.equal(res.status, 409);
      assert.equal(await errorCode(res), 'CHAOS_NOT_LOCAL');
    } finally {
      await attached.stop();
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
