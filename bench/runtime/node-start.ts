// One start of one real node daemon, measured: spawned with a given runtime (tsx loader or
// compiled JavaScript), /health polled every few ms until it answers 200. Taken then: wall
// time since spawn and the process's own CPU seconds (user + system, /proc); a little later,
// once start-up garbage has settled, its RSS and PSS (PSS splits shared pages, such as the
// node binary's, among the processes that map them: what one more node really costs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../lib/free-port.ts';
import { cpuSeconds, rssMB } from '../testnet/proc-stats.ts';

export interface NodeStart {
  /** ms from spawn to the first 200 from /health. */
  wallMs: number;
  /** CPU seconds the node process used until then. */
  cpuSec: number;
  /** MB, `settleMs` after /health answered. */
  rssMB: number;
  pssMB: number | null;
}

const POLL_MS = 5;
const HEALTH_DEADLINE_MS = 60_000;

function healthOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/health', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
  });
}

/** Proportional set size in MB (smaps_rollup), or null where the kernel does not offer it. */
export function pssMB(pid: number): number | null {
  try {
    const m = /^Pss:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Starts a node with `program` (node arguments before the daemon's options) and measures it. */
export async function measureNodeStart(program: string[], settleMs: number): Promise<NodeStart> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-node-runtime-'));
  const port = await freePort();
  const args = [...program, '--data-dir', dir, '--port', String(port), '--host', '127.0.0.1', '--tx-rate', '0', '--log-level', 'warn', '--parent-pid', String(process.pid)];
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    const pid = child.pid!;
    for (;;) {
      if (gone) throw new Error(`the node exited before /health answered: ${stderr.trim() || '(no output)'}`);
      if (performance.now() - started > HEALTH_DEADLINE_MS) throw new Error(`no answer from /health within ${HEALTH_DEADLINE_MS} ms`);
      if (await healthOk(port)) break;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    const wallMs = performance.now() - started;
    const cpuSec = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, settleMs));
    const rss = rssMB(pid);
    if (cpuSec === null || rss === null) throw new Error('the node process went away while being measured');
    return { wallMs, cpuSec, rssMB: rss, pssMB: pssMB(pid) };
  } finally {
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
