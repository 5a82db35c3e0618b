// Experiments started through the API against a real running network (4 PoA node processes,
// Postgres, the control plane in process): the run is listed, pushed on 'runs:update', and
// finishes with its fault recorded on its resolved targets and a verdict that holds; only one
// run at a time (experiments and scenarios share the slot); a cancelled run is healed and stored
// 'cancelled' with a verdict of unknown; a scenario run is recorded as a run of kind 'scenario';
// bad requests are refused with codes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { ChaosResponse } from '../../wire/chaos-api.ts';
import type { ExperimentsResponse, RunResponse, RunsResponse, RunSummary } from '../../wire/run-api.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { startChaosTestnet, type ChaosTestnet } from '../testing/chaos-testnet.ts';
import { uploadRunFile } from '../runs/run-upload.ts';
import { ControlPlaneRequestError } from '../../lib/http/control-plane-client.ts';
import type { RunFile } from '../../wire/run-api.ts';

const TOKEN = 'test-control-token-0123456789';

/** A 2|2 partition at 1 s for 5 s; the run lasts 10 s. */
const shortSplit = {
  name: 'short split from the server',
  testnet: { engine: 'bft', nodes: 4 },
  durationSec: 10,
  schedule: {
    kind: 'steps',
    steps: [
      {
        at: 1,
        do: {
          kind: 'partition',
          groups: [
            ['node-1', 'node-2'],
            ['node-3', 'node-4'],
          ],
          durationSec: 5,
        },
      },
    ],
  },
  checks: { recoveryBoundSec: 30 },
};

describe('experiments on the running network', { timeout: 600_000 }, () => {
  let net: ChaosTestnet;
  let socket: Socket;
  const pushed: RunSummary[] = [];

  before(async () => {
    net = await startChaosTestnet({ nodes: 4, blockTimeMs: 500, txRate: 1, prefix: 'experiment-service-' });
    socket = io(net.plane.url, { transports: ['websocket'] });
    socket.on('runs:update', (run: RunSummary) => pushed.push(run));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.emit('subscribe', ['runs']);
  });
  after(async () => {
    socket?.disconnect();
    await net?.stop();
  });

  const post = (path: string, body?: unknown, auth = true) =>
    fetch(net.plane.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${TOKEN}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
  const runOf = async (id: number) => (await net.api<RunResponse>(`/api/runs/${id}`)).run;
  const closed = (id: number, what: string) =>
    waitFor(
      async () => {
        const run = await runOf(id);
        return run.status !== 'running' ? run : null;
      },
      { timeoutMs: 180_000, intervalMs: 500, what },
    );

  it('lists the example experiment files', async () => {
    const { examples } = await net.api<ExperimentsResponse>('/api/experiments');
    assert.ok(
      examples.some((e) => e.file === 'split-brain.json' && e.experiment.name.length > 0),
      JSON.stringify(examples.map((e) => e.file)),
    );
  });

  it('runs an experiment on the running network: listed, pushed, its fault recorded on its resolved targets, valid; a second start meanwhile is refused', async () => {
    assert.equal((await post('/api/runs', { experiment: shortSplit }, false)).status, 401);
    const started = await post('/api/runs', { experiment: shortSplit });
    assert.equal(started.status, 201, await started.clone().text());
    const { run } = (await started.json()) as { run: RunSummary };
    assert.equal(run.status, 'running');
    assert.equal(run.kind, 'experiment');
    // The running network, not the file's description (a BFT testnet of 4).
    assert.equal(run.engine, 'poa');
    assert.equal(run.nodes, 4);
    assert.ok(run.seed !== null && Number.isInteger(run.seed), 'a seed was drawn and recorded');
    assert.ok((await net.api<RunsResponse>('/api/runs')).runs.some((r) => r.id === run.id && r.status === 'running'));

    const again = await post('/api/runs', { file: 'split-brain.json' });
    assert.equal(again.status, 409);
    assert.equal((await errorOf(again)).code, 'RUN_IN_PROGRESS');
    const scenario = await post('/api/scenarios/run', { scenario: { name: 'meanwhile', steps: [{ at: 0, expect: { kind: 'agreement', withinSec: 10 } }] } });
    assert.equal(scenario.status, 409);
    assert.equal((await errorOf(scenario)).code, 'RUN_IN_PROGRESS');

    const done = await closed(run.id, 'the experiment run to close');
    assert.equal(done.status, 'finished', done.error ?? '');
    assert.match(done.description, /Run on the running network \(4 poa nodes\); the file describes 4 bft nodes/);
    assert.equal(done.schedule.length, 1);
    const history = done.history!;
    assert.equal(history.faults.length, 1, JSON.stringify(history.faults));
    const [fault] = history.faults;
    assert.equal(fault.kind, 'partition');
    assert.deepEqual([...fault.targets].sort(), [...history.nodes].sort());
    assert.equal(history.nodes.length, 4);
    assert.ok(fault.healedAt !== null && fault.healedAt - fault.appliedAt >= 4_000, `healed ${fault.healedAt! - fault.appliedAt} ms after applied`);
    assert.equal(done.verdict?.valid, true, JSON.stringify(done.verdict));
    assert.equal(done.valid, true);
    assert.equal(done.faults, 1);
    await waitFor(() => pushed.some((r) => r.id === run.id && r.status === 'running') && pushed.some((r) => r.id === run.id && r.status === 'finished'), {
      timeoutMs: 10_000,
      what: "'runs:update' pushes of the run opening and closing",
    });
  });

  it('refuses an experiment naming an unknown node (400 EXPERIMENT_INVALID with the field), an unknown example (404), an invalid file (400)', async () => {
    const bad = structuredClone(shortSplit);
    bad.schedule.steps.push({ at: 2, do: { kind: 'pause', node: 'node-99' } as never });
    const res = await post('/api/runs', { experiment: bad });
    const error = await errorOf(res);
    assert.equal(res.status, 400, JSON.stringify(error));
    assert.equal(error.code, 'EXPERIMENT_INVALID');
    assert.match(error.message, /schedule\.steps\.1\.do\.node: no node named node-99/);
    const missing = await post('/api/runs', { file: 'nope.json' });
    assert.equal(missing.status, 404);
    assert.equal((await errorOf(missing)).code, 'EXPERIMENT_NOT_FOUND');
    const invalid = await post('/api/runs', { experiment: { ...shortSplit, durationSec: 0 } });
    assert.equal(invalid.status, 400);
    assert.equal((await errorOf(invalid)).code, 'EXPERIMENT_INVALID');
    assert.equal((await net.api<RunsResponse>('/api/runs')).runs.filter((r) => r.name === shortSplit.name).length, 1, 'nothing refused was stored');
  });

  it('cancels a running experiment: it stops before its next step, heals, and is stored cancelled with a verdict of unknown', async () => {
    const long = {
      ...shortSplit,
      name: 'to cancel',
      durationSec: 1000,
      schedule: {
        kind: 'steps',
        steps: [shortSplit.schedule.steps[0], { at: 900, do: { kind: 'pause', node: 'node-1' } }],
      },
    };
    const started = await post('/api/runs', { experiment: long, seed: 7 });
    assert.equal(started.status, 201);
    const { run } = (await started.json()) as { run: RunSummary };
    assert.equal(run.seed, 7);
    const chaos = () => net.api<ChaosResponse>('/api/chaos');
    await waitFor(async () => (await chaos()).active.some((a) => a.kind === 'partition'), { timeoutMs: 30_000, what: "the run's partition to be active" });

    assert.equal((await post(`/api/runs/${run.id}/cancel`, undefined, false)).status, 401);
    const cancelled = await post(`/api/runs/${run.id}/cancel`);
    assert.equal(cancelled.status, 200);
    const summary = ((await cancelled.json()) as { run: RunSummary }).run;
    assert.equal(summary.status, 'cancelled');
    assert.equal(summary.valid, 'unknown');

    const stored = await runOf(run.id);
    assert.equal(stored.history?.cutShort, true);
    assert.equal(stored.verdict?.valid, 'unknown');
    assert.equal(stored.history?.faults.length, 1, 'the far step never ran');
    assert.deepEqual((await chaos()).active, []);

    const again = await post(`/api/runs/${run.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal((await errorOf(again)).code, 'RUN_NOT_RUNNING');
    const unknown = await post('/api/runs/999999/cancel');
    assert.equal(unknown.status, 404);
    assert.equal((await errorOf(unknown)).code, 'RUN_NOT_FOUND');
  });

  it("records a scenario run as a run of kind 'scenario', and refuses an experiment while it runs", async () => {
    await net.agreed('agreement before the scenario', 60_000);
    const started = await post('/api/scenarios/run', {
      scenario: {
        name: 'recorded scenario',
        steps: [
          {
            at: 0,
            do: {
              kind: 'partition',
              groups: [
                ['node-1', 'node-2'],
                ['node-3', 'node-4'],
              ],
              durationSec: 4,
            },
          },
          { at: 5, expect: { kind: 'agreement', withinSec: 60 } },
        ],
      },
    });
    assert.equal(started.status, 201);
    const recorded = await waitFor(async () => (await net.api<RunsResponse>('/api/runs?kind=scenario')).runs.find((r) => r.name === 'recorded scenario'), {
      timeoutMs: 10_000,
      what: 'the scenario run to be recorded',
    });
    const refused = await post('/api/runs', { experiment: shortSplit });
    assert.equal(refused.status, 409);
    assert.equal((await errorOf(refused)).code, 'RUN_IN_PROGRESS');
    assert.match((await errorOf(await post('/api/runs', { experiment: shortSplit }))).message, /scenario "recorded scenario" is running/);

    const run = await closed(recorded.id, 'the scenario run to be closed');
    assert.equal(run.kind, 'scenario');
    assert.equal(run.status, 'finished', run.error ?? '');
    assert.equal(run.seed, null);
    assert.equal(run.engine, 'poa');
    assert.equal(run.schedule.length, 1);
    assert.equal(run.manifest.name, 'recorded scenario');
    const faults = run.history?.faults ?? [];
    assert.equal(faults.length, 1, JSON.stringify(faults));
    assert.equal(faults[0].kind, 'partition');
    assert.equal(faults[0].targets.length, 4);
    assert.notEqual(run.verdict?.valid, false, JSON.stringify(run.verdict));
  });

  it('uploads a run file the way the CLI does (--upload): the run page is named, a second upload finds it, a wrong token is refused', async () => {
    const [first] = (await net.api<RunsResponse>('/api/runs?kind=experiment')).runs.slice(-1);
    const file = await net.api<RunFile>(`/api/runs/${first.id}/export`);
    const copy: RunFile = { ...file, run: { ...file.run, uid: crypto.randomUUID() } };
    const uploaded = await uploadRunFile(copy, { url: `${net.plane.url}/`, token: TOKEN });
    assert.equal(uploaded.created, true);
    assert.equal(uploaded.page, `${net.plane.url}/runs/${uploaded.id}`);
    const imported = await runOf(uploaded.id);
    assert.equal(imported.name, first.name);
    assert.ok(imported.importedAt !== null);
    const again = await uploadRunFile(copy, { url: net.plane.url, token: TOKEN });
    assert.deepEqual([again.created, again.id], [false, uploaded.id]);
    await assert.rejects(uploadRunFile(copy, { url: net.plane.url, token: 'wrong-token-0123456789' }), (err: ControlPlaneRequestError) => err.code === 'FORBIDDEN');
  });
});
