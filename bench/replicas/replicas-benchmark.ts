// `npm run bench -- replicas`: the registry entry for the two-replica benchmark (replicas-bench.ts).
import { intArg, type Benchmark } from '../core/result.ts';
import { runReplicasBench } from './replicas-bench.ts';

export const replicasBenchmark: Benchmark = {
  name: 'replicas',
  description: 'two control-plane replicas on one Postgres, 1,000 Socket.IO clients over both: heads exactly once, p99 head → client, kill -9 leader → new leader indexing',
  options: ['--clients N (1000, half on each replica)', '--replicas-nodes N (4)', '--replicas-block-ms N (500)', '--replicas-seconds N (20)'],
  run: ({ args, say }) =>
    runReplicasBench(
      {
        clients: intArg(args, 'clients', 1_000, 2),
        nodes: intArg(args, 'replicas-nodes', 4, 1),
        blockTimeMs: intArg(args, 'replicas-block-ms', 500, 200),
        seconds: intArg(args, 'replicas-seconds', 20, 1),
      },
      say,
    ),
};
