// `npm start` serves the production build of the explorer. When none exists (a fresh clone),
// or the explorer's sources changed since it was built (a pull, an edit), build it here, so
// the two-command start needs nothing else and never serves yesterday's pages. A build is
// stamped with the hash of its sources (.next/source-stamp, written once it has finished).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { sleep } from '../lib/abortable-sleep.ts';
import { sourceHash } from '../lib/source-hash.ts';

/** What the explorer's pages are built from: app/ imports only app/ and wire/ (eslint.config.js). */
const EXPLORER_SOURCE_DIRS = ['app', 'wire'];
const EXPLORER_SOURCE_FILES = ['next.config.js', 'instrumentation-client.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
const STAMP_FILE = 'source-stamp';

/** The hash of the explorer's sources under `projectRoot`, as its build is stamped with. */
export function explorerSourceHash(projectRoot: string): string {
  return sourceHash(projectRoot, EXPLORER_SOURCE_DIRS, EXPLORER_SOURCE_FILES);
}

/** Marks the build in `projectRoot`/.next as made from `hash` (the build's last step). */
export function stampNextBuild(projectRoot: string, hash: string): void {
  writeFileSync(path.join(projectRoot, '.next', STAMP_FILE), `${hash}\n`);
}

/** Is there a finished build of exactly these sources? */
function builtFrom(projectRoot: string, hash: string): boolean {
  try {
    return existsSync(path.join(projectRoot, '.next', 'BUILD_ID')) && readFileSync(path.join(projectRoot, '.next', STAMP_FILE), 'utf8').trim() === hash;
  } catch {
    return false;
  }
}

/** A build left locked longer than this was by a process that died mid-build. */
const STALE_LOCK_MS = 15 * 60_000;

export async function ensureNextBuild(projectRoot: string, logger: Logger, step: (text: string) => void): Promise<void> {
  const built = existsSync(path.join(projectRoot, '.next', 'BUILD_ID'));
  // A compiled tree (the container image) has the build but not the pages' sources: nothing to
  // judge it against, nor to build from.
  if (built && !existsSync(path.join(projectRoot, 'app'))) return;
  const hash = explorerSourceHash(projectRoot);
  if (builtFrom(projectRoot, hash)) return;
  await withBuildLock(projectRoot, hash, async () => {
    step(
      built ? 'explorer: its sources changed since the last build, building it again (about a minute)…' : 'explorer: no production build yet, building it once (about a minute)…',
    );
    await runNextBuild(projectRoot, logger, step);
    stampNextBuild(projectRoot, hash);
  });
}

/** `npm run build`: build the explorer now, whatever is there, and stamp it so `npm start` serves it as it is. */
export async function buildExplorer(projectRoot: string, logger: Logger, step: (text: string) => void): Promise<void> {
  const hash = explorerSourceHash(projectRoot);
  await withBuildLock(projectRoot, null, async () => {
    step('explorer: building it (about a minute)…');
    await runNextBuild(projectRoot, logger, step);
    stampNextBuild(projectRoot, hash);
  });
}

/**
 * Runs `build` holding the build lock. Two processes that start at once (a server and a browser
 * test, or two tests) must not both run `next build` into the same .next: the first to create
 * the lock directory builds, the others wait for it, and return without building once a build
 * stamped with `wanted` is there (null: build anyway, after the other build).
 */
async function withBuildLock(projectRoot: string, wanted: string | null, build: () => Promise<void>): Promise<void> {
  const lock = path.join(projectRoot, '.next-build.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - lockAge(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else await sleep(500);
      if (wanted !== null && builtFrom(projectRoot, wanted)) return;
    }
  }
  try {
    if (wanted !== null && builtFrom(projectRoot, wanted)) return;
    await build();
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
