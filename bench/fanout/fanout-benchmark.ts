// `npm run bench -- fanout`: the registry entry for the fanout benchmark (fanout-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runFanoutBench } from './fanout-bench.ts';

export const fanoutBenchmark: Benchmark = {
  name: 'fanout',
  description: 'Socket.IO events/s the live hub delivers to 1,000 clients (synthetic 8 nodes × 5 blocks/s): heads exactly once, heap after GC flat, CPU per delivery vs bare ws',
  options: [
    '--fanout-clients N (1000)',
    '--fanout-seconds N (20)',
    '--fanout-baseline-seconds N (10; 0 skips the bare-ws baseline)',
    '--fanout-nodes N (8)',
    '--fanout-block-ms N (200)',
  ],
  run: ({ args, say }) =>
    runFanoutBench(
      {
        clients: intArg(args, 'fanout-clients', 1_000, 1),
        seconds: intArg(args, 'fanout-seconds', 20, 3),
        baselineSeconds: intArg(args, 'fanout-baseline-seconds', 10, 0),
        nodes: intArg(args, 'fanout-nodes', 8, 1),
        blockTimeMs: intArg(args, 'fanout-block-ms', 200, 1),
        seed: 'fanout',
      },
      say,
    ),
};
