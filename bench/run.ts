// `npm run bench [-- NAME …] [--option value …]`: runs the named benchmarks (all of them,
// in order, when none is named), prints each one's progress, then one table of figures and
// goals, and writes it with the machine facts to bench/results/latest.json.
// Exit code: 0 when every goal was met, 1 when one was missed or a benchmark failed, 2 on
// bad arguments. `npm run bench -- --help` lists the benchmarks and their options.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs } from './core/args.ts';
import { machineFacts } from './core/machine.ts';
import { renderResults, writeResults } from './core/report.ts';
import type { BenchResult } from './core/result.ts';
import { benchmarks } from './benchmarks.ts';

const RESULTS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results/latest.json');
const say = (line = '') => process.stdout.write(`${line}\n`);

function usage(): string {
  const lines = ['usage: npm run bench [-- NAME …] [--option value …]   (no NAME: the whole suite, in this order)', ''];
  for (const b of benchmarks) {
    lines.push(`  ${b.name.padEnd(13)} ${b.description}`);
    if (b.options.length) lines.push(`  ${''.padEnd(13)} ${b.options.join('  ')}`);
  }
  lines.push('', `Results: ${path.relative(process.cwd(), RESULTS_FILE)} (benchmarks not run keep their previous figures).`);
  return lines.join('\n');
}

let parsed;
try {
  parsed = parseBenchArgs(process.argv.slice(2), ['--help', ...benchmarks.flatMap((b) => b.options)]);
} catch (err) {
  console.error(`${(err as Error).message}\n\n${usage()}`);
  process.exit(2);
}
if (parsed.args.help) {
  say(usage());
  process.exit(0);
}
const unknown = parsed.names.filter((n) => !benchmarks.some((b) => b.name === n));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}\n\n${usage()}`);
  process.exit(2);
}
const selected = parsed.names.length ? benchmarks.filter((b) => parsed.names.includes(b.name)) : benchmarks;

const machine = machineFacts();
say(`machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.totalMemoryMB} MB, node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`);
const suiteStarted = performance.now();
const results: BenchResult[] = [];
for (const bench of selected) {
  say(`\n######## ${bench.name}: ${bench.description}\n`);
  const started = performance.now();
  try {
    const r = await bench.run({ args: parsed.args, say });
    results.push({ name: bench.name, ...r, durationMs: Math.round(performance.now() - started) });
  } catch (err) {
    const e = err as Error;
    console.error(`benchmark ${bench.name} failed: ${e.stack ?? e.message}`);
    results.push({ name: bench.name, params: {}, figures: [], goals: [], durationMs: Math.round(performance.now() - started), error: e.message });
  }
  say(`(${bench.name} took ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

say(`\n==================== results (${((performance.now() - suiteStarted) / 1000).toFixed(0)} s) ====================`);
for (const line of renderResults(results)) say(line);
writeResults(RESULTS_FILE, machine, results);
say(`\nwritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
const failed = results.some((r) => r.error || r.goals.some((g) => !g.met));
process.exit(failed ? 1 : 0);
