// Every benchmark `npm run bench` knows, in the order the whole suite runs them.
import type { Benchmark } from './core/result.ts';
import { indexerBenchmark } from './indexer/indexer-benchmark.ts';

export const benchmarks: Benchmark[] = [
  indexerBenchmark,
  // live (latency):
  // propagation:
  // sync:
  // scale:
  // explorer-api:
  // fanout:
];
