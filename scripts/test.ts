// `npm test`: every check, in stages: lint (ESLint's import boundaries and defect rules,
// Prettier's check), the type check, unit + integration (node's test runner, real Postgres and
// real node processes), a production build of the explorer, then the browser tests
// (Playwright in Chromium). Prints one summary line and exits non-zero on any failure.
// `npm test -- lint` (or typecheck, unit, e2e) runs one stage.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { ensureNextBuild } from '../server/next-build.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['lib', 'node', 'server', 'wire', 'app', 'scripts', 'bench', 'deploy'];

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'generated' || entry.startsWith('.')) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (entry.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const relay = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** Counts from the node test runner's closing lines (`ℹ pass 12`, or `# pass 12` in TAP). */
function nodeRunnerCounts(output: string): Counts {
  const count = (name: string) => {
    const matches = [...output.matchAll(new RegExp(`^(?:ℹ|#) ${name} (\\d+)$`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : 0;
  };
  return { passed: count('pass'), failed: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') };
}

function playwrightCounts(): Counts {
  const file = path.join(root, 'test-results', 'e2e-report.json');
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  return { passed: report.stats.expected + report.stats.flaky, failed: report.stats.unexpected, skipped: report.stats.skipped };
}

async function main(): Promise<void> {
  const started = Date.now();
  const stages: Array<{ name: string; counts: Counts; ok: boolean }> = [];
  const only = process.argv[2]; // `npm test -- unit` or `npm test -- e2e` runs one stage

  if (!only || only === 'lint') {
    // Both tools run even when the first fails, so one run shows every finding; each counts
    // as one check in the summary, like the type check.
    console.log('\n== lint (eslint: boundaries and defect rules; prettier --check) ==\n');
    const eslint = await run(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '.']);
    const prettier = await run(process.execPath, [path.join(root, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.']);
    const passed = [eslint, prettier].filter((r) => r.code === 0).length;
    stages.push({ name: 'lint', counts: { passed, failed: 2 - passed, skipped: 0 }, ok: passed === 2 });
  }

  if (!only || only === 'typecheck') {
    console.log('\n== type check (tsc, whole project) ==\n');
    const res = await run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root]);
    stages.push({ name: 'typecheck', counts: { passed: res.code === 0 ? 1 : 0, failed: res.code === 0 ? 0 : 1, skipped: 0 }, ok: res.code === 0 });
  }

  if (!only || only === 'unit') {
    const files = SOURCE_DIRS.filter((d) => existsSync(path.join(root, d)))
      .flatMap((d) => findTests(path.join(root, d)))
      .sort();
    console.log(`\n== unit and integration tests (${files.length} files) ==\n`);
    // Two files at a time: integration tests start real node processes and Postgres, and
    // these machines have two cores.
    const res = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);
    const counts = nodeRunnerCounts(res.output);
    stages.push({ name: 'unit+integration', counts, ok: res.code === 0 && counts.failed === 0 });
  }

  if (!only || only === 'e2e') {
    console.log('\n== the production build of the explorer, for the browser tests ==\n');
    // Built unless .next holds a build of these very sources (the unit stage's browser tests
    // may just have made it): ensureNextBuild compares the sources' hash with the build's stamp.
    const built = await ensureNextBuild(root, pino({ level: 'silent' }), (line) => console.log(line)).then(
      () => true,
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : err);
        return false;
      },
    );
    if (!built) {
      stages.push({ name: 'e2e', counts: { passed: 0, failed: 1, skipped: 0 }, ok: false });
    } else {
      console.log('\n== browser tests (Playwright, Chromium) ==\n');
      const res = await run(process.execPath, [path.join(root, 'node_modules/@playwright/test/cli.js'), 'test']);
      const counts = playwrightCounts();
      stages.push({ name: 'e2e', counts, ok: res.code === 0 && counts.failed === 0 });
    }
  }

  const total = stages.reduce((t, s) => ({ passed: t.passed + s.counts.passed, failed: t.failed + s.counts.failed, skipped: t.skipped + s.counts.skipped }), {
    passed: 0,
    failed: 0,
    skipped: 0,
  });
  const ok = stages.every((s) => s.ok);
  console.log('\n== summary ==');
  for (const s of stages) console.log(`${s.name}: ${s.counts.passed} passed, ${s.counts.failed} failed, ${s.counts.skipped} skipped${s.ok ? '' : ' (stage FAILED)'}`);
  console.log(`time: ${Math.round((Date.now() - started) / 1000)} s`);
  // A stage can fail without a failed test (a crash, a build error): never report that as green.
  const failed = ok ? total.failed : Math.max(1, total.failed);
  console.log(`${total.passed} passed, ${failed} failed, ${total.skipped} skipped`);
  process.exit(ok ? 0 : 1);
}

main().catch((err: Error) => {
  console.error(err);
  process.exit(1);
});
