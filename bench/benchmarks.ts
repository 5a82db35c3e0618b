// Every benchmark `npm run bench` knows, in the order the whole suite runs them.
import type { Benchmark } from './core/result.ts';
import { indexerBenchmark } from './indexer/indexer-benchmark.ts';
import { explorerApiBenchmark } from './explorer-api/explorer-api-benchmark.ts';
import { syncBenchmark } from './sync/sync-benchmark.ts';
import { propagationBenchmark } from './propagation/propagation-benchmark.ts';
import { consensusBenchmark } from './consensus/consensus-benchmark.ts';
import { scaleBenchmark } from './scale/scale-benchmark.ts';
import { liveBenchmark } from './live/live-benchmark.ts';
import { fanoutBenchmark } from './fanout/fanout-benchmark.ts';
import { replicasBenchmark } from './replicas/replicas-benchmark.ts';
import { explorerUiBenchmark } from './explorer-ui/explorer-ui-benchmark.ts';
import { nodeRuntimeBenchmark } from './runtime/node-runtime-benchmark.ts';

export const benchmarks: Benchmark[] = [
  indexerBenchmark,
  liveBenchmark,
  propagationBenchmark,
  consensusBenchmark,
  syncBenchmark,
  scaleBenchmark,
  explorerApiBenchmark,
  fanoutBenchmark,
  replicasBenchmark,
  explorerUiBenchmark,
  nodeRuntimeBenchmark,
];
