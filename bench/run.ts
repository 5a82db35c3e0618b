// `npm run bench -- <name> [options]`: the project's benchmarks. `npm run bench` alone runs
// them all (today: indexer). Exits non-zero when a benchmark misses its goal.
//
//   indexer   ingest of a generated chain through the real indexer vs raw COPY, memory, API
//             latencies. Options: --blocks N (100000)  --txs N (10)  --requests N (200)
//             --seed S (bench)  --regenerate  --no-writer-only  --no-copy
//             Environment: DATABASE_URL (use that server), BENCH_TRACE=1 (each index write on
//             stderr), BENCH_STORE_MODULE=path (benchmark another PrismaIndexStore, e.g. an
//             older version, for before/after figures), BENCH_LOG_LEVEL (default warn).
import { parseArgs } from 'node:util';
import { runIndexerBench } from './indexer/indexer-bench.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    blocks: { type: 'string', default: '100000' },
    txs: { type: 'string', default: '10' },
    requests: { type: 'string', default: '200' },
    seed: { type: 'string', default: 'bench' },
    regenerate: { type: 'boolean', default: false },
    'no-writer-only': { type: 'boolean', default: false },
    'no-copy': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function int(name: string, raw: string, min: number): number {
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, not "${raw}"`);
  return n;
}

const benches: Record<string, () => Promise<{ ok: boolean }>> = {
  indexer: () =>
    runIndexerBench({
      blocks: int('blocks', values.blocks, 1),
      txs: int('txs', values.txs, 0),
      requests: int('requests', values.requests, 1),
      seed: values.seed,
      regenerate: values.regenerate,
      writerOnly: !values['no-writer-only'],
      copy: !values['no-copy'],
    }),
};

if (values.help) {
  console.log('usage: npm run bench -- [indexer] [--blocks N] [--txs N] [--requests N] [--seed S] [--regenerate] [--no-writer-only] [--no-copy]');
  process.exit(0);
}
const names = positionals.length ? positionals : Object.keys(benches);
const unknown = names.filter((n) => !benches[n]);
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
let ok = true;
for (const name of names) {
  const result = await benches[name]();
  ok &&= result.ok;
}
process.exit(ok ? 0 : 1);
