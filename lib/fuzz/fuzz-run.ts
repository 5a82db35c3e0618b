// How long and from which seed a fuzz property runs, and what it must not leave behind.
// CI: each property runs for its own short budget (a few seconds; all of them together stay
// within ~40 s of wall time). FUZZ_SECONDS=600 runs every property for that long instead.
// Each run prints its seed; FUZZ_SEED=<seed> (with FUZZ_PATH=<path> from a failure report)
// replays it exactly.
import fc from 'fast-check';

/** Milliseconds a property may generate inputs: its CI budget, or FUZZ_SECONDS when set. */
export function fuzzBudgetMs(ciMs: number): number {
  const s = Number(process.env.FUZZ_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : ciMs;
}

/** A test timeout that covers `properties` budgets of (at most) `ciMs` each and the set-up around them. */
export function fuzzTimeoutMs(ciMs: number, properties = 1, setupMs = 60_000): number {
  return properties * fuzzBudgetMs(ciMs) + setupMs;
}

export interface FuzzSettings {
  seed: number;
  path?: string;
  /** Milliseconds to keep generating. */
  budgetMs: number;
}

/** The seed of this run (FUZZ_SEED or a fresh one), printed so that any failure can be replayed. */
export function fuzzSettings(name: string, ciMs: number): FuzzSettings {
  const fixed = process.env.FUZZ_SEED;
  const seed = fixed !== undefined && fixed !== '' ? Number(fixed) : (Math.random() * 2 ** 31) | 0;
  const budgetMs = fuzzBudgetMs(ciMs);
  const path = process.env.FUZZ_PATH || undefined;
  console.log(`fuzz ${name}: seed ${seed}${path ? ` path ${path}` : ''}, ${budgetMs} ms (replay: FUZZ_SEED=${seed})`);
  return { seed, path, budgetMs };
}

/** fast-check parameters: generate until the budget is spent; a failure names seed and path. */
export function fcParams<T>(s: FuzzSettings): fc.Parameters<T> {
  return {
    seed: s.seed,
    ...(s.path ? { path: s.path } : {}),
    numRuns: s.path ? 1 : 1_000_000_000,
    interruptAfterTimeLimit: s.budgetMs,
    markInterruptAsFailure: false,
    // Shrinking re-runs inputs against live servers; a short while is enough to get a smaller case.
    timeout: 20_000,
  };
}

/** Runs a property for its budget; the error of a failure carries the seed and the replay path. */
export async function fuzz<T>(name: string, ciMs: number, arb: fc.Arbitrary<T>, check: (input: T) => void | Promise<void>): Promise<{ runs: number }> {
  const s = fuzzSettings(name, ciMs);
  let runs = 0;
  let slowest = { ms: 0, input: '' };
  const started = performance.now();
  const property = fc.asyncProperty(arb, async (input) => {
    runs++;
    const t0 = performance.now();
    await check(input);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, input: summary(input) };
  });
  const details = await fc.check(property, fcParams(s));
  if (details.failed) {
    const counterexample = details.counterexample ? shown(details.counterexample[0], 300, 2000) : '?';
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `fuzz ${name} failed after ${details.numRuns} runs: ${cause}\n  input: ${counterexample}\n  replay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath}`,
    );
  }
  const took = Math.round(performance.now() - started);
  console.log(`fuzz ${name}: ${runs} inputs in ${took} ms, none failed; slowest ${Math.round(slowest.ms)} ms: ${slowest.input}`);
  return { runs };
}

function summary(input: unknown): string {
  return shown(input, 80, 400);
}

/** An input as text for a report: long strings cut, the whole capped; deep nesting is no reason to fail. */
function shown(input: unknown, maxString: number, maxTotal: number): string {
  let text: string;
  try {
    text = JSON.stringify(input, (_k, v: unknown) => (typeof v === 'string' && v.length > maxString ? `${v.slice(0, maxString)}…(${v.length} chars)` : v)) ?? String(input);
  } catch (err) {
    text = `(not printable: ${(err as Error).message})`;
  }
  return text.length > maxTotal ? `${text.slice(0, maxTotal)}…` : text;
}

/** Collects unhandled rejections and uncaught exceptions while a fuzz test runs. */
export class UnhandledCollector {
  readonly problems: string[] = [];
  private readonly onRejection = (reason: unknown) => void this.problems.push(`unhandled rejection: ${describe(reason)}`);
  private readonly onException = (err: unknown) => void this.problems.push(`uncaught exception: ${describe(err)}`);

  start(): this {
    process.on('unhandledRejection', this.onRejection);
    process.on('uncaughtException', this.onException);
    return this;
  }

  stop(): void {
    process.off('unhandledRejection', this.onRejection);
    process.off('uncaughtException', this.onException);
  }
}

function describe(x: unknown): string {
  return x instanceof Error ? `${x.name}: ${x.message}\n${x.stack?.split('\n').slice(1, 6).join('\n')}` : String(x);
}
