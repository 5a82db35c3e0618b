// Whether a build is stale: a hash of the sources it was built from. Builds stamp it (dist/,
// the explorer's .next/) or are named by it (the node bundle), so a checkout that changed
// since its last build never runs the old code.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A hash of the paths and contents of the build inputs under `root`: every file below `dirs`
 * except tests (not built, so they do not make a build stale), and the named `files`. A dir
 * or file that does not exist counts as empty.
 */
export function sourceHash(root: string, dirs: readonly string[], files: readonly string[]): string {
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!/\.test\.tsx?$/.test(e.name)) all.push(p);
    }
  };
  for (const d of dirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  all.push(...files.map((f) => path.join(root, f)).filter((f) => fs.existsSync(f)));
  const h = crypto.createHash('sha256');
  for (const f of all.sort()) h.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}
