// Experiments started from the UI or the API against the RUNNING network (issue 14): the
// example files of the repo's `experiments/` directory, or a whole experiment posted. The file's
// `testnet` describes the network it was written for; here it runs on the network that runs,
// and the run records that network's engine and node count (its description says so when the
// two differ). The schedule is resolved with the seed (drawn and recorded when none is given),
// checked whole before it starts (every node a step names must exist: 400 EXPERIMENT_INVALID),
// carried out in the background through this control plane's chaos API, and recorded like
// every run (run-recorder.ts). One run at a time, shared with scenarios (RunSlot): 409
// RUN_IN_PROGRESS. A cancelled run stops before its next step, heals, and is stored
// 'cancelled' (its verdict 'unknown' at best).
import type { Logger } from 'pino';
import { CodedError } from '../../lib/coded-error.ts';
import { ExperimentSchema, type Experiment } from '../../wire/experiment.ts';
import type { ExperimentExample, RunSummary, StartRunRequest } from '../../wire/run-api.ts';
import type { RunRecorder, RunningNetwork } from '../runs/run-recorder.ts';
import type { RunSlot } from '../runs/run-slot.ts';
import { readExampleFiles } from '../runs/example-files.ts';
import type { RunStore } from '../runs/run-store.ts';
import { firstUnknownNode } from '../scenarios/scenario-check.ts';
import { executeSchedule } from './schedule-executor.ts';
import { drawSeed, resolveSchedule } from './schedule.ts';

export type ExperimentErrorCode = 'RUN_IN_PROGRESS' | 'EXPERIMENT_NOT_FOUND' | 'EXPERIMENT_INVALID' | 'RUN_NOT_RUNNING' | 'NETWORK_NOT_READY';

/** Why an experiment cannot start or be cancelled; the API maps the code to a status (lib/http/status-policy.ts). */
export class ExperimentError extends CodedError<ExperimentErrorCode> {}

export class ExperimentService {
  /** Resolves when the run in progress (if any) is closed. */
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      recorder: RunRecorder;
      runs: RunStore;
      slot: RunSlot;
      examplesDir: string;
      logger: Logger;
      network: () => RunningNetwork;
    },
  ) {}

  examples(): ExperimentExample[] {
    return readExampleFiles(this.deps.examplesDir, ExperimentSchema, this.deps.logger, 'experiment').map(({ file, value }) => ({ file, experiment: value }));
  }

  /** Opens the run and starts it in the background; answers the run as opened ('running'). */
  async start(req: StartRunRequest, actor: string): Promise<RunSummary> {
    const busy = this.deps.slot.busyError();
    if (busy) throw busy;
    const experiment = this.experimentOf(req);
    const network = this.deps.network();
    if (network.nodes.length === 0) throw new ExperimentError('NETWORK_NOT_READY', 'no node is known yet: wait until the network is up');
    const unknown = unknownNodeIn(experiment, network.nodes);
    if (unknown) throw new ExperimentError('EXPERIMENT_INVALID', unknown);
    const seed = req.seed ?? experiment.seed ?? drawSeed();
    const schedule = resolveSchedule(experiment, seed);

    // Claimed before the first await, so that two concurrent starts cannot both pass the check above.
    const abort = new AbortController();
    let done: Promise<void> = Promise.resolve();
    const holder = {
      what: `experiment "${experiment.name}"`,
      runId: null as number | null,
      cancel: async () => {
        abort.abort();
        await done;
      },
    };
    const release = this.deps.slot.claim(holder);
    if (!release) throw this.deps.slot.busyError()!;
    let run: RunSummary;
    try {
      run = await this.deps.recorder.open({
        kind: 'experiment',
        name: experiment.name,
        description: describeRun(experiment, network),
        actor,
        engine: network.engine,
        nodes: network.nodes.length,
        seed,
        manifest: experiment as unknown as Record<string, unknown>,
        schedule: schedule.map((s) => ({ at: s.at, action: s.action })),
      });
    } catch (err) {
      release();
      throw err;
    }
    holder.runId = run.id;
    const log = this.deps.logger.child({ run: run.id });
    done = this.deps.recorder
      .record(run, { engine: network.engine, recoveryBoundSec: experiment.checks.recoveryBoundSec, settleMs: 2 * network.blockTimeMs }, async ({ api, startedAt }) => ({
        ...(await executeSchedule(schedule, { api, startedAt, durationSec: experiment.durationSec, signal: abort.signal, say: (line) => log.info(line) })),
        cancelled: abort.signal.aborted,
      }))
      .then(
        ({ run: closed }) => log.info({ status: closed.status, valid: closed.valid }, 'experiment run closed'),
        (err: Error) => log.error({ err }, 'the experiment run could not be closed'),
      )
      .finally(release);
    this.done = done;
    return run;
  }

  /**
   * Cancels the recorded run `id` in progress (an experiment, or a scenario: whatever holds the
   * slot) and answers it once it has stopped, healed and been closed.
   */
  async cancel(id: number): Promise<RunSummary> {
    const holder = this.deps.slot.holder();
    if (holder?.runId === id) {
      await holder.cancel();
      return this.deps.runs.summary(id);
    }
    const run = await this.deps.runs.summary(id);
    throw new ExperimentError('RUN_NOT_RUNNING', `run ${id} is not in progress here (it is ${run.status})`);
  }

  /** Resolves when the current run (if any) is closed: for tests and shutdown. */
  async idle(): Promise<void> {
    await this.done;
  }

  private experimentOf(req: StartRunRequest): Experiment {
    if (req.experiment) return req.experiment;
    const found = this.examples().find((e) => e.file === req.file)?.experiment;
    if (!found) throw new ExperimentError('EXPERIMENT_NOT_FOUND', `no example experiment ${req.file}`);
    return found;
  }
}

/** The first step naming a node the network does not have, as "schedule.steps.<i>.do.<field>: …" (or "schedule.faults.<i>.<field>"). */
function unknownNodeIn(experiment: Experiment, known: RunningNetwork['nodes']): string | null {
  const s = experiment.schedule;
  if (s.kind === 'steps') {
    const u = firstUnknownNode(
      s.steps.map((x) => ({ at: x.at, action: x.do })),
      known,
    );
    return u && `schedule.steps.${u.index}.do.${u.path}: ${u.message}`;
  }
  const u = firstUnknownNode(
    s.faults.map((action) => ({ at: 0, action })),
    known,
  );
  return u && `schedule.faults.${u.index}.${u.path}: ${u.message}`;
}

/** The file's description, and a note when the running network is not the one the file describes. */
function describeRun(experiment: Experiment, network: RunningNetwork): string {
  const t = experiment.testnet;
  const note =
    t.engine !== network.engine || t.nodes !== network.nodes.length
      ? `Run on the running network (${network.nodes.length} ${network.engine} nodes); the file describes ${t.nodes} ${t.engine} nodes, which were not started. `
      : '';
  return (note + experiment.description).slice(0, 2000);
}
