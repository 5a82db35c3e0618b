// `npm run bench -- consensus`: proposal → commit on every node of a BFT testnet (Tendermint
// engine, 1 s blocks, real node processes on loopback) at 4 and 16 validators. Goals: p99 <
// 50 ms at 4, < 150 ms at 16. Beside them, what the time is made of (the round-0 phases) and
// what the machine spent on it (CPU of all nodes, messages and signature checks per height).
import { fmt, summarise } from '../core/stats.ts';
import { goal, intArg, listArg, type Benchmark, type Figure, type Goal } from '../core/result.ts';
import { loadAverage } from '../testnet/bench-testnet.ts';
import { goalRatio } from './commit-latency.ts';
import { measureConsensus, type ConsensusResult } from './consensus-run.ts';
import { PHASES } from './phase-breakdown.ts';
import { measureSignatureCost, verifiesPerHeight, type SignatureCost } from './signature-cost.ts';

/** p99 proposal → commit goal per validator count, ms. */
export const GOAL_P99_MS: ReadonlyMap<number, number> = new Map([
  [4, 50],
  [16, 150],
]);
const DEFAULT_SIZES = [4, 16];
const DEFAULT_HEIGHTS = [60, 40];

function heightsFor(sizes: number[], heights: number[]): number[] {
  return sizes.map((n, i) => heights[i] ?? heights[heights.length - 1] ?? (n <= 4 ? 60 : 40));
}

/** Heights whose proposer paused less than half a block time: it skipped the commit wait. */
const skippedWait = (r: ConsensusResult, blockTimeMs: number) => r.proposerPauses.filter((p) => p.pauseMs < blockTimeMs / 2).length;

function figuresOf(r: ConsensusResult, sig: SignatureCost, blockTimeMs: number): Figure[] {
  const n = r.validators;
  const l = r.latencies;
  const each = summarise(l.samples);
  const every = summarise(l.everyNode);
  const goalMs = GOAL_P99_MS.get(n);
  const ld = r.load;
  const verifyCpuMs = (n * verifiesPerHeight(n) * sig.verifyUs) / 1000;
  const figures: Figure[] = [
    {
      name: `p50 proposal → commit (${n} validators)`,
      value: each.p50,
      unit: 'ms',
      note: `${l.heights} heights × ${n} nodes = ${each.count} samples, ${l.missing} missing; ${l.roundsAboveZero} heights decided in a round > 0`,
    },
    { name: `p99 proposal → commit (${n} validators)`, value: each.p99, unit: 'ms', note: `load ${ld.loadAtStart} → ${ld.loadAtEnd}` },
    { name: `max proposal → commit (${n} validators)`, value: each.max, unit: 'ms' },
    {
      name: `p99 proposal → commit on the last node (${n} validators)`,
      value: every.p99,
      unit: 'ms',
      note: `${every.count} heights every node committed; p50 ${fmt(every.p50, 1)} ms`,
    },
  ];
  if (goalMs !== undefined) {
    figures.push({ name: `p99 proposal → commit ÷ goal (${n} validators)`, value: goalRatio(each.p99, goalMs), unit: 'ratio', note: `goal < ${goalMs} ms` });
  }
  for (const phase of PHASES) {
    const s = summarise(r.phases[phase]);
    figures.push({
      name: `phase ${phase}, p50 (${n} validators)`,
      value: s.p50,
      unit: 'ms',
      note: `p99 ${fmt(s.p99, 0)} ms, ${s.count} samples (round 0, step times in whole ms)`,
    });
  }
  const pause = summarise(r.proposerPauses.map((p) => p.pauseMs));
  const paced = summarise(r.pacedLatencies.samples);
  figures.push({
    name: `heights whose proposer skipped the commit wait (${n} validators)`,
    value: skippedWait(r, blockTimeMs),
    unit: 'heights',
    note:
      `of ${pause.count}: pause from accepting the block below to building the next < ${blockTimeMs / 2} ms (p50 pause ${fmt(pause.p50, 0)} ms, min ${fmt(Math.min(...r.proposerPauses.map((p) => p.pauseMs)), 0)} ms); ` +
      'it took the block below from gossip before deciding it, and began the height at once, while the others wait commitWait',
  });
  figures.push({
    name: `p99 proposal → commit, heights whose proposer waited commitWait (${n} validators)`,
    value: paced.p99,
    unit: 'ms',
    note: `${r.pacedLatencies.heights} heights, ${paced.count} samples; p50 ${fmt(paced.p50, 1)} ms, max ${fmt(paced.max, 1)} ms: the latency without the engine's pacing gap`,
  });
  const wake = summarise(r.probe.wakeLateMs);
  const fsync = summarise(r.probe.fsyncMs);
  figures.push(
    {
      name: `wake-up lateness of an idle process, p50 (${n} validators)`,
      value: wake.p50,
      unit: 'ms',
      note: `p99 ${fmt(wake.p99, 1)} ms, max ${fmt(wake.max, 1)} ms: a 5 ms timer in this process during the window (every message hop waits for a wake-up)`,
    },
    {
      name: `fsync of a 200 B append, p50 (${n} validators)`,
      value: fsync.p50,
      unit: 'ms',
      note: `p99 ${fmt(fsync.p99, 1)} ms, ${fsync.count} samples in the testnet's data dir${r.probe.fsyncError ? ` (stopped: ${r.probe.fsyncError})` : ''}: the signing WAL waits for one before each proposal and vote leaves`,
    },
    {
      name: `CPU pressure: share of the window a task waited for a core (${n} validators)`,
      value: r.probe.cpuPressure,
      unit: 'ratio',
      note: `Linux PSI, whole machine (other helpers' work too); I/O pressure ${fmt(r.probe.ioPressure, 2)}`,
    },
    {
      name: `cores used by all nodes (${n} validators)`,
      value: ld.nodeCores,
      unit: 'cores',
      note: `busiest node ${fmt(ld.maxNodeCpuPct, 0)}% of a core; this benchmark's stream reader ${fmt(ld.benchCpuPct, 0)}%`,
    },
    { name: `CPU of all nodes per height (${n} validators)`, value: ld.cpuMsPerHeight, unit: 'ms', note: `over ${(r.windowMs / 1000).toFixed(0)} s of window` },
    {
      name: `Ed25519 checks' share of that CPU (${n} validators)`,
      value: ld.cpuMsPerHeight ? verifyCpuMs / ld.cpuMsPerHeight : null,
      unit: 'ratio',
      note: `≈ ${verifiesPerHeight(n)} checks per node per height × ${n} nodes × ${fmt(sig.verifyUs, 0)} µs = ${fmt(verifyCpuMs, 1)} ms (estimate, see signature-cost.ts)`,
    },
    {
      name: `P2P messages received per node per height (${n} validators)`,
      value: ld.allMsgsPerHeight,
      unit: 'msgs',
      note: `${fmt(ld.voteMsgsPerHeight, 1)} votes (${2 * (n - 1)} new ones in round 0; the rest relayed and re-gossiped copies), ${fmt(ld.proposalMsgsPerHeight, 1)} proposals`,
    },
  );
  return figures;
}

export const consensusBenchmark: Benchmark = {
  name: 'consensus',
  description:
    'BFT (Tendermint) proposal → commit on every node (p50/p99/max) at 4 and 16 validators, 1 s blocks, loopback node processes; phases, CPU and signature checks per height',
  options: ['--consensus-sizes LIST (4,16)', '--consensus-heights LIST (60,40: per size)', '--consensus-warmup N (5 heights)', '--consensus-block-ms MS (1000)'],
  async run({ args, say }) {
    const sizes = listArg(args, 'consensus-sizes', DEFAULT_SIZES);
    const heights = heightsFor(sizes, listArg(args, 'consensus-heights', DEFAULT_HEIGHTS));
    const warmupHeights = intArg(args, 'consensus-warmup', 5, 1);
    const blockTimeMs = intArg(args, 'consensus-block-ms', 1000, 100);
    if (sizes.some((n) => n < 4)) throw new Error('--consensus-sizes: BFT needs at least 4 validators to tolerate one fault');
    const sig = measureSignatureCost();
    say(`Ed25519 on one core here: verify ${fmt(sig.verifyUs, 1)} µs, sign ${fmt(sig.signUs, 1)} µs`);
    const params = {
      sizes,
      heights,
      warmupHeights,
      blockTimeMs,
      txRate: 1,
      seed: 'bench-consensus',
      verifyUs: Number(sig.verifyUs.toFixed(1)),
      signUs: Number(sig.signUs.toFixed(1)),
    };
    const figures: Figure[] = [];
    const goals: Goal[] = [];
    for (const [i, n] of sizes.entries()) {
      const goalMs = GOAL_P99_MS.get(n);
      say(`consensus: ${n} validators, ${heights[i]} heights after ${warmupHeights} warm-up, ${blockTimeMs} ms blocks (load average ${loadAverage()})`);
      let r: ConsensusResult;
      try {
        r = await measureConsensus({ validators: n, heights: heights[i], warmupHeights, blockTimeMs, txRate: params.txRate, seed: params.seed, say });
      } catch (err) {
        // Keep the other sizes' figures: one size that cannot run is a finding, not a crash.
        const why = `${n} validators: ${(err as Error).message}`;
        say(`  FAILED: ${why}`);
        figures.push({ name: `p99 proposal → commit (${n} validators)`, value: null, unit: 'ms', note: `not measured: ${why}` });
        if (goalMs !== undefined) goals.push(goal(`p99 proposal → commit, ${n} validators`, `< ${goalMs} ms`, null, 'ms', false, why));
        continue;
      }
      const s = summarise(r.latencies.samples);
      const l = r.latencies;
      say(
        `  ${n} validators: heights ${r.window.fromHeight + 1}…${r.window.toHeight} (${l.heights}), ${s.count} samples: p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, max ${fmt(s.max, 2)} ms; ` +
          `rounds > 0: ${l.roundsAboveZero}; missing ${l.missing}; absent heights ${l.absentHeights}; forked heights ${l.forkedHeights}; negative ${l.negative}`,
      );
      say(
        `  phases p50/p99 ms: ${PHASES.map((p) => {
          const ph = summarise(r.phases[p]);
          return `${p} ${fmt(ph.p50, 0)}/${fmt(ph.p99, 0)}`;
        }).join('; ')}`,
      );
      const pause = summarise(r.proposerPauses.map((p) => p.pauseMs));
      const paced = summarise(r.pacedLatencies.samples);
      say(
        `  proposers skipped the commit wait at ${skippedWait(r, blockTimeMs)} of ${pause.count} heights (pause before proposing p50 ${fmt(pause.p50, 0)} ms); ` +
          `the other ${r.pacedLatencies.heights} heights: p50 ${fmt(paced.p50, 2)} ms, p99 ${fmt(paced.p99, 2)} ms, max ${fmt(paced.max, 2)} ms`,
      );
      const wake = summarise(r.probe.wakeLateMs);
      const fsync = summarise(r.probe.fsyncMs);
      say(
        `  machine: wake-up lateness p50 ${fmt(wake.p50, 2)} / p99 ${fmt(wake.p99, 2)} / max ${fmt(wake.max, 1)} ms; fsync p50 ${fmt(fsync.p50, 2)} / p99 ${fmt(fsync.p99, 2)} / max ${fmt(fsync.max, 1)} ms; ` +
          `CPU pressure ${fmt(r.probe.cpuPressure, 2)}, I/O pressure ${fmt(r.probe.ioPressure, 2)} (share of the window some task waited)`,
      );
      say(
        `  load: nodes used ${fmt(r.load.nodeCores, 2)} cores (busiest ${fmt(r.load.maxNodeCpuPct, 0)}%), ${fmt(r.load.cpuMsPerHeight, 0)} CPU-ms per height, ` +
          `${fmt(r.load.allMsgsPerHeight, 0)} msgs in per node per height (${fmt(r.load.voteMsgsPerHeight, 0)} votes); bench ${fmt(r.load.benchCpuPct, 0)}%; load average ${r.load.loadAtEnd}`,
      );
      if (r.coarse > 0) say(`  note: ${r.coarse} acceptances had whole-ms times only (nodes without acceptedAt)`);
      if (r.lostStreams.length > 0) say(`  note: streams lost: ${r.lostStreams.join('; ')}`);
      figures.push(...figuresOf(r, sig, blockTimeMs));
      if (goalMs !== undefined) {
        const met = s.p99 !== null && s.p99 < goalMs && l.heights >= heights[i];
        const why =
          l.heights < heights[i]
            ? `only ${l.heights} of ${heights[i]} heights measurable (${l.absentHeights} absent, ${l.forkedHeights} forked)`
            : `measured ${fmt(s.p99, 1)} ms = ${fmt(goalRatio(s.p99, goalMs), 2)}× the goal at load average ${r.load.loadAtEnd}; nodes used ${fmt(r.load.nodeCores, 2)} of 2 cores, CPU pressure ${fmt(r.probe.cpuPressure, 2)}; ${l.roundsAboveZero} heights needed a round > 0; ${skippedWait(r, blockTimeMs)} proposers skipped the commit wait`;
        goals.push(goal(`p99 proposal → commit, ${n} validators`, `< ${goalMs} ms`, s.p99, 'ms', met, why));
      }
    }
    for (const [n, ms] of GOAL_P99_MS) if (!sizes.includes(n)) say(`(goal p99 < ${ms} ms at ${n} validators: not in --consensus-sizes)`);
    return { params, figures, goals };
  },
};
