// Integration: node processes die with their launcher, even when it is killed with SIGKILL
// and has no chance to clean up.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { freePorts } from '../../lib/free-port.ts';
import { waitFor } from '../testkit/wait-for.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'orphans-it-'));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
let pids: number[] = [];

describe('no orphan nodes', { timeout: 60_000 }, () => {
  after(() => {
    for (const p of pids) if (alive(p)) process.kill(p, 'SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('nodes exit when their launcher is killed with SIGKILL', async () => {
    const launcher = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../testkit/testnet-launcher-fixture.ts'), dataDir, String(await freePorts(2)), '2'], {
      cwd: path.resolve(here, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    launcher.stdout.on('data', (d) => (out += String(d)));
    await waitFor(() => out.includes('\n'), { timeoutMs: 40_000, what: 'launcher to report node pids' });
    pids = (JSON.parse(out.split('\n')[0]) as { pids: number[] }).pids;
    assert.equal(pids.length, 2);
    assert.ok(pids.every(alive));
    launcher.kill('SIGKILL');
    await waitFor(() => pids.every((p) => !alive(p)), { timeoutMs: 15_000, what: 'the nodes to exit after their launcher' });
  });
});
