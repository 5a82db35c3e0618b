// One consensus measurement: an N-validator BFT testnet of real node processes on loopback,
// every node's commit time of every height (its /stream `block` acceptedAt) against the
// proposer's build time (the header timestamp), over a window of heights after a warm-up.
//
// Beside the latencies it keeps what explains them on a shared 2-core machine: every node's
// CPU over the window (/proc), this process's own CPU (it parses every stream), P2P messages
// per height (/metrics), and the round-0 step times that split each latency into phases.
import { loadAverage, startBenchTestnet, waitForPeers } from '../testnet/bench-testnet.ts';
import { metricsOf } from '../testnet/node-metrics.ts';
import { cpuSeconds } from '../testnet/proc-stats.ts';
import { sumOf, type Sample } from '../testnet/prometheus-text.ts';
import { commitLatencies, proposerPauses, type CommitLatencies } from './commit-latency.ts';
import { CommitTap } from './commit-tap.ts';
import { startMachineProbe, type MachineProbe, type MachineProbeResult } from './machine-probe.ts';
import { phaseBreakdown, type Phase } from './phase-breakdown.ts';

export interface ConsensusOptions {
  validators: number;
  heights: number;
  warmupHeights: number;
  blockTimeMs: number;
  txRate: number;
  seed: string;
  say: (line: string) => void;
}

export interface ConsensusLoad {
  /** Cores used by all node processes together over the window (CPU-s per s). */
  nodeCores: number | null;
  /** The busiest node, % of one core. */
  maxNodeCpuPct: number | null;
  /** This benchmark process (stream parsing), % of one core. */
  benchCpuPct: number;
  /** CPU-ms all nodes spent per height. */
  cpuMsPerHeight: number | null;
  /** Per node per height, received. */
  voteMsgsPerHeight: number | null;
  proposalMsgsPerHeight: number | null;
  allMsgsPerHeight: number | null;
  loadAtStart: string;
  loadAtEnd: string;
}

export interface ConsensusResult {
  validators: number;
  window: { fromHeight: number; toHeight: number };
  latencies: CommitLatencies;
  phases: Record<Phase, number[]>;
  /** Per window height: the proposer's pause between accepting the block below and building this one. */
  proposerPauses: Array<{ height: number; pauseMs: number }>;
  /** The latencies of the heights whose proposer paused at least half a block time (it waited commitWait). */
  pacedLatencies: CommitLatencies;
  load: ConsensusLoad;
  probe: MachineProbeResult;
  windowMs: number;
  startupMs: number;
  coarse: number;
  lostStreams: string[];
}

const perNodeCpu = (pids: Array<number | null>) => pids.map((p) => (p === null ? null : cpuSeconds(p)));

export async function measureConsensus(opts: ConsensusOptions): Promise<ConsensusResult> {
  const n = opts.validators;
  const started = performance.now();
  const loadAtStart = loadAverage();
  const net = await startBenchTestnet({ label: `consensus-${n}`, nodes: n, blockTimeMs: opts.blockTimeMs, txRate: opts.txRate, seed: opts.seed, consensus: 'bft' });
  let tap: CommitTap | null = null;
  let probe: MachineProbe | null = null;
  let ok = false;
  try {
    await waitForPeers(net.clients, n - 1, 30_000 + 2_000 * n);
    const urls = net.nodes.map((x) => x.url);
    tap = await CommitTap.open(urls);
    const startupMs = performance.now() - started;
    // A height should take a block time and a few ms; a lost round costs ~2 block times more.
    const heightsWait = (count: number) => (count + 2) * opts.blockTimeMs * 4 + 20_000;
    const first = await tap.waitForHeight(1, heightsWait(5), 'a first height committed by every node');
    const fromHeight = await tap.waitForHeight(first + opts.warmupHeights, heightsWait(opts.warmupHeights), 'the warm-up heights');
    const pids = net.nodes.map((x) => x.pid);
    const [cpuBefore, metricsBefore] = [perNodeCpu(pids), await metricsOf(urls)];
    probe = startMachineProbe(net.dataDir);
    const benchCpu0 = process.cpuUsage();
    const t0 = performance.now();
    opts.say(`  ${n} validators up and meshed in ${(startupMs / 1000).toFixed(1)} s; window opens after height ${fromHeight}`);
    const toHeight = fromHeight + opts.heights;
    await tap.waitForHeight(toHeight, heightsWait(opts.heights), `${opts.heights} heights committed by every node`);
    const windowMs = performance.now() - t0;
    const [cpuAfter, metricsAfter] = [perNodeCpu(pids), await metricsOf(urls)];
    const benchCpu = process.cpuUsage(benchCpu0);
    const probed = await probe.stop();
    probe = null;
    const window = { fromHeight, toHeight, nodes: n };
    const blocks = tap.committed();
    const pauses = proposerPauses(blocks, window);
    const paced = new Set(pauses.filter((p) => p.pauseMs >= opts.blockTimeMs / 2).map((p) => p.height));
    ok = true;
    return {
      validators: n,
      window: { fromHeight, toHeight },
      latencies: commitLatencies(blocks, window),
      phases: phaseBreakdown(blocks, tap.steps, window),
      proposerPauses: pauses,
      pacedLatencies: commitLatencies(
        blocks.filter((b) => paced.has(b.height)),
        window,
      ),
      load: loadOf({ cpuBefore, cpuAfter, metricsBefore, metricsAfter, benchCpuMs: (benchCpu.user + benchCpu.system) / 1000, windowMs, heights: opts.heights, loadAtStart }),
      probe: probed,
      windowMs,
      startupMs,
      coarse: tap.coarse,
      lostStreams: [...tap.lost],
    };
  } finally {
    await probe?.stop();
    tap?.close();
    await net.stop({ keepDir: !ok });
    if (!ok) opts.say(`  node logs kept in ${net.dataDir}`);
  }
}

function loadOf(o: {
  cpuBefore: Array<number | null>;
  cpuAfter: Array<number | null>;
  metricsBefore: Sample[][];
  metricsAfter: Sample[][];
  benchCpuMs: number;
  windowMs: number;
  heights: number;
  loadAtStart: string;
}): ConsensusLoad {
  const n = o.cpuBefore.length;
  const cpuMs = o.cpuBefore.map((b, i) => (b === null || o.cpuAfter[i] === null ? null : (o.cpuAfter[i]! - b) * 1000));
  const known = cpuMs.filter((c): c is number => c !== null);
  const totalCpuMs = known.length === n ? known.reduce((s, c) => s + c, 0) : null;
  const inMsgs = (match: Record<string, string>) =>
    o.metricsAfter.reduce(
      (s, a, i) => s + sumOf(a, 'node_p2p_messages_total', { direction: 'in', ...match }) - sumOf(o.metricsBefore[i], 'node_p2p_messages_total', { direction: 'in', ...match }),
      0,
    ) /
    n /
    o.heights;
  return {
    nodeCores: totalCpuMs === null ? null : totalCpuMs / o.windowMs,
    maxNodeCpuPct: known.length ? (Math.max(...known) / o.windowMs) * 100 : null,
    benchCpuPct: (o.benchCpuMs / o.windowMs) * 100,
    cpuMsPerHeight: totalCpuMs === null ? null : totalCpuMs / o.heights,
    voteMsgsPerHeight: inMsgs({ type: 'bft_vote' }),
    proposalMsgsPerHeight: inMsgs({ type: 'bft_proposal' }),
    allMsgsPerHeight: inMsgs({}),
    loadAtStart: o.loadAtStart,
    loadAtEnd: loadAverage(),
  };
}
