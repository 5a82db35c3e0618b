// `npm run bench -- explorer-ui`: the registry entry for the fork view's browser benchmark
// (explorer-ui-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runExplorerUiBench } from './explorer-ui-bench.ts';

export const explorerUiBenchmark: Benchmark = {
  name: 'explorer-ui',
  description: '/forks in Chromium over 5,000 heights with ~1,200 stale blocks (16 nodes): first render, frame times while panning, zooming and scrubbing',
  options: ['--ui-blocks N (5000)', '--ui-nodes N (16)', '--ui-navigations N (5)'],
  run: ({ args, say }) =>
    runExplorerUiBench({
      blocks: intArg(args, 'ui-blocks', 5_000, 1_000),
      nodes: intArg(args, 'ui-nodes', 16, 2),
      navigations: intArg(args, 'ui-navigations', 5, 1),
      say,
    }),
};
