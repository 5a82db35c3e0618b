// Scenario runs started from the UI or the API: one at a time, run against this control
// plane's own public API (exactly as `npm run scenario` would), stored with their report.
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import { ScenarioSchema, type Scenario, type ScenarioExample, type ScenarioReport, type ScenarioRunRecord } from '../../wire/scenario.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { runScenario } from './scenario-runner.ts';

export type ScenarioErrorCode = 'SCENARIO_RUNNING' | 'SCENARIO_NOT_FOUND';

/** Why a run cannot start; the API maps the code to a status (lib/http/status-policy.ts). */
export class ScenarioError extends CodedError<ScenarioErrorCode> {}

export class ScenarioService extends EventEmitter<{ changed: [ScenarioRunRecord] }> {
  private running: Promise<void> | null = null;
  /** Where this control plane answers; set once it listens. */
  baseUrl = '';

  constructor(private readonly deps: { prisma: PrismaClient; token: string; examplesDir: string; logger: Logger }) {
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
    const row = await this.deps.prisma.scenarioRun.create({ data: { name: scenario!.name, scenario: scenario as object, actor, status: 'running' } });
    const record = toRecord(row);
    this.emit('changed', record);
    this.running = this.execute(row.id, scenario!).finally(() => {
      this.running = null;
    });
    return record;
  }

  /** Resolves when the current run (if any) has finished: for tests and shutdown. */
  async idle(): Promise<void> {
    await this.running;
  }

  private async execute(id: number, scenario: Scenario): Promise<void> {
    let data: { status: string; report?: object; finishedAt: Date };
    try {
      const report = await runScenario(scenario, { baseUrl: this.baseUrl, token: this.deps.token, log: (line) => this.deps.logger.info({ run: id }, line) });
      data = { status: report.passed ? 'passed' : 'failed', report: report as unknown as object, finishedAt: new Date() };
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
