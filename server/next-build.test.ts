// The build lock: a second process that finds another one building waits for its BUILD_ID
// instead of running `next build` into the same .next at once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { ensureNextBuild } from './next-build.ts';

const logger = pino({ level: 'silent' });

describe('ensureNextBuild', () => {
  it('waits for the build another process holds the lock for, and does not build itself', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'next-build-lock-'));
    try {
      mkdirSync(path.join(root, '.next-build.lock'));
      const steps: string[] = [];
      let done = false;
      const waiting = ensureNextBuild(root, logger, (s) => steps.push(s)).then(() => (done = true));
      // The other process finishes: its BUILD_ID appears, then its lock goes.
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(done, false, 'returned while another process was still building');
      mkdirSync(path.join(root, '.next'));
      writeFileSync(path.join(root, '.next', 'BUILD_ID'), 'other');
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
});
