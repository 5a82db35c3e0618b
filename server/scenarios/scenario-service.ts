// Scenario runs started from the UI or the API: one at a time, run against this control
// plane's own public API (exactly as `npm run scenario` would), stored with their report.
// A scenario is checked whole before it starts (schema at the route, node names here); a
// running one can be cancelled: it stops before its next step, heals, and is stored as
// 'cancelled' with the steps that ran.
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import { ScenarioSchema, type Scenario, type ScenarioExample, type ScenarioReport, type ScenarioRunRecord } from '../../wire/scenario.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { runScenario } from './scenario-runner.ts';
import { unknownNodeReference } from './scenario-check.ts';

export type ScenarioErrorCode = 'SCENARIO_RUNNING' | 'SCENARIO_NOT_FOUND' | 'SCENARIO_INVALID' | 'SCENARIO_RUN_NOT_FOUND' | 'SCENARIO_NOT_RUNNING';

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
      /** The nodes a step may name now (by name or id). */
      knownNodes: () => ReadonlyArray<{ id: string; name: string }>;
    },
  ) {
    super();
  }

  examples(): ScenarioExample[] {
    let files: string[];
    try {
      files = readdirSync(this.deps.examplesDir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    } catch {
      return [];
    }
    return files.flatMap((file) => {
      const parsed = ScenarioSchema.safeParse(JSON.parse(readFileSync(path.join(this.deps.examplesDir, file), 'utf8')));
      if (!parsed.success) this.deps.logger.warn({ file, issue: parsed.error.issues[0] }, 'invalid example scenario skipped');
      return parsed.success ? [{ file, scenario: parsed.data }] : [];
    });
  }

  async runs(limit = 20): Promise<ScenarioRunRecord[]> {
    const rows = await this.deps.prisma.scenarioRun.findMany({ orderBy: { id: 'desc' }, take: limit });
    return rows.map(toRecord);
  }

  async start(req: { file?: string; scenario?: Scenario }, actor: string): Promise<ScenarioRunRecord> {
    if (this.running) throw new ScenarioError('SCENARIO_RUNNING', 'a scenario is already running; wait for it to finish');
    let scenario = req.scenario;
    if (req.file) {
      scenario = this.examples().find((e) => e.file === req.file)?.scenario;
      if (!scenario) throw new ScenarioError('SCENARIO_NOT_FOUND', `no example scenario ${req.file}`);
    }
    const unknown = unknownNodeReference(scenario!, this.deps.knownNodes());
    if (unknown) throw new ScenarioError('SCENARIO_INVALID', unknown);
    // Claimed before the first await, so that two concurrent starts cannot both pass the check above.
    const abort = new AbortController();
    const claim = { id: -1, abort, done: Promise.resolve() };
    this.running = claim;
    let row;
    try {
      row = await this.deps.prisma.scenarioRun.create({ data: { name: scenario!.name, scenario: scenario as object, actor, status: 'running' } });
    } catch (err) {
      this.running = null;
      throw err;
    }
    claim.id = row.id;
    const record = toRecord(row);
    this.emit('changed', record);
    claim.done = this.execute(row.id, scenario!, abort.signal).finally(() => {
      if (this.running === claim) this.running = null;
    });
    return record;
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

  private async execute(id: number, scenario: Scenario, signal: AbortSignal): Promise<void> {
    let data: { status: string; report?: object; finishedAt: Date };
    try {
      const report = await runScenario(scenario, { baseUrl: this.baseUrl, token: this.deps.token, signal, log: (line) => this.deps.logger.info({ run: id }, line) });
      data = { status: report.cancelled ? 'cancelled' : report.passed ? 'passed' : 'failed', report: report as unknown as object, finishedAt: new Date() };
    } catch (err) {
      this.deps.logger.error({ err, run: id }, 'scenario could not run');
      data = { status: 'error', report: { error: (err as Error).message }, finishedAt: new Date() };
    }
    try {
      const row = await this.deps.prisma.scenarioRun.update({ where: { id }, data });
      this.emit('changed', toRecord(row));
    } catch (err) {
      this.deps.logger.error({ err, run: id }, 'could not store the scenario report');
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
