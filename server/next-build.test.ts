// The build lock: a second process that finds another one building waits for its stamped build
// instead of running `next build` into the same .next at once. And a build of other sources
// (a pull, an edit since) is built again, never served.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildExplorer, ensureNextBuild, explorerSourceHash, stampNextBuild } from './next-build.ts';

const logger = pino({ level: 'silent' });

/** A tree with one page and a finished build of it (BUILD_ID `buildId`), stamped. */
function builtFromPage(root: string, buildId: string): void {
  mkdirSync(path.join(root, 'app'));
  writeFileSync(path.join(root, 'app', 'page.tsx'), 'export default function Page() { return null; }\n');
  mkdirSync(path.join(root, '.next'));
  writeFileSync(path.join(root, '.next', 'BUILD_ID'), buildId);
  stampNextBuild(root, explorerSourceHash(root));
}

describe('ensureNextBuild', () => {
  it('waits for the build another process holds the lock for, and does not build itself', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'next-build-lock-'));
    try {
      mkdirSync(path.join(root, '.next-build.lock'));
      const steps: string[] = [];
      let done = false;
      const waiting = ensureNextBuild(root, logger, (s) => steps.push(s)).then(() => (done = true));
      // The other process finishes: its BUILD_ID appears, then its stamp; its lock goes later.
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(done, false, 'returned while another process was still building');
      mkdirSync(path.join(root, '.next'));
      writeFileSync(path.join(root, '.next', 'BUILD_ID'), 'other');
      await new Promise((r) => setTimeout(r, 1200));
      assert.equal(done, false, 'returned on a BUILD_ID before the build was stamped (finished)');
      stampNextBuild(root, explorerSourceHash(root));
      await waiting;
      assert.deepEqual(steps, [], 'no build of its own was started (there is no next in this root: it would have failed)');
      assert.ok(existsSync(path.join(root, '.next-build.lock')), "the other process's lock is left for it to remove");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a process that died mid-build (and reports a failing build)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'next-build-stale-'));
    try {
      const lock = path.join(root, '.next-build.lock');
      mkdirSync(lock);
      const old = new Date(Date.now() - 60 * 60_000);
      utimesSync(lock, old, old);
      // No next in this root: the build it starts fails, with the reason.
      await assert.rejects(
        ensureNextBuild(root, logger, () => undefined),
        /next build failed|ENOENT|Cannot find module/,
      );
      assert.equal(existsSync(lock), false, 'the lock is released after a failed build');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('builds again when the sources changed since the build, and keeps a build of these very sources', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'next-build-stamp-'));
    try {
      builtFromPage(root, 'built');
      const steps: string[] = [];
      await ensureNextBuild(root, logger, (s) => steps.push(s));
      assert.equal(steps.length, 0, 'a build of these sources is served as it is');

      writeFileSync(path.join(root, 'app', 'page.tsx'), 'export default function Page() { return "edited"; }\n');
      // No next in this root: the build it starts fails, which shows it started one.
      await assert.rejects(
        ensureNextBuild(root, logger, (s) => steps.push(s)),
        /next build failed|ENOENT|Cannot find module/,
      );
      assert.match(steps.join('\n'), /sources changed since the last build/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("serves the build of a tree without the pages' sources (the container image) as it is", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'next-build-image-'));
    try {
      mkdirSync(path.join(root, '.next'));
      writeFileSync(path.join(root, '.next', 'BUILD_ID'), 'built in the image');
      const steps: string[] = [];
      await ensureNextBuild(root, logger, (s) => steps.push(s));
      assert.equal(steps.length, 0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** A stand-in for `next` in `root`: its `build` writes a BUILD_ID, as the real one does last. */
function fakeNext(root: string): void {
  const bin = path.join(root, 'node_modules', 'next', 'dist', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'next'), "const fs = require('node:fs'); fs.mkdirSync('.next', { recursive: true }); fs.writeFileSync('.next/BUILD_ID', String(Date.now()));\n");
}

describe('buildExplorer (npm run build)', () => {
  it('builds even over a build of these sources, and stamps it so npm start serves it without building again', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'next-build-explicit-'));
    try {
      builtFromPage(root, 'old');
      fakeNext(root);

      const steps: string[] = [];
      await buildExplorer(root, logger, (s) => steps.push(s));
      assert.match(steps.join('\n'), /building it/);
      assert.notEqual(readFileSync(path.join(root, '.next', 'BUILD_ID'), 'utf8'), 'old', 'next build ran');
      assert.equal(readFileSync(path.join(root, '.next', 'source-stamp'), 'utf8').trim(), explorerSourceHash(root));
      assert.equal(existsSync(path.join(root, '.next-build.lock')), false, 'the lock is released');

      const afterwards: string[] = [];
      await ensureNextBuild(root, logger, (s) => afterwards.push(s));
      assert.deepEqual(afterwards, [], 'npm start takes the stamped build as it is');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
