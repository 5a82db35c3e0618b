// What every benchmark returns: named figures (the table rows) and goals (each met or not).
// `bench/run.ts` prints them as one table and writes them with the machine facts to
// bench/results/latest.json, so a run can be compared with the next one.

export interface Figure {
  /** What was measured, e.g. "p99 head → socket event (8 nodes, 100 clients)". */
  name: string;
  value: number | null;
  /** Unit of `value`: "ms", "blocks/s", "MB", "ratio", … */
  unit: string;
  /** Extra context in words (sample size, baseline, caveats). */
  note?: string;
}

export interface Goal {
  name: string;
  /** The target in words, e.g. "< 100 ms". */
  target: string;
  measured: number | null;
  unit: string;
  met: boolean;
  /** Why it is missed (or why it cannot be measured here), when it is. */
  why?: string;
}

export interface BenchResult {
  name: string;
  /** Input sizes and settings that make the run reproducible (nodes, blocks, seed, …). */
  params: Record<string, unknown>;
  figures: Figure[];
  goals: Goal[];
  durationMs: number;
  /** Set when the benchmark could not finish; its figures are whatever it measured. */
  error?: string;
}

export interface BenchContext {
  /** Raw command-line values after the benchmark names (`--nodes 8` → { nodes: '8' }). */
  args: Record<string, string | boolean>;
  /** Progress lines; the benchmark's own detail goes here, the table is printed at the end. */
  say: (line?: string) => void;
}

export interface Benchmark {
  name: string;
  /** One line for `npm run bench -- --help`. */
  description: string;
  /** Options it reads from `args`, for the help text: "--blocks N (20000)". */
  options: string[];
  run(ctx: BenchContext): Promise<Omit<BenchResult, 'name' | 'durationMs'>>;
}

export function goal(name: string, target: string, measured: number | null, unit: string, met: boolean, why?: string): Goal {
  return { name, target, measured, unit, met, ...(why && !met ? { why } : {}) };
}

/** An integer option with a default, rejected with a clear message when it is not one. */
export function intArg(args: BenchContext['args'], name: string, fallback: number, min = 0): number {
  const raw = args[name];
  if (raw === undefined || raw === false) return fallback;
  const n = Number(String(raw).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, not "${String(raw)}"`);
  return n;
}

export function listArg(args: BenchContext['args'], name: string, fallback: number[]): number[] {
  const raw = args[name];
  if (raw === undefined || raw === false) return fallback;
  const list = String(raw)
    .split(',')
    .map((s) => Number(s.trim()));
  if (list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--${name} takes positive integers separated by commas, not "${String(raw)}"`);
  return list;
}
