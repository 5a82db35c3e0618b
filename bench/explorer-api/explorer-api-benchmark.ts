// `npm run bench -- explorer-api`: the registry entry for the explorer API benchmark
// (explorer-api-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runExplorerApiBench } from './explorer-api-bench.ts';

export const explorerApiBenchmark: Benchmark = {
  name: 'explorer-api',
  description: 'p50/p95 of /api/blocks, /api/blocks/:id and /api/forks (200 heights × all nodes) over a bulk-loaded index of 1,000,000 blocks',
  options: [
    '--api-blocks N (1000000)',
    '--api-nodes N (16)',
    '--api-head-history N (heights, 20000)',
    '--api-full-chains N (nodes with canonical rows from genesis, 2; 16 = the full 16M rows, 3–5 min to load)',
    '--api-requests N (300)',
  ],
  run: ({ args, say }) =>
    runExplorerApiBench({
      blocks: intArg(args, 'api-blocks', 1_000_000, 400),
      nodes: intArg(args, 'api-nodes', 16, 1),
      headHistory: intArg(args, 'api-head-history', 20_000, 1),
      // Every node's chain from genesis is 16M rows: over the suite's budget (see params.data).
      fullChainNodes: intArg(args, 'api-full-chains', 2, 0),
      requests: intArg(args, 'api-requests', 300, 1),
      warmup: 20,
      say,
    }),
};
