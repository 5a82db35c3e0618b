// A fork-heavy index served by the real explorer, for the explorer-ui benchmark and the fork
// view's browser test: embedded Postgres, the synthetic network (bench/explorer-api) with a
// resolved fork episode every 8 heights over nearly all of its heights (5,000 heights: ~600
// episodes, ~1,200 stale blocks, 16 nodes), and `server/main.ts` as a child process with the
// explorer (its production build: made here once when missing, as `npm start` would).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { freePort } from '../../lib/free-port.ts';
import { waitFor } from '../../node/testkit/wait-for.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { startTestServer, type TestServer } from '../../server/db/test-database.ts';
import { ensureNextBuild } from '../../server/next-build.ts';
import { loadSyntheticIndex, type LoadedIndex } from '../explorer-api/bulk-load.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Heights between two resolved fork episodes. */
export const EPISODE_SPACING = 8;

export interface ForkIndexOptions {
  blocks: number;
  nodes: number;
  say: (line: string) => void;
}

export interface ServedForkIndex {
  url: string;
  loaded: LoadedIndex;
  /** Blocks no node holds (the resolved episodes' blocks). */
  staleBlocks: number;
  /** Milliseconds the explorer's production build took here (0: it existed). */
  buildMs: number;
  log(): string;
  /** Stops the server process and Postgres, removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export async function serveForkIndex(opts: ForkIndexOptions): Promise<ServedForkIndex> {
  const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explorer-ui-'));
  let pg: TestServer | null = null;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const logFile = path.join(dir, 'server.log');
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await pg?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    })());
  try {
    // The build first: it is the long part the first time, and needs the cores to itself.
    const buildStarted = Date.now();
    await ensureNextBuild(REPO_ROOT, logger, opts.say);
    const buildMs = Date.now() - buildStarted > 2_000 ? Date.now() - buildStarted : 0;
    pg = await startTestServer({ logger });
    const dbUrl = await pg.createDatabase();
    await applyMigrations(dbUrl, { logger });
    const heights = opts.blocks - 100; // forks over all but the lowest 100 heights
    const loaded = await loadSyntheticIndex(dbUrl, {
      blocks: opts.blocks,
      nodes: opts.nodes,
      headHistory: opts.blocks,
      fullChainNodes: opts.nodes,
      forkWindow: { heights, episodeSpacing: EPISODE_SPACING },
      say: opts.say,
    });
    const tipHashes = new Set(loaded.window.canonical.map((c) => c.hash));
    const staleBlocks = loaded.window.forkBlocks.filter((b) => !tipHashes.has(b.hash)).length;

    // The explorer over this index: no testnet of its own; one health-only "node" nobody serves
    // keeps it from spawning one (and the indexer from writing anything).
    const port = await freePort();
    const out = fs.openSync(logFile, 'a');
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(dir, 'data'),
        DATABASE_URL: dbUrl,
        ATTACH: `health+http://127.0.0.1:${await freePort()}`,
        EXPLORER: '1',
        CLUSTER: '0',
        LOG_LEVEL: 'warn',
        CONTROL_TOKEN: 'explorer-ui-bench-control-token-0123',
      },
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    const proc = child;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`the explorer exited (${proc.exitCode}): ${log().slice(-2_000)}`);
        return (await fetch(`${url}/forks`, { signal: AbortSignal.timeout(10_000) }).catch(() => null))?.status === 200;
      },
      { timeoutMs: 120_000, intervalMs: 300, what: 'the explorer serving /forks' },
    );
    return { url, loaded, staleBlocks, buildMs, log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
