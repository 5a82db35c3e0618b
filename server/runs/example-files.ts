// The example files a control plane offers to run (scenarios/, experiments/): every `*.json` of
// a directory that parses under its schema, by file name. A file that does not parse (or is not
// JSON) is skipped with a warning rather than hiding the others; a missing directory offers none.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { z } from 'zod';

export function readExampleFiles<S extends z.ZodType>(dir: string, schema: S, logger: Logger, what: string): Array<{ file: string; value: z.infer<S> }> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      logger.warn({ file, err: (err as Error).message }, `unreadable example ${what} skipped`);
      return [];
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) logger.warn({ file, issue: parsed.error.issues[0] }, `invalid example ${what} skipped`);
    return parsed.success ? [{ file, value: parsed.data }] : [];
  });
}
