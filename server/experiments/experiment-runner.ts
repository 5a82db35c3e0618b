// Runs one experiment on a fresh local testnet of its own: the whole control plane in process
// (embedded Postgres, indexer, monitor, chaos controller), recorded by the same recorder as a
// run started from the UI (server/runs/run-recorder.ts): the resolved fault schedule applied
// through the chaos API users click (schedule-executor.ts), every node's head sampled, healed at
// the end, the index compared with every node's chain, the verdict judged. The run is stored in
// that control plane's own `runs` table and exported from it as a run file (what `--out` writes
// and `--upload` posts): the same export any instance makes, so the file reads the same
// wherever it is imported. The testnet (and its database) is thrown away afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { freePorts } from '../../lib/free-port.ts';
import type { AlertRecord } from '../../wire/explorer-api.ts';
import type { Experiment } from '../../wire/experiment.ts';
import type { RunFile } from '../../wire/run-api.ts';
import type { RunHistory, Verdict } from '../../wire/run-history.ts';
import { loadServerConfig } from '../config.ts';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { RunRecorder } from '../runs/run-recorder.ts';
import { networkAgreed, waitUntil } from '../runs/run-readings.ts';
import { RunStore } from '../runs/run-store.ts';
import { executeSchedule } from './schedule-executor.ts';
import { resolveSchedule, type ResolvedStep } from './schedule.ts';

export interface ExperimentRun {
  experiment: Experiment;
  seed: number;
  schedule: ResolvedStep[];
  history: RunHistory;
  verdict: Verdict;
  /** Alerts the monitor raised during the run. */
  alerts: AlertRecord[];
  /** The run as its control plane stored and exported it. */
  file: RunFile;
}

export interface RunOptions {
  seed: number;
  /** One line per event, for a terminal. */
  say?: (line: string) => void;
  /** How often every node's head is read, ms. */
  sampleMs?: number;
  /** Stops the run early (the verdict is then 'unknown' at best). */
  signal?: AbortSignal;
  /** Who started it, as the run records it. */
  actor?: string;
}

const TOKEN = 'experiment-control-token-0123456789';

export async function runExperiment(experiment: Experiment, opts: RunOptions): Promise<ExperimentRun> {
  const say = opts.say ?? (() => undefined);
  const { testnet } = experiment;
  const schedule = resolveSchedule(experiment, opts.seed);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'experiment-'));
  const config = {
    ...loadServerConfig({ NODE_ENV: 'production' }),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    nodes: testnet.nodes,
    consensus: testnet.engine,
    blockTimeMs: testnet.blockTimeMs,
    txRate: testnet.txRate,
    nodeBasePort: await freePorts(testnet.nodes + 4),
    controlToken: TOKEN,
    serveExplorer: false,
  };
  say(`experiment "${experiment.name}": ${testnet.nodes} ${testnet.engine} nodes, ${experiment.durationSec} s, ${schedule.length} steps, seed ${opts.seed}`);
  const plane = await startControlPlane(config, { logger: pino({ level: 'silent' }), serveExplorer: false });
  try {
    return await runOn(plane, experiment, schedule, opts, say);
  } finally {
    await plane.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runOn(plane: ControlPlane, experiment: Experiment, schedule: ResolvedStep[], opts: RunOptions, say: (line: string) => void): Promise<ExperimentRun> {
  const runs = new RunStore(plane.prisma);
  const recorder = new RunRecorder({ prisma: plane.prisma, runs, token: TOKEN });
  recorder.baseUrl = plane.url;
  if (!(await waitUntil(() => networkAgreed(recorder.api()), 120_000))) throw new Error('the testnet never agreed before the first fault');
  const opened = await recorder.open({
    kind: 'experiment',
    name: experiment.name,
    description: experiment.description,
    actor: opts.actor ?? 'cli',
    engine: experiment.testnet.engine,
    nodes: experiment.testnet.nodes,
    seed: opts.seed,
    manifest: experiment as unknown as Record<string, unknown>,
    schedule: schedule.map((s) => ({ at: s.at, action: s.action })),
  });
  const { run, recorded } = await recorder.record(
    opened,
    { engine: experiment.testnet.engine, recoveryBoundSec: experiment.checks.recoveryBoundSec, settleMs: 2 * experiment.testnet.blockTimeMs, sampleMs: opts.sampleMs },
    async ({ api, startedAt }) => executeSchedule(schedule, { api, startedAt, durationSec: experiment.durationSec, signal: opts.signal, say }),
  );
  // A fresh testnet that could not be recorded is a failed run, not a verdict.
  if (!recorded) throw new Error(`the run could not be recorded: ${(await runs.get(run.id)).error ?? 'unknown error'}`);
  if (run.status === 'error') throw new Error(`the run stopped on an error: ${(await runs.get(run.id)).error}`);
  return { experiment, seed: opts.seed, schedule, ...recorded, file: await runs.exportFile(run.id) };
}
