// `npm start` serves the production build of the explorer. When none exists (a fresh clone),
// build it once here so the two-command start needs nothing else.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { sleep } from '../lib/abortable-sleep.ts';

/** A build left locked longer than this was by a process that died mid-build. */
const STALE_LOCK_MS = 15 * 60_000;

export async function ensureNextBuild(projectRoot: string, logger: Logger, step: (text: string) => void): Promise<void> {
  const buildId = path.join(projectRoot, '.next', 'BUILD_ID');
  if (existsSync(buildId)) return;
  // Two processes that start at once (a server and a browser test, or two tests) must not both
  // run `next build` into the same .next: the first to create the lock directory builds, the
  // others wait for its BUILD_ID.
  const lock = path.join(projectRoot, '.next-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - lockAge(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
      if (existsSync(buildId)) return;
    }
  }
  try {
    if (existsSync(buildId)) return;
    await runNextBuild(projectRoot, logger, step);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** When the lock was taken (its mtime), or now when it has just gone. */
function lockAge(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}

async function runNextBuild(projectRoot: string, logger: Logger, step: (text: string) => void): Promise<void> {
  step('explorer: no production build yet, building it once (about a minute)…');
  const started = Date.now();
  const nextBin = path.join(projectRoot, 'node_modules', 'next', 'dist', 'bin', 'next');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`next build failed (exit ${code}):\n${output}`));
    });
  });
  logger.info({ ms: Date.now() - started }, 'explorer built');
  step(`explorer: built in ${Math.round((Date.now() - started) / 1000)} s`);
}
