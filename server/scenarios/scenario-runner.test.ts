// Integration: scenarios run against a real control plane and report per step; a scenario
// whose expectation does not hold fails. The shipped example files must parse.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { withTestDatabase, type TestDatabase } from '../db/test-database.ts';
import { freePorts } from '../../lib/free-port.ts';
import { testServerConfig } from '../testing/test-config.ts';
import { ScenarioSchema, type Scenario } from '../../wire/scenario.ts';
import { runScenario } from './scenario-runner.ts';
import type { ScenarioRunRecord, ScenariosResponse } from '../../wire/scenario.ts';
import type { ChaosResponse } from '../../wire/chaos-api.ts';
import type { NodesResponse } from '../../wire/explorer-api.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const token = 'test-control-token-0123456789';
/** A 2|2 partition step's action, by node name. */
const SPLIT_2_2 = {
  kind: 'partition',
  groups: [
    ['node-1', 'node-2'],
    ['node-3', 'node-4'],
  ],
};

describe('scenario runner', { timeout: 180_000 }, () => {
  let db: TestDatabase;
  let plane: ControlPlane;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'scenario-it-'));
    db = await withTestDatabase();
    plane = await startControlPlane(testServerConfig({ dataDir, databaseUrl: db.url, nodes: 4, blockTimeMs: 300, nodeBasePort: await freePorts(8), txRate: 1 }), {
      logger: pino({ level: 'silent' }),
      serveExplorer: false,
    });
    // The scenarios name node-1 … node-4: all of them must be known first.
    await waitFor(async () => ((await (await fetch(`${plane.url}/api/nodes`)).json()) as NodesResponse).nodes.length === 4, { timeoutMs: 30_000, what: 'four nodes known' });
  });
  after(async () => {
    await plane?.stop();
    await db?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ships example scenarios that parse', () => {
    const files = readdirSync(path.join(root, 'scenarios')).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 3);
    for (const f of files) ScenarioSchema.parse(JSON.parse(readFileSync(path.join(root, 'scenarios', f), 'utf8')));
  });

  it('runs a short split-brain scenario and passes every step', async () => {
    const scenario: Scenario = ScenarioSchema.parse({
      name: 'short split-brain',
      steps: [
        { at: 0, expect: { kind: 'agreement', withinSec: 60 } },
        { at: 0, do: SPLIT_2_2 },
        { at: 0, expect: { kind: 'forked', withinSec: 20 } },
        { at: 0, do: { kind: 'heal' } },
        { at: 0, expect: { kind: 'agreement', withinSec: 30 } },
        { at: 0, expect: { kind: 'max-reorg-depth', depth: 100 } },
      ],
    });
    const report = await runScenario(scenario, { baseUrl: plane.url, token });
    assert.equal(report.steps.length, 6);
    assert.deepEqual(
      report.steps.filter((s) => !s.ok),
      [],
      'every step passed',
    );
    assert.equal(report.passed, true);
    const kinds = (await db.prisma.chaosAction.findMany({ orderBy: { id: 'asc' } })).map((a) => a.kind);
    assert.deepEqual(kinds.slice(0, 2), ['partition', 'heal']);
  });

  it('fails a scenario whose expectation does not hold, and says why', async () => {
    const report = await runScenario(ScenarioSchema.parse({ name: 'wrong', steps: [{ at: 0, expect: { kind: 'forked', withinSec: 1 } }] }), { baseUrl: plane.url, token });
    assert.equal(report.passed, false);
    assert.match(report.steps[0].detail, /still network (agreed|stalled|unknown)/);
  });

  it('reports an unknown node name as a failed step', async () => {
    const report = await runScenario(ScenarioSchema.parse({ name: 'typo', steps: [{ at: 0, do: { kind: 'pause', node: 'node-99' } }] }), { baseUrl: plane.url, token });
    assert.equal(report.passed, false);
    assert.match(report.steps[0].detail, /no node named node-99/);
  });

  it('runs a scenario started through the API and stores its report; refuses without the token', async () => {
    const post = (body: unknown, auth = true) =>
      fetch(`${plane.url}/api/scenarios/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    assert.equal((await post({ file: 'split-brain.json' }, false)).status, 401);
    assert.equal((await post({ file: 'nope.json' })).status, 404);
    const listed = (await (await fetch(`${plane.url}/api/scenarios`)).json()) as ScenariosResponse;
    assert.ok(listed.examples.some((e) => e.file === 'split-brain.json'));
    const started = await post({ scenario: { name: 'api run', steps: [{ at: 0, expect: { kind: 'agreement', withinSec: 60 } }] } });
    assert.equal(started.status, 201);
    const { run } = (await started.json()) as { run: { id: number; status: string } };
    assert.equal(run.status, 'running');
    const done = await waitFor(
      async () => {
        const r = ((await (await fetch(`${plane.url}/api/scenarios`)).json()) as ScenariosResponse).runs.find((x) => x.id === run.id);
        return r && r.status !== 'running' ? r : null;
      },
      { timeoutMs: 90_000, what: 'the scenario run to finish' },
    );
    assert.equal(done.status, 'passed');
    assert.equal(done.report?.steps.length, 1);
  });

  const postJson = (path: string, body?: unknown, auth = true) =>
    fetch(`${plane.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

  it('refuses a scenario at submit, whole: an unknown step kind, an unknown node, too many steps, times out of bounds → 400 SCENARIO_INVALID naming the step', async () => {
    const agree = { at: 0, expect: { kind: 'agreement', withinSec: 10 } };
    const cases: Array<{ steps: unknown[]; path: RegExp }> = [
      { steps: [agree, { at: 1, do: { kind: 'nuke' } }], path: /steps\.1\.do\.kind/ },
      { steps: [agree, { at: 1, do: { kind: 'latency', target: { node: 'node-1' }, delayMs: 10_000_000 } }], path: /steps\.1\.do\.delayMs/ },
      { steps: [agree, { at: 1, do: { kind: 'pause', node: 'node-99' } }], path: /steps\.1\.do\.node: no node named node-99/ },
      { steps: [{ at: 0, do: { kind: 'partition', groups: [['node-1'], ['node-2', 'nope']] } }], path: /steps\.0\.do\.groups\.1\.1: no node named nope/ },
      { steps: Array.from({ length: 101 }, () => agree), path: /steps: at most 100 steps/ },
      { steps: [{ at: 3601, expect: { kind: 'agreement', withinSec: 10 } }], path: /steps\.0\.at/ },
      { steps: [{ at: 0, expect: { kind: 'agreement', withinSec: 3601 } }], path: /steps\.0\.expect\.withinSec/ },
    ];
    for (const c of cases) {
      const res = await postJson('/api/scenarios/run', { scenario: { name: 'bad', steps: c.steps } });
      const error = await errorOf(res);
      assert.equal(res.status, 400, JSON.stringify(error));
      assert.equal(error.code, 'SCENARIO_INVALID');
      assert.match(error.message, c.path);
    }
    const listed = (await (await fetch(`${plane.url}/api/scenarios`)).json()) as ScenariosResponse;
    assert.equal(listed.runs.filter((r) => r.name === 'bad').length, 0, 'nothing refused was stored');
  });

  it('cancels a running scenario: it stops before its next step, heals what it applied, and is stored as cancelled', async () => {
    const started = await postJson('/api/scenarios/run', {
      scenario: {
        name: 'to cancel',
        steps: [
          { at: 0, do: SPLIT_2_2 },
          { at: 0, expect: { kind: 'forked', withinSec: 60 } },
          // Far away: the run is cancelled long before these.
          { at: 900, do: { kind: 'pause', node: 'node-1' } },
          { at: 900, expect: { kind: 'agreement', withinSec: 30 } },
        ],
      },
    });
    assert.equal(started.status, 201);
    const { run } = (await started.json()) as { run: ScenarioRunRecord };
    const chaos = async () => (await (await fetch(`${plane.url}/api/chaos`)).json()) as ChaosResponse;
    await waitFor(async () => (await chaos()).active.some((a) => a.kind === 'partition'), { timeoutMs: 30_000, what: "the run's partition to be active" });

    assert.equal((await postJson(`/api/scenarios/${run.id}/cancel`, undefined, false)).status, 401);
    const cancelled = await postJson(`/api/scenarios/${run.id}/cancel`);
    assert.equal(cancelled.status, 200);
    const record = ((await cancelled.json()) as { run: ScenarioRunRecord }).run;
    assert.equal(record.status, 'cancelled');
    assert.equal(record.report?.cancelled, true);
    assert.ok(record.finishedAt !== null);
    assert.ok((record.report?.steps.length ?? 0) < 4, `only the steps before the cancel ran: ${JSON.stringify(record.report?.steps)}`);
    assert.equal(record.report?.steps[0].what, 'do partition');

    // Healed: no fault left active, the network agrees again, and the far step never ran.
    assert.deepEqual((await chaos()).active, []);
    await waitFor(async () => ((await (await fetch(`${plane.url}/api/health`)).json()) as { network: { status: string } }).network.status === 'agreed', {
      timeoutMs: 60_000,
      what: 'agreement after the cancelled run healed',
    });
    assert.ok(!(await chaos()).history.some((a) => a.kind === 'pause' && a.at >= run.startedAt), 'the pause step never ran');
    const stored = ((await (await fetch(`${plane.url}/api/scenarios`)).json()) as ScenariosResponse).runs.find((r) => r.id === run.id);
    assert.equal(stored?.status, 'cancelled');

    const again = await postJson(`/api/scenarios/${run.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal((await errorOf(again)).code, 'SCENARIO_NOT_RUNNING');
    const unknown = await postJson('/api/scenarios/999999/cancel');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'SCENARIO_RUN_NOT_FOUND');
    const bad = await postJson('/api/scenarios/2147483648/cancel');
    assert.equal(bad.status, 400);
  });
});
