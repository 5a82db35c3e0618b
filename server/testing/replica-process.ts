// Test harness: a control-plane replica as a real child process (`node --import tsx
// server/main.ts`, as Playwright starts the product), so a test can kill -9 it. Its output goes
// to <dataDir>/replica.log, read back in failure messages.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../node/testkit/wait-for.ts';
import type { HealthResponse } from '../../wire/explorer-api.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ReplicaProcess {
  url: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  health(): Promise<HealthResponse>;
  log(): string;
  /** SIGTERM and wait for the exit. Idempotent. */
  stop(): Promise<void>;
}

export async function startReplicaProcess(opts: { port: number; dataDir: string; env: Record<string, string> }): Promise<ReplicaProcess> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const logFile = path.join(opts.dataDir, 'replica.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(opts.port), HOST: '127.0.0.1', DATA_DIR: opts.dataDir, EXPLORER: '0', LOG_LEVEL: 'info', CLUSTER: '1', ...opts.env },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${opts.port}`;
  const log = () => fs.readFileSync(logFile, 'utf8');
  const health = async () => (await (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) })).json()) as HealthResponse;
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  try {
    await waitFor(
      async () => {
        if (exitCode !== undefined) throw new Error(`replica exited (${exitCode}): ${log().slice(-2_000)}`);
        return (await health()).replica !== undefined;
      },
      { timeoutMs: 90_000, what: `replica on port ${opts.port} answering /api/health` },
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    child,
    exited,
    health,
    log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
