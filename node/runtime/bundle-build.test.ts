// What the node bundle's build choices must keep: zod's English messages (only its other
// locales are left out), and the sources' names on functions and classes (stack traces, and
// CodedError's `name`, which is its class's) without esbuild's keepNames.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildNodeBundle } from './bundle-build.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the node bundle build', { timeout: 60_000 }, () => {
  // Inside the repository, so the entry resolves zod from its node_modules as the daemon does.
  const dir = fs.mkdtempSync(path.join(repo, '.cache', 'bundle-build-test-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("leaves zod's other locales out, keeps its English messages and the sources' names", async () => {
    const entry = path.join(dir, 'entry.ts');
    fs.writeFileSync(
      entry,
      [
        "import { z } from 'zod';",
        "import { CodedError } from '../../lib/coded-error.ts';",
        "class BlockRefused extends CodedError<'REFUSED'> {}",
        'function importBlock() { throw new BlockRefused("REFUSED", "no"); }',
        'let stack = "";',
        'try { importBlock(); } catch (err) { stack = (err as Error).stack ?? ""; }',
        'const issue = z.object({ height: z.number() }).safeParse({ height: "7" }).error!.issues[0];',
        'console.log(JSON.stringify({ locales: Object.keys(z.locales), message: issue.message, error: new BlockRefused("REFUSED", "x").name, stack }));',
      ].join('\n'),
    );
    const out = path.join(dir, 'entry.mjs');
    await buildNodeBundle(entry, out);

    const run = spawnSync(process.execPath, [out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const seen = JSON.parse(run.stdout) as { locales: string[]; message: string; error: string; stack: string };
    assert.deepEqual(seen.locales, ['en']);
    assert.equal(seen.message, 'Invalid input: expected number, received string');
    assert.equal(seen.error, 'BlockRefused');
    assert.match(seen.stack, /at importBlock /);
    // The other locales' messages are not in the file at all (German: "Ungültige Eingabe").
    assert.doesNotMatch(fs.readFileSync(out, 'utf8'), /Ung(ü|\\u00FC)ltige Eingabe/i);
  });
});
