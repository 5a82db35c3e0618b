// The real control plane (`server/main.ts`) as a child process on loopback, with its own
// temp DATA_DIR (embedded Postgres, local testnet) and free ports. Started with
// `node --import tsx` rather than the `tsx` CLI so that the child's pid is the server itself
// (the CLI would put a wrapper process in between) and node flags such as --cpu-prof apply.
// Stopped with SIGINT like Ctrl-C, which stops the nodes and Postgres; if that takes too long
// the whole process group is killed so that no node process is ever left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, freePorts } from '../../lib/free-port.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_LINE = /(API|Explorer) ready: (http:\/\/\S+)/;

export interface ControlPlaneProcess {
  pid: number;
  /** Base URL of the API and Socket.IO. */
  url: string;
  /** The local nodes' URLs, node-1 first. */
  nodeUrls: string[];
  dataDir: string;
  /** Everything the child printed (stdout and stderr), for error messages. */
  output(): string;
  /** SIGINT, wait for exit (bounded), remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  nodes: number;
  blockTimeMs: number;
  /** Extra node flags for the server process, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeFlags?: string[];
  startTimeoutMs?: number;
  env?: Record<string, string>;
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlaneProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-live-'));
  const port = await freePort();
  let nodeBasePort = await freePorts(opts.nodes);
  // The two searches are independent: make sure the server's port is not among the nodes'.
  while (port >= nodeBasePort && port < nodeBasePort + opts.nodes) nodeBasePort = await freePorts(opts.nodes);
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeFlags ?? []), '--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      EXPLORER: '0',
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_BASE_PORT: String(nodeBasePort),
      NODES: String(opts.nodes),
      BLOCK_TIME_MS: String(opts.blockTimeMs),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ATTACH: '',
      ...opts.env,
    },
    // Own process group: the fallback kill reaches the nodes and Postgres under it too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killGroupOnExit = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', killGroupOnExit);

  let stopped: Promise<void> | null = null;
  let keepDataDir = false;
  const stop = () =>
    (stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        const timer = setTimeout(killGroupOnExit, 15_000);
        await exited;
        clearTimeout(timer);
      }
      // The server stops its nodes before it exits; anything left in the group is a leak: kill it.
      killGroupOnExit();
      process.off('exit', killGroupOnExit);
      if (!keepDataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    })());

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`control plane not ready after ${(opts.startTimeoutMs ?? 120_000) / 1000} s`)), opts.startTimeoutMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      // Keep the tail only: the child logs for the whole run.
      output = (output + chunk.toString()).slice(-64_000);
      const m = READY_LINE.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[2]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`control plane exited (code ${code}) before it was ready`));
    });
  }).catch(async (err: Error) => {
    // Keep the logs (server and nodes) of a failed start for whoever reads the error.
    keepDataDir = true;
    await stop();
    throw new Error(`${err.message} (DATA_DIR kept for its logs: ${dataDir}); its output:\n${output.split('\n').slice(-12).join('\n')}`);
  });

  return {
    pid: child.pid!,
    url: url.replace('localhost', '127.0.0.1'),
    nodeUrls: Array.from({ length: opts.nodes }, (_, i) => `http://127.0.0.1:${nodeBasePort + i}`),
    dataDir,
    output: () => output,
    stop,
  };
}
