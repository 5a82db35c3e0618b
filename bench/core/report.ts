// Prints the results of a run as one table and writes them to bench/results/latest.json.
// Results of benchmarks not run this time are kept from the previous file, each with the
// time and commit it was measured at, so `npm run bench -- sync` refreshes only sync.
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult } from './result.ts';
import type { MachineFacts } from './machine.ts';
import { fmt } from './stats.ts';

export interface StoredResult extends BenchResult {
  at: string;
  commit: string | null;
}

export interface ResultsFile {
  writtenAt: string;
  machine: MachineFacts;
  results: StoredResult[];
}

function digitsFor(value: number, unit: string): number {
  if (unit === 'ratio' || unit === '×') return 2;
  if (Math.abs(value) >= 100) return 0;
  if (Math.abs(value) >= 10) return 1;
  return 2;
}

export function formatValue(value: number | null, unit: string): string {
  if (value === null) return '–';
  return `${fmt(value, digitsFor(value, unit))} ${unit}`.trim();
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd(),
  );
}

export function renderResults(results: BenchResult[]): string[] {
  const lines: string[] = [];
  const figureRows = [['benchmark', 'figure', 'value', 'note']];
  for (const r of results) {
    for (const f of r.figures) figureRows.push([r.name, f.name, formatValue(f.value, f.unit), f.note ?? '']);
    if (r.error) figureRows.push([r.name, 'FAILED', '', r.error]);
  }
  lines.push(...table(figureRows));
  lines.push('');
  const goalRows = [['benchmark', 'goal', 'target', 'measured', 'verdict']];
  for (const r of results) {
    for (const g of r.goals) goalRows.push([r.name, g.name, g.target, formatValue(g.measured, g.unit), g.met ? 'MET' : `MISSED${g.why ? `: ${g.why}` : ''}`]);
  }
  lines.push(...table(goalRows));
  return lines;
}

export function writeResults(file: string, machine: MachineFacts, fresh: BenchResult[]): ResultsFile {
  let previous: StoredResult[] = [];
  try {
    previous = (JSON.parse(fs.readFileSync(file, 'utf8')) as ResultsFile).results ?? [];
  } catch {
    /* no earlier results, or unreadable: start afresh */
  }
  const at = new Date().toISOString();
  const ran = new Set(fresh.map((r) => r.name));
  const results: StoredResult[] = [...previous.filter((r) => !ran.has(r.name)), ...fresh.map((r) => ({ ...r, at, commit: machine.commit }))];
  const out: ResultsFile = { writtenAt: at, machine, results };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  return out;
}
