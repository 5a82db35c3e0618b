// Splits `npm run bench -- [NAME …] [--option value | --flag …]` into benchmark names and
// options, with commander. Which options exist, and which take a value, comes from the
// benchmarks' own option lists ("--blocks N" takes one, "--regenerate" does not), so a name
// after a flag stays a name. Options keep their long names as keys ("live-event",
// "no-copy": a `--no-…` flag is true when given, not commander's negation of another one).
import { Command, CommanderError, Option } from 'commander';

export interface ParsedArgs {
  names: string[];
  args: Record<string, string | boolean>;
}

/** Thrown for bad arguments; the message names the option, for the user. */
export class BenchArgsError extends Error {
  readonly code = 'BENCH_BAD_ARGS';
}

function benchCommand(optionSpecs: string[]): Command {
  const program = new Command('bench')
    .argument('[names...]')
    .helpOption(false) // --help is one of the specs: run.ts prints the benchmark list
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .showSuggestionAfterError(true);
  const seen = new Set<string>();
  for (const spec of optionSpecs) {
    const m = /^--([a-z0-9-]+)(\s+\S+)?/.exec(spec);
    if (!m || seen.has(m[1])) continue;
    seen.add(m[1]);
    program.addOption(new Option(`--${m[1]}${m[2] ? ' <value>' : ''}`));
  }
  return program;
}

export function parseBenchArgs(argv: string[], optionSpecs: string[]): ParsedArgs {
  const program = benchCommand(optionSpecs);
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // "error: unknown option '--blokcs'\n(Did you mean --blocks?)": the hint goes on the first line.
      const [first, ...rest] = err.message.replace(/^error: /, '').split('\n');
      throw new BenchArgsError([`${first} (npm run bench -- --help lists them)`, ...rest].join('\n'));
    }
    throw err;
  }
  const values = program.opts<Record<string, string | boolean>>();
  const args: Record<string, string | boolean> = {};
  for (const option of program.options) {
    const key = option.attributeName();
    if (program.getOptionValueSource(key) !== 'cli') continue;
    // `--no-copy` given: commander stores copy = false; the benchmarks ask for "no-copy".
    args[option.long!.slice(2)] = option.negate ? true : values[key];
  }
  return { names: program.processedArgs[0] as string[], args };
}
