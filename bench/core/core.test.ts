import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseBenchArgs } from './args.ts';
import { renderResults, writeResults, type ResultsFile } from './report.ts';
import { goal, intArg, listArg, type BenchResult } from './result.ts';
import { summarise } from './stats.ts';
import type { MachineFacts } from './machine.ts';

const specs = ['--help', '--blocks N (20000)', '--regenerate', '--sizes 4,8,16', '--no-copy', '--live-event heads:new|nodes:update (heads:new)'];

test('bench arguments: names stay names after a flag; options with a value take the next word', () => {
  const parsed = parseBenchArgs(['indexer', '--regenerate', 'sync', '--blocks', '5000', '--sizes=4,8'], specs);
  assert.deepEqual(parsed.names, ['indexer', 'sync']);
  assert.deepEqual(parsed.args, { regenerate: true, blocks: '5000', sizes: '4,8' });
  assert.deepEqual(parseBenchArgs(['propagation'], specs), { names: ['propagation'], args: {} });
  assert.deepEqual(parseBenchArgs([], specs), { names: [], args: {} });
});

test('bench arguments: options are keyed by their long name; a --no-… flag is true when given; --help is a flag', () => {
  assert.deepEqual(parseBenchArgs(['--no-copy', '--live-event', 'nodes:update', '--help'], specs).args, { 'no-copy': true, 'live-event': 'nodes:update', help: true });
  assert.deepEqual(parseBenchArgs(['--blocks', '1', '--blocks', '2'], specs).args, { blocks: '2' }, 'the last value wins');
});

test('bench arguments: an unknown option or a missing value is refused with its name', () => {
  assert.throws(
    () => parseBenchArgs(['--blokcs', '5'], specs),
    (err: Error) => /unknown option '--blokcs'/.test(err.message) && /Did you mean --blocks\?/.test(err.message),
  );
  assert.throws(() => parseBenchArgs(['--blocks'], specs), /option '--blocks <value>' argument missing/);
});

test('integer and list options are checked', () => {
  assert.equal(intArg({ blocks: '100_000' }, 'blocks', 1), 100_000);
  assert.equal(intArg({}, 'blocks', 7), 7);
  assert.throws(() => intArg({ blocks: 'many' }, 'blocks', 1), /--blocks must be an integer/);
  assert.deepEqual(listArg({ sizes: '4, 8,16' }, 'sizes', []), [4, 8, 16]);
  assert.throws(() => listArg({ sizes: '4,x' }, 'sizes', []), /--sizes takes positive integers/);
});

test('summaries use nearest-rank percentiles', () => {
  const s = summarise(Array.from({ length: 100 }, (_, i) => 100 - i));
  assert.equal(s.count, 100);
  assert.equal(s.p50, 50);
  assert.equal(s.p99, 99);
  assert.equal(s.max, 100);
  assert.equal(summarise([]).p50, null);
});

const machine: MachineFacts = { cores: 2, cpuModel: 'test', totalMemoryMB: 1, node: 'v20', platform: 'linux', loadAverageAtStart: [0, 0, 0], commit: 'abc', dirty: false };
const result = (name: string, met: boolean): BenchResult => ({
  name,
  params: { n: 1 },
  figures: [{ name: `${name} speed`, value: 1234.5, unit: 'blocks/s' }],
  goals: [goal(`${name} goal`, '≥ 2,000 blocks/s', 1234.5, 'blocks/s', met, 'verification is CPU-bound')],
  durationMs: 10,
});

test('the table shows every figure, and a missed goal with its reason', () => {
  const text = renderResults([result('sync', false), { ...result('scale', true), error: 'node 3 did not start' }]).join('\n');
  assert.match(text, /sync\s+sync speed\s+1,235 blocks\/s/);
  assert.match(text, /MISSED: verification is CPU-bound/);
  assert.match(text, /scale\s+FAILED\s+node 3 did not start/);
  assert.match(text, /scale goal .* MET/);
});

test('results of benchmarks not run this time are kept; those run are replaced', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
  const file = path.join(dir, 'results/latest.json');
  try {
    writeResults(file, machine, [result('sync', false), result('scale', true)]);
    writeResults(file, { ...machine, commit: 'def' }, [result('sync', true)]);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile;
    assert.deepEqual(
      stored.results.map((r) => [r.name, r.commit, r.goals[0].met]),
      [
        ['scale', 'abc', true],
        ['sync', 'def', true],
      ],
    );
    assert.equal(stored.machine.commit, 'def');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
