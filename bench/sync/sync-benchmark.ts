// `npm run bench -- sync`: the registry entry for the sync benchmark (sync-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runSyncBench } from './sync-bench.ts';

export const syncBenchmark: Benchmark = {
  name: 'sync',
  description:
    'a fresh node process catching up a generated chain from one peer process: blocks/s, wall time, checkpoint sync; vs in-process import; then a BFT chain with commit certificates (blocks/s, verifies/s vs the two-core Ed25519 ceiling and PoA)',
  options: [
    '--sync-blocks N (20000)',
    '--sync-txs N (3)',
    '--sync-baseline-blocks N (3000)',
    '--sync-seed S (sync)',
    '--sync-regenerate',
    '--no-sync-checkpoint',
    '--sync-bft-blocks N (10000; 0 skips the BFT chain)',
  ],
  run: ({ args, say }) =>
    runSyncBench({
      blocks: intArg(args, 'sync-blocks', 20_000, 1),
      txsPerBlock: intArg(args, 'sync-txs', 3, 0),
      baselineBlocks: intArg(args, 'sync-baseline-blocks', 3_000, 1),
      seed: typeof args['sync-seed'] === 'string' ? args['sync-seed'] : 'sync',
      regenerate: args['sync-regenerate'] === true,
      checkpoint: args['no-sync-checkpoint'] !== true,
      bftBlocks: intArg(args, 'sync-bft-blocks', 10_000, 0),
      say,
    }),
};
