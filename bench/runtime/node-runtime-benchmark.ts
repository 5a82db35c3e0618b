// `npm run bench -- node-runtime`: what one node daemon process costs to start, under the tsx
// loader (how nodes ran before issue 16) and as compiled JavaScript (how a local testnet runs
// them now, node/runtime/node-program.ts): RSS and PSS once started, CPU seconds and wall time
// from spawn to a serving /health. Starts alternate between the two, so a load change on a
// shared machine hits both alike; medians over the runs.
import { fmt, summarise } from '../core/stats.ts';
import { goal, intArg, type Benchmark, type Figure } from '../core/result.ts';
import { loadAverage } from '../testnet/bench-testnet.ts';
import { nodeProgram, NODE_RUNTIMES, type NodeRuntime } from '../../node/runtime/node-program.ts';
import { measureNodeStart, type NodeStart } from './node-start.ts';

const GOAL_RSS_MB = 60;
const GOAL_CPU_S = 0.5;
const GOAL_WALL_S = 0.5;

const median = (xs: number[]) => summarise(xs).p50;

function figuresOf(runtime: NodeRuntime, starts: NodeStart[]): Figure[] {
  const n = `${starts.length} starts`;
  const pss = starts.flatMap((s) => (s.pssMB === null ? [] : [s.pssMB]));
  return [
    { name: `RSS after start (${runtime})`, value: median(starts.map((s) => s.rssMB)), unit: 'MB', note: `median of ${n}; max ${fmt(Math.max(...starts.map((s) => s.rssMB)), 1)}` },
    { name: `PSS after start (${runtime})`, value: median(pss), unit: 'MB', note: 'shared pages (the node binary) split among the processes mapping them' },
    { name: `CPU to serving /health (${runtime})`, value: median(starts.map((s) => s.cpuSec)), unit: 's', note: `median of ${n}; user + system of the node process` },
    {
      name: `wall time to serving /health (${runtime})`,
      value: median(starts.map((s) => s.wallMs / 1000)),
      unit: 's',
      note: `median of ${n}; max ${fmt(Math.max(...starts.map((s) => s.wallMs / 1000)), 2)} s`,
    },
  ];
}

export const nodeRuntimeBenchmark: Benchmark = {
  name: 'node-runtime',
  description: `one node process started under tsx vs compiled JavaScript: RSS, CPU s and wall time to a serving /health (goals, compiled: ≤ ${GOAL_RSS_MB} MB, ≤ ${GOAL_CPU_S} s)`,
  options: ['--runtime-runs N (5 per runtime)', '--runtime-settle-ms MS (2000: RSS is read this long after /health answered)'],
  async run({ args, say }) {
    const runs = intArg(args, 'runtime-runs', 5, 1);
    const settleMs = intArg(args, 'runtime-settle-ms', 2000, 0);
    const params = { runs, settleMs, txRate: 0, logLevel: 'warn' };
    const buildStarted = performance.now();
    const programs = Object.fromEntries(NODE_RUNTIMES.map((r) => [r, nodeProgram(r)])) as Record<NodeRuntime, string[]>;
    say(`compiled node: ${programs.compiled.join(' ')} (ready in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s, built if its sources changed)`);
    const starts: Record<NodeRuntime, NodeStart[]> = { tsx: [], compiled: [] };
    const loadAtStart = loadAverage();
    for (let i = 0; i < runs; i++) {
      for (const runtime of NODE_RUNTIMES) {
        const s = await measureNodeStart(programs[runtime], settleMs);
        starts[runtime].push(s);
        say(`  ${runtime.padEnd(8)} run ${i + 1}: RSS ${fmt(s.rssMB, 1)} MB, PSS ${fmt(s.pssMB, 1)} MB, CPU ${fmt(s.cpuSec, 2)} s, /health after ${fmt(s.wallMs / 1000, 2)} s`);
      }
    }
    const loadAtEnd = loadAverage();
    const figures = NODE_RUNTIMES.flatMap((r) => figuresOf(r, starts[r]));
    const c = starts.compiled;
    const rss = median(c.map((s) => s.rssMB));
    const cpu = median(c.map((s) => s.cpuSec));
    const wall = median(c.map((s) => s.wallMs / 1000));
    const t = starts.tsx;
    say(
      `  before (tsx) → after (compiled), medians: RSS ${fmt(median(t.map((s) => s.rssMB)), 1)} → ${fmt(rss, 1)} MB, CPU ${fmt(median(t.map((s) => s.cpuSec)), 2)} → ${fmt(cpu, 2)} s, ` +
        `/health after ${fmt(median(t.map((s) => s.wallMs / 1000)), 2)} → ${fmt(wall, 2)} s; load ${loadAtStart} → ${loadAtEnd}`,
    );
    const load = `load average ${loadAtStart} → ${loadAtEnd}`;
    const goals = [
      goal('RSS of a started node (compiled)', `≤ ${GOAL_RSS_MB} MB`, rss, 'MB', rss !== null && rss <= GOAL_RSS_MB),
      goal('CPU to a serving /health (compiled)', `≤ ${GOAL_CPU_S} s`, cpu, 's', cpu !== null && cpu <= GOAL_CPU_S, load),
      goal('wall time to a serving /health (compiled)', `≤ ${GOAL_WALL_S} s`, wall, 's', wall !== null && wall <= GOAL_WALL_S, `${load}: wall time waits for the cores too`),
    ];
    return { params, figures, goals };
  },
};
