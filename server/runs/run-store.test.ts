// Recorded runs against a real Postgres, through the control plane's router: a run is opened,
// closed with its history and verdict, listed with its summary, read whole; exported from one
// instance (database) and imported into another, it reads the same there; importing it again
// finds the first copy; a file whose verdict its history does not support is judged again; a
// malformed file, an unknown run and an import without the token are refused with codes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient, type PrismaClient } from '../db/client.ts';
import { startTestServer, type TestServer } from '../db/test-database.ts';
import { createServerRouter, type ApiDeps } from '../api/server-router.ts';
import { RUN_FILE_FORMAT, type ImportRunResponse, type RunFile, type RunResponse, type RunsResponse } from '../../wire/run-api.ts';
import type { ChainReading, RunHistory } from '../../wire/run-history.ts';
import { judgeRun } from '../experiments/verdict.ts';
import { RunStore } from './run-store.ts';

const TOKEN = 'run-store-test-token-0123456789';
const NODES = ['n1', 'n2', 'n3', 'n4'];
const hashOf = (height: number) => height.toString(16).padStart(64, '0');

/** A BFT run of 40 s: a partition from 10 to 20 s stalls finality at 10, which resumes at 22 s. */
function bftHistory(): RunHistory {
  const finalized: ChainReading[] = [];
  for (let s = 0; s < 40; s++) {
    const height = s <= 10 ? s : s < 22 ? 10 : s - 11;
    for (const nodeId of NODES) finalized.push({ nodeId, at: 1_000_000 + s * 1000, height, hash: hashOf(height) });
  }
  return {
    engine: 'bft',
    nodes: NODES,
    startedAt: 1_000_000,
    endedAt: 1_040_000,
    cutShort: false,
    recoveryBoundSec: 10,
    faults: [
      {
        id: 3,
        kind: 'partition',
        targets: NODES,
        appliedAt: 1_010_000,
        healedAt: 1_020_000,
        params: {
          groups: [
            ['n1', 'n2'],
            ['n3', 'n4'],
          ],
        },
      },
    ],
    heads: finalized,
    finalized,
    index: { missingBlocks: 0, invalidBlocks: 0, mismatchedNodes: [] },
  };
}

describe('recorded runs', { timeout: 120_000 }, () => {
  let server: TestServer;
  const instances: { prisma: PrismaClient; store: RunStore; app: ReturnType<typeof createServerRouter> }[] = [];

  before(async () => {
    server = await startTestServer();
    // Two instances of the control plane, each with its own database: export from one, import into the other.
    for (let i = 0; i < 2; i++) {
      const url = await server.createDatabase();
      await applyMigrations(url, { logger: pino({ level: 'silent' }) });
      const prisma = createPrismaClient(url, { maxConnections: 4 });
      const store = new RunStore(prisma);
      const app = createServerRouter({ runs: store, controlToken: TOKEN, logger: pino({ level: 'silent' }) } as unknown as ApiDeps);
      instances.push({ prisma, store, app });
    }
  });
  after(async () => {
    for (const i of instances) await i.prisma.$disconnect();
    await server?.stop();
  });

  const recordOne = async (store: RunStore) => {
    const history = bftHistory();
    const opened = await store.open({
      kind: 'experiment',
      name: 'split-brain',
      description: 'two halves, then heal',
      actor: 'cli',
      engine: 'bft',
      nodes: 4,
      seed: 0xfffffffe, // above int4: kept whole
      manifest: { name: 'split-brain', durationSec: 40 },
      schedule: [
        {
          at: 10,
          action: {
            kind: 'partition',
            groups: [
              ['node-1', 'node-2'],
              ['node-3', 'node-4'],
            ],
            durationSec: 10,
          },
        },
      ],
      startedAt: history.startedAt,
    });
    assert.equal(opened.status, 'running');
    assert.equal(opened.valid, null);
    return store.finish(opened.id, { status: 'finished', endedAt: history.endedAt, history, verdict: judgeRun(history), alerts: [] });
  };

  it('a run is listed with its summary and read whole', async () => {
    const { store, app } = instances[0];
    const run = await recordOne(store);
    assert.deepEqual(
      { status: run.status, valid: run.valid, faults: run.faults, seed: run.seed, median: run.recoveryMedianSec, max: run.recoveryMaxSec },
      { status: 'finished', valid: true, faults: 1, seed: 0xfffffffe, median: 2, max: 2 },
    );
    const list = (await (await app.request('/api/runs')).json()) as RunsResponse;
    assert.deepEqual(
      list.runs.map((r) => [r.id, r.name, r.engine, r.valid]),
      [[run.id, 'split-brain', 'bft', true]],
    );
    const res = await app.request(`/api/runs/${run.id}`);
    assert.equal(res.status, 200);
    const { run: detail } = (await res.json()) as RunResponse;
    assert.deepEqual(detail.history, bftHistory());
    assert.equal(detail.verdict?.valid, true);
    assert.equal(detail.schedule[0].action.kind, 'partition');
  });

  it('an exported run imports into another instance and reads the same there; importing again finds it', async () => {
    const [from, to] = instances;
    const id = (await from.store.list({ limit: 1 }))[0].id;
    const exported = await from.app.request(`/api/runs/${id}/export`);
    assert.equal(exported.status, 200);
    const file = (await exported.json()) as RunFile;
    assert.equal(file.format, RUN_FILE_FORMAT);
    assert.equal('id' in file.run, false);

    const post = (body: unknown) =>
      to.app.request('/api/runs/import', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const first = await post(file);
    assert.equal(first.status, 201);
    const imported = (await first.json()) as ImportRunResponse;
    assert.equal(imported.created, true);
    assert.notEqual(imported.run.importedAt, null);

    const original = ((await (await from.app.request(`/api/runs/${id}`)).json()) as RunResponse).run;
    const copy = ((await (await to.app.request(`/api/runs/${imported.run.id}`)).json()) as RunResponse).run;
    const { id: _a, importedAt: _b, ...sameA } = original;
    const { id: _c, importedAt: _d, ...sameB } = copy;
    assert.deepEqual(sameB, sameA);

    const again = (await (await post(file)).json()) as ImportRunResponse;
    assert.deepEqual([again.created, again.run.id], [false, imported.run.id]);
    assert.equal((await to.store.list({ limit: 10 })).length, 1);
  });

  it('a file claiming a verdict its history does not support is judged again on import, and says so', async () => {
    const [from, to] = instances;
    const file = await from.store.exportFile((await from.store.list({ limit: 1 }))[0].id);
    const history = bftHistory();
    // Node n4 finalizes another block at height 5: a safety violation the file's verdict hides.
    history.finalized = history.finalized.map((r) => (r.nodeId === 'n4' && r.height === 5 ? { ...r, hash: 'ee'.repeat(32) } : r));
    const forged: RunFile = { ...file, run: { ...file.run, uid: '00000000-0000-4000-8000-000000000001', history } };
    const { run, created } = await to.store.import(forged);
    assert.equal(created, true);
    assert.equal(run.valid, false);
    const detail = await to.store.get(run.id);
    assert.equal(detail.verdict?.safety.valid, false);
    assert.match(detail.error ?? '', /judged again on import: false \(the file said true\)/);
  });

  it('refuses a malformed file, an import without the token, and an unknown run, with codes', async () => {
    const { app } = instances[1];
    const post = (body: string, auth = true) =>
      app.request('/api/runs/import', { method: 'POST', headers: { ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}), 'content-type': 'application/json' }, body });
    const bad = await post(JSON.stringify({ format: 'something-else/9', exportedAt: 1, run: {} }));
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'RUN_FILE_INVALID');
    assert.equal((await post('{"format":', true)).status, 400);
    assert.equal((await post(JSON.stringify({}), false)).status, 401);
    const missing = await app.request('/api/runs/99999');
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'RUN_NOT_FOUND');
    assert.equal((await app.request('/api/runs/99999/export')).status, 404);
    assert.equal((await app.request('/api/runs?kind=nonsense')).status, 400);
  });

  it('a run left running by a process that died is closed as cancelled at the next start', async () => {
    const { store } = instances[1];
    const opened = await store.open({ kind: 'soak', name: 'soak', actor: 'cli', engine: 'poa', nodes: 4, seed: 1, manifest: {}, schedule: [], startedAt: Date.now() });
    assert.equal(await store.closeAbandoned(), 1);
    const closed = await store.get(opened.id);
    assert.deepEqual([closed.status, closed.valid], ['cancelled', 'unknown']);
    assert.match(closed.error ?? '', /stopped while this run was in progress/);
  });
});
