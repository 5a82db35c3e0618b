// Splits `npm run bench -- [NAME …] [--option value | --flag …]` into benchmark names and
// options. Which options take a value comes from the benchmarks' own option lists
// ("--blocks N" takes one, "--regenerate" does not), so a name after a flag stays a name.

export interface ParsedArgs {
  names: string[];
  args: Record<string, string | boolean>;
}

export function parseBenchArgs(argv: string[], optionSpecs: string[]): ParsedArgs {
  const takesValue = new Map<string, boolean>();
  for (const spec of optionSpecs) {
    const m = /^--([a-z0-9-]+)(\s+\S+)?/.exec(spec);
    if (m) takesValue.set(m[1], Boolean(m[2]));
  }
  const names: string[] = [];
  const args: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('--')) {
      names.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const key = token.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) args[key] = token.slice(eq + 1);
    else if (!takesValue.has(key)) throw new Error(`unknown option --${key} (npm run bench -- --help lists them)`);
    else if (takesValue.get(key)) {
      if (i + 1 >= argv.length) throw new Error(`--${key} needs a value`);
      args[key] = argv[++i];
    } else args[key] = true;
  }
  return { names, args };
}
