// The one recorder of runs (issue 14): experiments (from the CLI on a testnet of their own, or
// from the UI on the running network), scenarios and chaos soaks are all recorded the same way.
// A run is opened in the `runs` table; while its body injects faults (through the chaos API,
// like a user would) every node's head is sampled; when the body is done (and has healed) the
// recorder waits for agreement within the run's recovery bound, reads a few more blocks, reads
// back the faults from the chaos records, compares the index with every node's chain, judges
// the verdict and closes the run with its history, alerts and verdict. On BFT a head is final
// (there is no fork to choose), so every head reading is also a finalized one.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { PrismaClient } from '../db/client.ts';
import { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import type { AlertRecord } from '../../wire/explorer-api.ts';
import type { RunStatus, RunSummary } from '../../wire/run-api.ts';
import type { ChainReading, RunHistory, Verdict } from '../../wire/run-history.ts';
import { faultsOf } from '../experiments/run-faults.ts';
import { judgeRun } from '../experiments/verdict.ts';
import { chaosRecordsAfter, compareIndex, lastChaosId, networkAgreed, sampleHeads, waitUntil } from './run-readings.ts';
import { sleep } from '../../lib/abortable-sleep.ts';
import type { RunStart, RunStore } from './run-store.ts';

export interface RecordedRun {
  history: RunHistory;
  verdict: Verdict;
  /** Alerts the monitor raised during the run (or already active when it began). */
  alerts: AlertRecord[];
}

/** The network that runs now, as a run records it. */
export interface RunningNetwork {
  engine: 'poa' | 'bft';
  /** The nodes a step may name (by name or id). */
  nodes: ReadonlyArray<{ id: string; name: string }>;
  blockTimeMs: number;
}

export interface RecordingOptions {
  engine: 'poa' | 'bft';
  /** How long the network may take to recover after each heal, s (and how long the end waits for agreement). */
  recoveryBoundSec: number;
  /** Once the network agrees at the end, how long readings go on (a few blocks): what the last recovery is judged on. */
  settleMs: number;
  /** How often every node's head is read, ms. */
  sampleMs?: number;
}

export interface RunContext {
  /** This control plane's API, with the control token. */
  api: ControlPlaneClient;
  /** When sampling began: schedule times count from here. */
  startedAt: number;
}

/** What a run's body reports: whether it stopped before its schedule ended, and (a soak) the steps it drew as it went. */
export interface RunOutcome {
  cutShort: boolean;
  cancelled?: boolean;
  schedule?: RunStart['schedule'];
}

export type RunBody = (ctx: RunContext) => Promise<RunOutcome>;

/** A run being recorded. */
export interface Recording extends RunContext {
  /** Ends the recording and closes the run: with what the run did, or the error that stopped it. */
  close(ending: RunOutcome | { error: Error }): Promise<{ run: RunSummary; recorded: RecordedRun | null }>;
}

/** Sampling has begun; `end` waits for agreement, reads the rest and judges. */
interface Begun {
  startedAt: number;
  end: (cutShort: boolean) => Promise<RecordedRun>;
}

export class RunRecorder extends EventEmitter<{ changed: [RunSummary] }> {
  /** Where this control plane answers; set once it listens. */
  baseUrl = '';

  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      runs: RunStore;
      /** The control token: the body applies faults through the chaos API with it. */
      token: string;
      logger?: Logger;
    },
  ) {
    super();
  }

  api(): ControlPlaneClient {
    return new ControlPlaneClient(this.baseUrl, { token: this.deps.token, timeoutMs: 30_000 });
  }

  /** Opens a run as 'running' (announced on 'changed'); `record` runs and closes it. */
  async open(start: Omit<RunStart, 'startedAt'>): Promise<RunSummary> {
    const run = await this.deps.runs.open({ ...start, startedAt: Date.now() });
    this.emit('changed', run);
    return run;
  }

  /**
   * Starts recording an opened run (sampling begins now); the returned recording's `close`
   * judges and closes it. A caller that injects faults itself (the chaos soak) uses this; others
   * `record`. When recording cannot even begin, the run is closed as 'error' and this throws.
   */
  async start(run: RunSummary, opts: RecordingOptions): Promise<Recording> {
    const api = this.api();
    let begun: Begun;
    try {
      begun = await this.begin(api, opts);
    } catch (err) {
      this.deps.logger?.error({ err, run: run.id }, 'the run could not be recorded');
      await this.finish(run, { status: 'error', recorded: null, errors: [`could not be recorded: ${(err as Error).message}`] });
      throw err;
    }
    return { api, startedAt: begun.startedAt, close: (ending) => this.close(run, begun, ending) };
  }

  /**
   * Runs `body` while recording, then judges and closes the run: 'finished', 'cancelled' (the
   * body stopped early) or 'error' (the body threw: what was recorded until then is kept and
   * judged, with the run cut short). Throws only when the run cannot be closed at all.
   */
  async record(run: RunSummary, opts: RecordingOptions, body: RunBody): Promise<{ run: RunSummary; recorded: RecordedRun | null }> {
    let recording: Recording;
    try {
      recording = await this.start(run, opts);
    } catch {
      return { run: await this.deps.runs.summary(run.id), recorded: null };
    }
    let ending: RunOutcome | { error: Error };
    try {
      ending = await body(recording);
    } catch (err) {
      ending = { error: err as Error };
    }
    return recording.close(ending);
  }

  private async close(run: RunSummary, begun: Begun, ending: RunOutcome | { error: Error }): Promise<{ run: RunSummary; recorded: RecordedRun | null }> {
    const errors: string[] = [];
    let status: Exclude<RunStatus, 'running'> = 'finished';
    let outcome: RunOutcome;
    if ('error' in ending) {
      this.deps.logger?.error({ err: ending.error, run: run.id }, 'the run stopped on an error');
      errors.push(ending.error.message);
      status = 'error';
      outcome = { cutShort: true };
    } else {
      outcome = ending;
      if (outcome.cancelled || outcome.cutShort) status = 'cancelled';
    }
    let recorded: RecordedRun | null = null;
    try {
      recorded = await begun.end(outcome.cutShort);
    } catch (err) {
      this.deps.logger?.error({ err, run: run.id }, 'the run could not be recorded');
      errors.push(`could not be recorded: ${(err as Error).message}`);
      status = 'error';
    }
    return this.finish(run, { status, recorded, errors, schedule: outcome.schedule });
  }

  private async finish(
    run: RunSummary,
    end: { status: Exclude<RunStatus, 'running'>; recorded: RecordedRun | null; errors: string[]; schedule?: RunStart['schedule'] },
  ): Promise<{ run: RunSummary; recorded: RecordedRun | null }> {
    const { recorded } = end;
    const closed = await this.deps.runs.finish(run.id, {
      status: end.status,
      endedAt: recorded?.history.endedAt ?? Date.now(),
      history: recorded?.history ?? null,
      verdict: recorded?.verdict ?? null,
      alerts: recorded?.alerts,
      error: end.errors.length ? end.errors.join('; ') : null,
      schedule: end.schedule,
    });
    this.emit('changed', closed);
    return { run: closed, recorded };
  }

  /** Starts sampling; `end` heals nothing (the body has), waits for agreement, reads the rest and judges. */
  private async begin(api: ControlPlaneClient, opts: RecordingOptions): Promise<Begun> {
    const { prisma, runs } = this.deps;
    const chaosBefore = await lastChaosId(prisma);
    const nodesAtStart = (await api.call('nodes', {})).nodes;
    const heads: ChainReading[] = [];
    const sampler = sampleHeads(api, heads, opts.sampleMs ?? 250);
    const startedAt = Date.now();
    const end = async (cutShort: boolean): Promise<RecordedRun> => {
      let endedAt: number;
      try {
        if (await waitUntil(() => networkAgreed(api), opts.recoveryBoundSec * 1000)) await sleep(opts.settleMs);
        endedAt = Date.now();
      } finally {
        await sampler.stop();
      }
      const nodesAtEnd = (await api.call('nodes', {}).catch(() => ({ nodes: [] }))).nodes;
      const fromHeight = Math.min(...nodesAtStart.map((n) => n.height ?? 0));
      const history: RunHistory = {
        engine: opts.engine,
        // Nodes added during the run count too: they must recover like the others.
        nodes: [...new Set([...nodesAtStart, ...nodesAtEnd].map((n) => n.id))],
        startedAt,
        endedAt,
        cutShort,
        recoveryBoundSec: opts.recoveryBoundSec,
        faults: faultsOf(await chaosRecordsAfter(prisma, chaosBefore), endedAt),
        heads,
        finalized: opts.engine === 'bft' ? heads : [],
        index: await compareIndex(prisma, api, Number.isFinite(fromHeight) ? fromHeight : 0),
      };
      return { history, verdict: judgeRun(history), alerts: await runs.alertsDuring(startedAt, endedAt) };
    };
    return { startedAt, end };
  }
}
