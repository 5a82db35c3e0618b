// The node daemon as one plain JavaScript file (esbuild bundle of node/cli/node.ts and every
// package it imports), what a local testnet runs from a source checkout: no tsx loader in each
// node process (~50 MB RSS and ~0.7 CPU-seconds of start-up each, measured by
// `npm run bench -- node-runtime`), and one file to read instead of hundreds of module lookups.
//
// Never stale: the file is named by a hash of every source it is built from (node/, lib/,
// wire/, package-lock.json), computed at each call (a few ms). An edit gives a new hash, so
// the next launch builds a new file (about 1 s) instead of running old code. Built into a
// temporary name and renamed, so concurrent launchers (parallel tests) never see half a file.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sourceHash } from '../../lib/source-hash.ts';
import { spawnSync } from 'node:child_process';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE_DIRS = ['node', 'lib', 'wire'];
const SOURCE_FILES = ['package-lock.json', 'package.json'];
const ENTRY = 'node/cli/node.ts';
const BUILDER = path.join(REPO_ROOT, 'node/runtime/bundle-build.ts');
/** Bundles of older sources kept beside the newest (another checkout state may still run them). */
const KEEP_OLD = 3;

/** Where bundles live: inside the project, ignored by git. */
export const NODE_BUNDLE_DIR = path.join(REPO_ROOT, '.cache', 'node-runtime');

/** A hash of every input of the node bundle. */
export function nodeSourceHash(): string {
  return sourceHash(REPO_ROOT, SOURCE_DIRS, SOURCE_FILES);
}

/** Whether this module runs from TypeScript sources (a checkout), not from a compiled dist/. */
export function runningFromSources(): boolean {
  return fs.existsSync(path.join(REPO_ROOT, ENTRY));
}

/**
 * The path of a bundle of the current sources, built first when none exists (bundle-build.ts).
 * Throws with esbuild's messages when the sources do not build.
 */
export function ensureNodeBundle(): string {
  const hash = nodeSourceHash();
  const out = path.join(NODE_BUNDLE_DIR, `node-${hash}.mjs`);
  if (fs.existsSync(out)) return out;
  fs.mkdirSync(NODE_BUNDLE_DIR, { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`;
  // esbuild's synchronous API runs no plugins: the build runs as a program of its own.
  const build = spawnSync(process.execPath, ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, BUILDER, path.join(REPO_ROOT, ENTRY), tmp], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (build.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`could not bundle the node daemon (${ENTRY}, exit ${build.status ?? build.signal}): ${(build.stderr || build.stdout).trim()}`);
  }
  fs.renameSync(tmp, out);
  pruneOldBundles(out);
  return out;
}

function pruneOldBundles(keep: string): void {
  const old = fs
    .readdirSync(NODE_BUNDLE_DIR)
    .filter((f) => /^node-[0-9a-f]+\.mjs$/.test(f) && path.join(NODE_BUNDLE_DIR, f) !== keep)
    .map((f) => ({ f, mtime: fs.statSync(path.join(NODE_BUNDLE_DIR, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(KEEP_OLD);
  for (const { f } of old) fs.rmSync(path.join(NODE_BUNDLE_DIR, f), { force: true });
}
