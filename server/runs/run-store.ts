// Recorded runs in Postgres (the `runs` table): opened when a run starts, closed with its
// history, alerts and verdict when it ends, listed, read whole, exported as one self-contained
// file and imported from one. The summary columns (faults, validity, recovery spread) are
// derived here from the history and verdict, in one place, so a run recorded here and the same
// run imported elsewhere list the same way.
import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../db/client.ts';
import type { AlertRecord } from '../../wire/explorer-api.ts';
import { RUN_FILE_FORMAT, type RunDetail, type RunFile, type RunKind, type RunStatus, type RunStep, type RunSummary } from '../../wire/run-api.ts';
import type { RunHistory, Verdict } from '../../wire/run-history.ts';
import { CodedError } from '../../lib/coded-error.ts';
import { toRecord as alertRecord } from '../monitor/alert-manager.ts';
import { judgeRun, recoverySpread } from '../experiments/verdict.ts';

export interface RunStart {
  kind: RunKind;
  name: string;
  description?: string;
  actor: string;
  engine: 'poa' | 'bft';
  nodes: number;
  seed: number | null;
  manifest: Record<string, unknown>;
  schedule: RunStep[];
  startedAt: number;
}

export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  endedAt: number;
  history: RunHistory | null;
  verdict: Verdict | null;
  alerts?: AlertRecord[];
  error?: string | null;
  /** The steps as run, when they were only known as the run went (a soak draws its faults); else those given at open stay. */
  schedule?: RunStep[];
}

type RunRow = Prisma.RunGetPayload<object>;
const SUMMARY_COLUMNS = {
  id: true,
  uid: true,
  kind: true,
  name: true,
  engine: true,
  nodes: true,
  seed: true,
  status: true,
  startedAt: true,
  endedAt: true,
  faults: true,
  valid: true,
  recoveryMedianSec: true,
  recoveryMaxSec: true,
  actor: true,
  importedAt: true,
} as const satisfies Prisma.RunSelect;
type SummaryRow = Prisma.RunGetPayload<{ select: typeof SUMMARY_COLUMNS }>;

export class RunStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Opens a run as 'running'; close it with `finish`. */
  async open(start: RunStart): Promise<RunSummary> {
    const row = await this.prisma.run.create({
      data: {
        uid: randomUUID(),
        kind: start.kind,
        name: start.name,
        description: start.description ?? '',
        actor: start.actor,
        engine: start.engine,
        nodes: start.nodes,
        seed: start.seed === null ? null : BigInt(start.seed),
        status: 'running',
        startedAt: new Date(start.startedAt),
        manifest: start.manifest as Prisma.InputJsonValue,
        schedule: start.schedule as unknown as Prisma.InputJsonValue,
      },
      select: SUMMARY_COLUMNS,
    });
    return toSummary(row);
  }

  /** Closes a run with what it recorded; the summary columns follow from the history and verdict. */
  async finish(id: number, end: RunEnd): Promise<RunSummary> {
    const row = await this.prisma.run.update({ where: { id }, data: endData(end), select: SUMMARY_COLUMNS });
    return toSummary(row);
  }

  /** Stores a run that was recorded elsewhere in one go (an experiment run on its own testnet). */
  async record(start: RunStart, end: RunEnd): Promise<RunSummary> {
    const opened = await this.open(start);
    return this.finish(opened.id, end);
  }

  async list(opts: { limit: number; kind?: RunKind }): Promise<RunSummary[]> {
    const rows = await this.prisma.run.findMany({ where: opts.kind ? { kind: opts.kind } : {}, orderBy: { id: 'desc' }, take: opts.limit, select: SUMMARY_COLUMNS });
    return rows.map(toSummary);
  }

  /** One run's list line (without its history). */
  async summary(id: number): Promise<RunSummary> {
    const row = await this.prisma.run.findUnique({ where: { id }, select: SUMMARY_COLUMNS });
    if (!row) throw new CodedError('RUN_NOT_FOUND', `no run ${id} is recorded`);
    return toSummary(row);
  }

  async get(id: number): Promise<RunDetail> {
    const row = await this.prisma.run.findUnique({ where: { id } });
    if (!row) throw new CodedError('RUN_NOT_FOUND', `no run ${id} is recorded`);
    return toDetail(row);
  }

  /** Runs left 'running' by a process that died: closed as cancelled, with no verdict (they cannot be judged). */
  async closeAbandoned(): Promise<number> {
    const { count } = await this.prisma.run.updateMany({
      where: { status: 'running' },
      data: { status: 'cancelled', endedAt: new Date(), valid: 'unknown', error: 'the control plane stopped while this run was in progress' },
    });
    return count;
  }

  /** Alerts raised while the run was going, or already active when it started. */
  async alertsDuring(from: number, to: number): Promise<AlertRecord[]> {
    const rows = await this.prisma.alert.findMany({
      where: { raisedAt: { lte: new Date(to) }, OR: [{ clearedAt: null }, { clearedAt: { gte: new Date(from) } }] },
      orderBy: { raisedAt: 'asc' },
      take: 10_000,
    });
    return rows.map(alertRecord);
  }

  async exportFile(id: number): Promise<RunFile> {
    const { id: _id, importedAt: _importedAt, ...run } = await this.get(id);
    return { format: RUN_FILE_FORMAT, exportedAt: Date.now(), run };
  }

  /**
   * Imports an exported run. The verdict is judged again from the file's history by this
   * instance's checker, so a file cannot claim a verdict its history does not support; where
   * the two differ the run's note says so. A run already here (same uid) is not stored twice.
   */
  async import(file: RunFile): Promise<{ run: RunSummary; created: boolean }> {
    const existing = await this.prisma.run.findUnique({ where: { uid: file.run.uid }, select: SUMMARY_COLUMNS });
    if (existing) return { run: toSummary(existing), created: false };
    const run = file.run;
    const verdict = run.history ? judgeRun(run.history) : run.verdict;
    const notes = [run.error];
    if (run.verdict && verdict && run.verdict.valid !== verdict.valid)
      notes.push(`verdict judged again on import: ${String(verdict.valid)} (the file said ${String(run.verdict.valid)})`);
    const row = await this.prisma.run.create({
      data: {
        uid: run.uid,
        kind: run.kind,
        name: run.name,
        description: run.description,
        actor: run.actor,
        engine: run.engine,
        nodes: run.nodes,
        seed: run.seed === null ? null : BigInt(run.seed),
        startedAt: new Date(run.startedAt),
        manifest: run.manifest as Prisma.InputJsonValue,
        schedule: run.schedule as unknown as Prisma.InputJsonValue,
        importedAt: new Date(),
        ...endData({
          // A run exported while still going was cut short where the file ends.
          status: run.status === 'running' ? 'cancelled' : run.status,
          endedAt: run.endedAt ?? run.history?.endedAt ?? run.startedAt,
          history: run.history,
          verdict,
          alerts: run.alerts,
          error: notes.filter((n) => n).join('; ') || null,
        }),
      },
      select: SUMMARY_COLUMNS,
    });
    return { run: toSummary(row), created: true };
  }
}

function endData(end: RunEnd) {
  const recoveries = recoverySpread(end.verdict);
  return {
    status: end.status,
    endedAt: new Date(end.endedAt),
    history: (end.history ?? undefined) as Prisma.InputJsonValue | undefined,
    verdict: (end.verdict ?? undefined) as Prisma.InputJsonValue | undefined,
    alerts: (end.alerts ?? []) as unknown as Prisma.InputJsonValue,
    error: end.error ?? null,
    ...(end.schedule ? { schedule: end.schedule as unknown as Prisma.InputJsonValue } : {}),
    faults: end.history?.faults.length ?? 0,
    valid: end.verdict ? String(end.verdict.valid) : null,
    recoveryMedianSec: recoveries.median,
    recoveryMaxSec: recoveries.max,
  };
}

function toSummary(row: SummaryRow): RunSummary {
  return {
    id: row.id,
    uid: row.uid,
    kind: row.kind as RunKind,
    name: row.name,
    engine: row.engine as 'poa' | 'bft',
    nodes: row.nodes,
    seed: row.seed === null ? null : Number(row.seed),
    status: row.status as RunStatus,
    startedAt: row.startedAt.getTime(),
    endedAt: row.endedAt?.getTime() ?? null,
    faults: row.faults,
    valid: row.valid === null ? null : row.valid === 'unknown' ? 'unknown' : row.valid === 'true',
    recoveryMedianSec: row.recoveryMedianSec,
    recoveryMaxSec: row.recoveryMaxSec,
    actor: row.actor,
    importedAt: row.importedAt?.getTime() ?? null,
  };
}

function toDetail(row: RunRow): RunDetail {
  return {
    ...toSummary(row),
    description: row.description,
    manifest: row.manifest as Record<string, unknown>,
    schedule: row.schedule as unknown as RunStep[],
    history: row.history as RunHistory | null,
    verdict: row.verdict as Verdict | null,
    alerts: row.alerts as unknown as AlertRecord[],
    error: row.error,
  };
}
