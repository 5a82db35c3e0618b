// An experiment run as an exported run file (wire/run-api.ts RunFile): what `npm run
// experiment -- --out` writes and what POST /api/runs/import reads, so a run made on a
// testnet of its own can be looked at, and compared, on any instance's run pages.
import { randomUUID } from 'node:crypto';
import { RUN_FILE_FORMAT, type RunFile } from '../../wire/run-api.ts';
import type { ExperimentRun } from './experiment-runner.ts';
import { recoverySpread } from './verdict.ts';

export function experimentRunFile(run: ExperimentRun, opts: { actor: string; cancelled?: boolean }): RunFile {
  const { experiment, history, verdict } = run;
  const recoveries = recoverySpread(verdict);
  return {
    format: RUN_FILE_FORMAT,
    exportedAt: Date.now(),
    run: {
      uid: randomUUID(),
      kind: 'experiment',
      name: experiment.name,
      description: experiment.description,
      engine: history.engine,
      nodes: history.nodes.length,
      seed: run.seed,
      status: history.cutShort || opts.cancelled ? 'cancelled' : 'finished',
      startedAt: history.startedAt,
      endedAt: history.endedAt,
      faults: history.faults.length,
      valid: verdict.valid,
      recoveryMedianSec: recoveries.median,
      recoveryMaxSec: recoveries.max,
      actor: opts.actor,
      manifest: experiment as unknown as Record<string, unknown>,
      schedule: run.schedule.map((s) => ({ at: s.at, action: s.action })),
      history,
      verdict,
      alerts: run.alerts,
      error: null,
    },
  };
}
