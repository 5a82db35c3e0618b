// An experiment run end to end on a real local testnet (node processes, embedded Postgres,
// the control plane in process): the schedule applied through the chaos API, the faults
// recorded with their resolved targets and times, heads sampled, and a verdict that holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExperimentSchema } from '../../wire/experiment.ts';
import { RunFileSchema } from '../../wire/run-api.ts';
import { runExperiment } from './experiment-runner.ts';

test('a 2|2 partition on PoA, healed after its duration: the run records it on all four nodes and the verdict is valid', { timeout: 240_000 }, async () => {
  const experiment = ExperimentSchema.parse({
    name: 'short split',
    testnet: { engine: 'poa', nodes: 4, blockTimeMs: 500, txRate: 1 },
    durationSec: 16,
    schedule: {
      kind: 'steps',
      steps: [
        {
          at: 2,
          do: {
            kind: 'partition',
            groups: [
              ['node-1', 'node-2'],
              ['node-3', 'node-4'],
            ],
            durationSec: 6,
          },
        },
      ],
    },
    checks: { recoveryBoundSec: 30 },
  });
  const run = await runExperiment(experiment, { seed: 1 });
  const { history, verdict } = run;
  assert.equal(history.faults.length, 1, JSON.stringify(history.faults));
  const [fault] = history.faults;
  assert.equal(fault.kind, 'partition');
  assert.deepEqual([...fault.targets].sort(), [...history.nodes].sort());
  assert.ok(fault.healedAt !== null && fault.healedAt - fault.appliedAt >= 5_000, `healed ${fault.healedAt! - fault.appliedAt} ms after applied`);
  assert.ok(new Set(history.heads.map((h) => h.nodeId)).size === 4, 'every node sampled');
  assert.equal(verdict.valid, true, JSON.stringify({ safety: verdict.safety, liveness: verdict.liveness, integrity: verdict.integrity }));
  assert.equal(verdict.recoveries.length, 1);
  assert.ok(verdict.recoveries[0].recoverySec !== null && verdict.recoveries[0].recoverySec < 30);
  // Stored in its control plane's runs table and exported from there: the file the CLI writes.
  const file = RunFileSchema.parse(run.file);
  assert.equal(file.run.kind, 'experiment');
  assert.equal(file.run.status, 'finished');
  assert.equal(file.run.seed, 1);
  assert.equal(file.run.valid, true);
  assert.deepEqual(file.run.history, history);
});
