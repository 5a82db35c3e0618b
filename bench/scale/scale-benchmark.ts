// `npm run bench -- scale`: the largest local testnet this machine holds at 1 s blocks with
// every node in sync for the whole window (default: one 64-node run for 2 minutes; give
// --scale-nodes 32,48,64 to step up until one does not hold), with CPU and RSS per node.
import { fmt, summarise } from '../core/stats.ts';
import { goal, intArg, listArg, type Benchmark, type Figure } from '../core/result.ts';
import { measureScale, type ScaleResult } from './scale-run.ts';
import { IN_SYNC_RULE } from './sync-check.ts';

const GOAL_NODES = 64;

function figuresOf(r: ScaleResult): Figure[] {
  const n = r.nodes;
  const cpu = summarise(r.cpuPct.filter(Number.isFinite));
  const rss = summarise(r.rssMB);
  const totalCpu = r.cpuPct.filter(Number.isFinite).reduce((s, c) => s + c, 0);
  return [
    {
      name: `held in sync (${n} nodes)`,
      value: r.held ? 1 : 0,
      unit: 'yes=1',
      note: r.why ?? `${r.samplesInSync}/${r.samples} samples in sync, max spread ${r.maxSpread}; load ${r.loadAtStart} → ${r.loadAtEnd}`,
    },
    { name: `samples in sync (${n} nodes)`, value: r.samples > 0 ? r.samplesInSync / r.samples : null, unit: 'ratio', note: `${r.samplesInSync} of ${r.samples}` },
    { name: `blocks per slot (${n} nodes)`, value: r.blocksPerSlot, unit: 'ratio', note: 'chain growth ÷ slots in the window (1 = no slot missed)' },
    { name: `CPU per node, mean (${n} nodes)`, value: cpu.mean, unit: '% core', note: `max ${fmt(cpu.max, 1)} %; all nodes together ${fmt(totalCpu, 0)} % of 200 %` },
    {
      name: `RSS per node, mean (${n} nodes)`,
      value: rss.mean,
      unit: 'MB',
      note: `max ${fmt(rss.max, 0)} MB; all nodes ${fmt(
        r.rssMB.reduce((s, m) => s + m, 0),
        0,
      )} MB`,
    },
    { name: `peers per node, min (${n} nodes)`, value: Math.min(...r.peers), unit: 'peers', note: `start-up to in sync ${fmt(r.startupMs / 1000, 1)} s` },
  ];
}

export const scaleBenchmark: Benchmark = {
  name: 'scale',
  description: 'largest local testnet held at 1 s blocks with every node in sync for the whole window (goal ≥ 64 nodes); CPU and RSS per node',
  options: ['--scale-nodes LIST (64; e.g. 32,48,64 steps up until one fails)', '--scale-minutes N (2)', '--scale-sample-ms MS (2000)'],
  async run({ args, say }) {
    const sizes = [...listArg(args, 'scale-nodes', [GOAL_NODES])].sort((a, b) => a - b);
    const minutes = intArg(args, 'scale-minutes', 2, 1);
    const sampleMs = intArg(args, 'scale-sample-ms', 2000, 250);
    if (sizes.some((n) => n < 2)) throw new Error('--scale-nodes: a testnet needs at least 2 nodes');
    const params = { sizes, minutes, sampleMs, blockTimeMs: 1000, txRate: 1, seed: 'bench-scale' };
    say(IN_SYNC_RULE);
    const figures: Figure[] = [];
    let largestHeld: number | null = null;
    let lastFailure: string | null = null;
    for (const n of sizes) {
      say(`scale: ${n} nodes at ${params.blockTimeMs} ms blocks for ${minutes} min, sampled every ${sampleMs} ms`);
      let r: ScaleResult;
      try {
        r = await measureScale({
          nodes: n,
          durationMs: minutes * 60_000,
          blockTimeMs: params.blockTimeMs,
          sampleMs,
          txRate: params.txRate,
          seed: params.seed,
          settleTimeoutMs: 90_000,
          say,
        });
      } catch (err) {
        lastFailure = `${n} nodes: ${(err as Error).message}`;
        say(`  ${lastFailure}`);
        figures.push({ name: `held in sync (${n} nodes)`, value: 0, unit: 'yes=1', note: (err as Error).message });
        break;
      }
      const cpu = summarise(r.cpuPct.filter(Number.isFinite));
      const rss = summarise(r.rssMB);
      say(
        `  ${n} nodes: ${r.held ? 'HELD' : 'NOT HELD'}; ${r.samplesInSync}/${r.samples} samples in sync, max spread ${r.maxSpread}, ${fmt(r.blocksPerSlot, 2)} blocks/slot; ` +
          `CPU per node mean ${fmt(cpu.mean, 1)} % max ${fmt(cpu.max, 1)} %; RSS mean ${fmt(rss.mean, 0)} MB max ${fmt(rss.max, 0)} MB; load ${r.loadAtStart} → ${r.loadAtEnd}`,
      );
      figures.push(...figuresOf(r));
      if (!r.held) {
        lastFailure = `${n} nodes: ${r.why}`;
        break; // a bigger testnet will not hold where this one did not
      }
      largestHeld = n;
    }
    figures.unshift({ name: 'largest testnet held in sync', value: largestHeld, unit: 'nodes', note: `tried ${sizes.join(', ')}` });
    const goals = [
      goal(
        `largest testnet held in sync at 1 s blocks for ${minutes} min`,
        `≥ ${GOAL_NODES} nodes`,
        largestHeld,
        'nodes',
        (largestHeld ?? 0) >= GOAL_NODES,
        lastFailure ?? (sizes.at(-1)! < GOAL_NODES ? `only sizes up to ${sizes.at(-1)} were tried` : undefined),
      ),
    ];
    return { params, figures, goals };
  },
};
