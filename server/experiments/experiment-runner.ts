// Runs one experiment on a fresh local testnet of its own: the whole control plane in process
// (embedded Postgres, indexer, monitor, chaos controller), the resolved fault schedule applied
// through the same chaos API users click, every node's head sampled throughout, everything
// healed at the end, the index compared with every node's chain, and the verdict judged over
// the recorded history (verdict.ts). What it returns is what an exported run file carries.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { freePorts } from '../../lib/free-port.ts';
import { ControlPlaneClient } from '../../lib/http/control-plane-client.ts';
import type { ChaosRecord } from '../../wire/chaos-api.ts';
import type { AlertRecord } from '../../wire/explorer-api.ts';
import type { Experiment } from '../../wire/experiment.ts';
import type { ChainReading, IndexCheckSchema, RunHistory, Verdict } from '../../wire/run-history.ts';
import type { z } from 'zod';
import { loadServerConfig } from '../config.ts';
import { startControlPlane, type ControlPlane } from '../control-plane.ts';
import { toRecord } from '../control/chaos-controller.ts';
import { resolveNames } from '../scenarios/scenario-runner.ts';
import { blocksMissingParent, nodeChain } from '../testing/index-checks.ts';
import { RunStore } from '../runs/run-store.ts';
import { faultsOf } from './run-faults.ts';
import { resolveSchedule, type ResolvedStep } from './schedule.ts';
import { judgeRun } from './verdict.ts';

export interface ExperimentRun {
  experiment: Experiment;
  seed: number;
  schedule: ResolvedStep[];
  history: RunHistory;
  verdict: Verdict;
  /** Alerts the monitor raised during the run. */
  alerts: AlertRecord[];
}

export interface RunOptions {
  seed: number;
  /** One line per event, for a terminal. */
  say?: (line: string) => void;
  /** How often every node's head is read, ms. */
  sampleMs?: number;
  /** Stops the run early (the verdict is then 'unknown' at best). */
  signal?: AbortSignal;
}

const TOKEN = 'experiment-control-token-0123456789';
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

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
  const api = new ControlPlaneClient(plane.url, { token: TOKEN, timeoutMs: 30_000 });
  const boundMs = experiment.checks.recoveryBoundSec * 1000;
  await waitUntil(async () => (await api.call('health', {})).network.status === 'agreed', 120_000, 'the testnet never agreed before the first fault');
  const status = (await api.call('nodes', {})).nodes;
  const nodes = status.map((n) => n.id);
  // Files name nodes as the explorer shows them ("node-1"), as scenarios do.
  const idOf = (nameOrId: string) => {
    const n = status.find((x) => x.name === nameOrId || x.id === nameOrId);
    if (!n) throw new Error(`no node named ${nameOrId} (known: ${status.map((x) => x.name).join(', ')})`);
    return n.id;
  };

  const heads: ChainReading[] = [];
  const sampler = sampleHeads(api, heads, opts.sampleMs ?? 250);
  const startedAt = Date.now();
  const applied: number[] = [];
  let cutShort = false;
  try {
    for (const step of schedule) {
      await sleep(startedAt + step.at * 1000 - Date.now(), opts.signal);
      if (opts.signal?.aborted) {
        cutShort = true;
        break;
      }
      const { action } = await api.call('applyChaos', { body: resolveNames(step.action as Record<string, unknown>, idOf) });
      applied.push(action.id);
      say(`${step.at.toFixed(0).padStart(5)} s  ${action.kind} → ${action.status}${action.targets.length ? ` on ${action.targets.join(', ')}` : ''}`);
    }
    if (!cutShort) await sleep(startedAt + experiment.durationSec * 1000 - Date.now(), opts.signal);
    cutShort ||= opts.signal?.aborted === true;
  } finally {
    // Whatever happened, the run ends healed, so that the last recovery can be measured.
    await api.call('applyChaos', { body: { kind: 'heal' } }).catch(() => undefined);
  }
  const healedAt = Date.now();
  say(`${((healedAt - startedAt) / 1000).toFixed(0).padStart(5)} s  heal everything; waiting up to ${experiment.checks.recoveryBoundSec} s for recovery`);
  await waitUntil(async () => (await api.call('health', {})).network.status === 'agreed', boundMs, null).catch(() => undefined);
  await sleep(2 * experiment.testnet.blockTimeMs); // a few readings after agreement: what "recovered" is judged on
  const endedAt = Date.now();
  sampler.stop();
  await sampler.done;

  const records = await chaosRecords(plane, applied);
  const index = await compareIndex(plane, api);
  const history: RunHistory = {
    engine: experiment.testnet.engine,
    nodes,
    startedAt,
    endedAt,
    cutShort,
    recoveryBoundSec: experiment.checks.recoveryBoundSec,
    faults: faultsOf(records, endedAt),
    heads,
    // A BFT head is final: there is no fork to choose, so every head reading is a finalized one.
    finalized: experiment.testnet.engine === 'bft' ? heads : [],
    index,
  };
  const alerts = await new RunStore(plane.prisma).alertsDuring(startedAt, endedAt);
  return { experiment, seed: opts.seed, schedule, history, verdict: judgeRun(history), alerts };
}

function sampleHeads(api: ControlPlaneClient, into: ChainReading[], everyMs: number): { stop: () => void; done: Promise<void> } {
  let running = true;
  const done = (async () => {
    while (running) {
      const at = Date.now();
      const nodes = await api.call('nodes', {}).then(
        (r) => r.nodes,
        () => [],
      );
      for (const n of nodes) if (n.height !== null && n.headHash !== null && n.status !== 'down') into.push({ nodeId: n.id, at, height: n.height, hash: n.headHash });
      await sleep(everyMs);
    }
  })();
  return { stop: () => void (running = false), done };
}

async function chaosRecords(plane: ControlPlane, ids: number[]): Promise<ChaosRecord[]> {
  // Also the heals and restarts the controller recorded on its own (expiry), by id range.
  const from = Math.min(...ids, Number.MAX_SAFE_INTEGER);
  const rows = await plane.prisma.chaosAction.findMany({ where: { id: { gte: from } }, orderBy: { id: 'asc' } });
  return rows.map(toRecord);
}

/** The index's copy of each node's chain against the node's own, once the index has caught up (up to 60 s). */
async function compareIndex(plane: ControlPlane, api: ControlPlaneClient): Promise<z.infer<typeof IndexCheckSchema>> {
  const status = await api.call('nodes', {});
  const height = Math.min(...status.nodes.map((n) => n.height ?? 0));
  const rows = await plane.prisma.node.findMany({ select: { id: true, url: true } });
  let missing = 0;
  let mismatched: string[] = [];
  for (let attempt = 0; attempt < 120; attempt++) {
    missing = 0;
    mismatched = [];
    for (const node of rows) {
      const served = await nodeChain(node.url, height).catch(() => null);
      if (served === null) continue; // a node that no longer answers has nothing to compare
      const indexed = await plane.prisma.canonicalBlock.findMany({ where: { nodeId: node.id, height: { lte: height } }, select: { hash: true }, orderBy: { height: 'asc' } });
      const have = new Set(indexed.map((r) => r.hash));
      const lost = served.filter((h) => !have.has(h)).length;
      missing += lost;
      if (lost > 0 || indexed.length !== served.length || indexed.some((r, i) => r.hash !== served[i])) mismatched.push(node.id);
    }
    if (mismatched.length === 0) break;
    await sleep(500);
  }
  return { missingBlocks: missing, invalidBlocks: await blocksMissingParent(plane.prisma), mismatchedNodes: mismatched };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, failure: string | null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  if (failure !== null) throw new Error(failure);
}
