// Scenario runs started from the UI or the API: one at a time, run against this control
// plane's own public API (exactly as `npm run scenario` would), stored with their report.
// A scenario is checked whole before it starts (schema at the route, node names here); a
// running one can be cancelled: it stops before its next step, heals, and is stored as
// 'cancelled' with the steps that ran. Every scenario run is also a recorded run (kind
// 'scenario', run-recorder.ts): its faults with their resolved targets and times, every node's
// heads, alerts and a verdict, like an experiment; the pass/fail report stays here. It shares the
// one-run-at-a-time slot with experiments (their faults would mix): while an experiment runs a
// scenario is refused with 409 RUN_IN_PROGRESS.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import { ScenarioSchema, type Scenario, type ScenarioExample, type ScenarioReport, type ScenarioRunRecord } from '../../wire/scenario.ts';
import { CodedError } from '../../lib/coded-error.ts';
import type { RunSummary } from '../../wire/run-api.ts';
import type { RunRecorder, RunningNetwork } from '../runs/run-recorder.ts';
import type { RunSlot } from '../runs/run-slot.ts';
import { readExampleFiles } from '../runs/example-files.ts';
import { runScenario } from './scenario-runner.ts';
import { unknownNodeReference } from './scenario-check.ts';

export type ScenarioErrorCode = 'SCENARIO_RUNNING' | 'SCENARIO_NOT_FOUND' | 'SCENARIO_INVALID' | 'SCENARIO_RUN_NOT_FOUND' | 'SCENARIO_NOT_RUNNING';

/**
 * A scenario states no recovery bound of its own: its recorded run gives the network this long
 * to agree after each heal (and at the end), s; the scenario's own expectations judge the rest.
 */
export const SCENARIO_RECOVERY_BOUND_SEC = 30;

/** Why a run cannot start; the API maps the code to a status (lib/http/status-policy.ts). */
export class ScenarioError extends CodedError<ScenarioErrorCode> {}

export class ScenarioService extends EventEmitter<{ changed: [ScenarioRunRecord] }> {
  /** The run in progress: its id, how to cancel it, and when it has finished (stored). */
  private running: { id: number; abort: AbortController; done: Promise<void> } | null = null;
  /** Where this control plane answers; set once it listens. */
  baseUrl = '';

  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      token: string;
      examplesDir: string;
      logger: Logger;
      /** The network that runs now: the nodes a step may name (by name or id), its engine. */
      network: () => RunningNetwork;
      recorder: RunRecorder;
      slot: RunSlot;
    },
  ) {
    super();
  }

  examples(): ScenarioExample[] {
    return readExampleFiles(this.deps.examplesDir, ScenarioSchema, this.deps.logger, 'scenario').map(({ file, value }) => ({ file, scenario: value }));
  }

  async runs(limit = 20): Promise<ScenarioRunRecord[]> {
    const rows = await this.deps.prisma.scenarioRun.findMany({ orderBy: { id: 'desc' }, take: limit });
    return rows.map(toRecord);
  }

  async start(req: { file?: string; scenario?: Scenario }, actor: string): Promise<ScenarioRunRecord> {
    const busy = this.busyError();
    if (busy) throw busy;
    let scenario = req.scenario;
    if (req.file) {
      scenario = this.examples().find((e) => e.file === req.file)?.scenario;
      if (!scenario) throw new ScenarioError('SCENARIO_NOT_FOUND', `no example scenario ${req.file}`);
    }
    const network = this.deps.network();
    const unknown = unknownNodeReference(scenario!, network.nodes);
    if (unknown) throw new ScenarioError('SCENARIO_INVALID', unknown);
    // Claimed before the first await, so that two concurrent starts cannot both pass the check above.
    const abort = new AbortController();
    const claim = { id: -1, abort, done: Promise.resolve() };
    const holder = {
      what: `scenario "${scenario!.name}"`,
      runId: null as number | null,
      cancel: async () => {
        abort.abort();
        await claim.done;
      },
    };
    const release = this.deps.slot.claim(holder);
    if (!release) throw this.busyError()!;
    this.running = claim;
    const free = () => {
      if (this.running === claim) this.running = null;
      release();
    };
    let row;
    let recorded: RunSummary;
    try {
      row = await this.deps.prisma.scenarioRun.create({ data: { name: scenario!.name, scenario: scenario as object, actor, status: 'running' } });
      recorded = await this.deps.recorder.open({
        kind: 'scenario',
        name: scenario!.name,
        description: scenario!.description,
        actor,
        engine: network.engine,
        nodes: network.nodes.length,
        seed: null,
        manifest: scenario as unknown as Record<string, unknown>,
        schedule: scenario!.steps.flatMap((step) => (step.do ? [{ at: step.at, action: step.do }] : [])).sort((a, b) => a.at - b.at),
      });
    } catch (err) {
      if (row) await this.deps.prisma.scenarioRun.update({ where: { id: row.id }, data: { status: 'error', finishedAt: new Date() } }).catch(() => undefined);
      free();
      throw err;
    }
    claim.id = row.id;
    holder.runId = recorded.id;
    const record = toRecord(row);
    this.emit('changed', record);
    claim.done = this.execute(row.id, recorded, scenario!, network, abort.signal, free).finally(free);
    return record;
  }

  /** 409 while any run holds the slot: SCENARIO_RUNNING for a scenario, RUN_IN_PROGRESS for an experiment. */
  private busyError(): CodedError | null {
    if (this.running) return new ScenarioError('SCENARIO_RUNNING', 'a scenario is already running; wait for it to finish');
    return this.deps.slot.busyError();
  }

  /**
   * Cancels the running run `id` and resolves with its stored record once it has stopped and
   * healed ('cancelled'; or how it ended, if it finished first). A run of an earlier process
   * still stored as running (it died with that process) is closed as cancelled at once.
   */
  async cancel(id: number): Promise<ScenarioRunRecord> {
    const current = this.running;
    if (current?.id === id) {
      current.abort.abort();
      await current.done;
    } else {
      const row = await this.deps.prisma.scenarioRun.findUnique({ where: { id } });
      if (!row) throw new ScenarioError('SCENARIO_RUN_NOT_FOUND', `no scenario run ${id}`);
      if (row.status !== 'running')
        throw new ScenarioError('SCENARIO_NOT_RUNNING', `scenario run ${id} is not running (it ${row.status === 'error' ? 'could not run' : row.status})`);
      const closed = await this.deps.prisma.scenarioRun.update({ where: { id }, data: { status: 'cancelled', finishedAt: new Date() } });
      this.emit('changed', toRecord(closed));
    }
    const row = await this.deps.prisma.scenarioRun.findUniqueOrThrow({ where: { id } });
    return toRecord(row);
  }

  /** Resolves when the current run (if any) has finished: for tests and shutdown. */
  async idle(): Promise<void> {
    await this.running?.done;
  }

  /**
   * Runs the scenario while recording it. Its report is stored once the recorded run is closed
   * too, and the slot freed just before: when a scenario shows as ended, the next run can start.
   */
  private async execute(id: number, run: RunSummary, scenario: Scenario, network: RunningNetwork, signal: AbortSignal, free: () => void): Promise<void> {
    const log = this.deps.logger.child({ run: id, recordedRun: run.id });
    let data: { status: string; report?: object; finishedAt: Date } = { status: 'error', report: { error: 'the scenario did not run' }, finishedAt: new Date() };
    try {
      await this.deps.recorder.record(run, { engine: network.engine, recoveryBoundSec: SCENARIO_RECOVERY_BOUND_SEC, settleMs: 2 * network.blockTimeMs }, async () => {
        try {
          const report = await runScenario(scenario, { baseUrl: this.baseUrl, token: this.deps.token, signal, log: (line) => log.info(line) });
          const cancelled = report.cancelled === true;
          data = { status: cancelled ? 'cancelled' : report.passed ? 'passed' : 'failed', report: report as unknown as object, finishedAt: new Date() };
          return { cutShort: cancelled, cancelled };
        } catch (err) {
          log.error({ err }, 'scenario could not run');
          data = { status: 'error', report: { error: (err as Error).message }, finishedAt: new Date() };
          throw err;
        }
      });
    } catch (err) {
      log.error({ err }, 'the scenario run could not be recorded');
    }
    free();
    try {
      const row = await this.deps.prisma.scenarioRun.update({ where: { id }, data });
      this.emit('changed', toRecord(row));
    } catch (err) {
      log.error({ err }, 'could not store the scenario report');
    }
  }
}

function toRecord(row: { id: number; name: string; actor: string; startedAt: Date; finishedAt: Date | null; status: string; report: unknown }): ScenarioRunRecord {
  const report = row.report as (ScenarioReport & { error?: string }) | null;
  const error = report && 'error' in report && typeof report.error === 'string' ? report.error : null;
  return {
    id: row.id,
    name: row.name,
    actor: row.actor,
    startedAt: row.startedAt.getTime(),
    finishedAt: row.finishedAt?.getTime() ?? null,
    status: row.status as ScenarioRunRecord['status'],
    report: error ? null : report,
    error,
  };
}
