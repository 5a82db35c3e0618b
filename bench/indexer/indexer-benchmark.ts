// `npm run bench -- indexer`: the registry entry for the indexer benchmark (indexer-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runIndexerBench } from './indexer-bench.ts';

export const indexerBenchmark: Benchmark = {
  name: 'indexer',
  description: 'real ingest (stream + backfill → Postgres) of a generated chain vs raw COPY of the same rows; peak RSS; API latencies',
  options: ['--blocks N (20000; 100000 for the full figure)', '--txs N (10)', '--requests N (200)', '--seed S (bench)', '--regenerate', '--no-writer-only', '--no-copy'],
  run: ({ args }) =>
    runIndexerBench({
      blocks: intArg(args, 'blocks', 20_000, 1),
      txs: intArg(args, 'txs', 10, 0),
      requests: intArg(args, 'requests', 200, 1),
      seed: typeof args.seed === 'string' ? args.seed : 'bench',
      regenerate: args.regenerate === true,
      writerOnly: args['no-writer-only'] !== true,
      copy: args['no-copy'] !== true,
    }),
};
