// startDatabase: the embedded Postgres keeps data across restarts and survives the ways a
// previous run can die; DATABASE_URL overrides it. These tests exercise the embedded server
// itself, so they run it even when DATABASE_URL is set in the environment.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { createPrismaClient } from './client.ts';
import { DatabaseError } from './errors.ts';
import { applyMigrations } from './migrate.ts';
import { startDatabase, type DatabaseHandle } from './postgres.ts';
import { isProcessAlive, readPostmasterPid, waitForExit } from './postmaster-pid.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const logger = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void> | void> = [];

after(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'testnet-pg-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string): Promise<DatabaseHandle> {
  const db = await startDatabase({ dataDir, logger, port: 0 });
  cleanups.push(() => db.stop());
  return db;
}

async function scalar<T>(url: string, sql: string): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] as Record<string, T>)[0]!;
  } finally {
    await client.end();
  }
}

async function writeNode(url: string, id: string): Promise<void> {
  await applyMigrations(url, { logger });
  const prisma = createPrismaClient(url, { maxConnections: 1 });
  try {
    await prisma.node.create({
      data: { id, name: id, url: `http://127.0.0.1/${id}`, source: 'attached', publicKey: 'ab'.repeat(32), isValidator: false },
    });
  } finally {
    await prisma.$disconnect();
  }
}

async function nodeIds(url: string): Promise<string[]> {
  const prisma = createPrismaClient(url, { maxConnections: 1 });
  try {
    return (await prisma.node.findMany({ orderBy: { id: 'asc' } })).map((n) => n.id);
  } finally {
    await prisma.$disconnect();
  }
}

describe('startDatabase (embedded)', () => {
  test('a row written through Prisma is still there after stop and a restart on the same data dir', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    assert.equal(first.embedded, true);
    assert.match(first.url, /^postgresql:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/testnet$/);
    await writeNode(first.url, 'survivor');
    await Promise.all([first.stop(), first.stop()]);
    await first.stop();
    assert.equal(readPostmasterPid(path.join(dataDir, 'postgres')), null, 'a clean stop removes postmaster.pid');

    const second = await start(dataDir);
    assert.equal(new URL(second.url).password, new URL(first.url).password, 'the generated password is persisted');
    assert.deepEqual(await nodeIds(second.url), ['survivor']);
    await second.stop();
  });

  test('a postmaster.pid left by a Postgres killed with SIGKILL does not prevent the next start', async () => {
    const dataDir = tempDataDir();
    const first = await start(dataDir);
    await writeNode(first.url, 'before-crash');
    const lock = readPostmasterPid(path.join(dataDir, 'postgres'));
    assert.ok(lock && isProcessAlive(lock.pid));
    process.kill(lock.pid, 'SIGKILL');
    assert.ok(await waitForExit(lock.pid, 10_000));
    assert.ok(fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid')), 'the killed server left its lock file');
    await first.stop(); // must not hang on a server that is already gone

    const second = await start(dataDir);
    assert.deepEqual(await nodeIds(second.url), ['before-crash']);
    await second.stop();
  });

  test('a Postgres orphaned by a control plane killed with SIGKILL is shut down and the cluster starts again', async () => {
    const dataDir = tempDataDir();
    const code = `
      const { startDatabase } = await import('./server/db/postgres.ts');
      const pino = (await import('pino')).default;
      const db = await startDatabase({ dataDir: ${JSON.stringify(dataDir)}, logger: pino({ level: 'silent' }), port: 0 });
      console.log(JSON.stringify({ url: db.url }));
      setInterval(() => {}, 1 << 30);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => void child.kill('SIGKILL'));
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { url: string });
      });
      child.once('exit', (c) => reject(new Error(`child exited (${c}) before the database was ready`)));
    });
    await writeNode(url, 'from-child');
    const orphan = readPostmasterPid(path.join(dataDir, 'postgres'))!.pid;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(isProcessAlive(orphan), 'Postgres outlives its killed parent');

    const db = await start(dataDir);
    assert.equal(isProcessAlive(orphan), false, 'the orphan was shut down');
    assert.deepEqual(await nodeIds(db.url), ['from-child']);
    await db.stop();
  });

  test('a data dir whose Postgres is run by a live process is refused with DB_DATA_DIR_IN_USE', async () => {
    const dataDir = tempDataDir();
    const db = await start(dataDir);
    await assert.rejects(startDatabase({ dataDir, logger, port: 0 }), (err: unknown) => {
      assert.ok(err instanceof DatabaseError);
      assert.equal(err.code, 'DB_DATA_DIR_IN_USE');
      return true;
    });
    assert.equal(await scalar<number>(db.url, 'SELECT 1 AS one'), 1, 'the running server is left alone');
    await db.stop();
  });

  test('a postmaster.pid naming a live process that is not Postgres (a reused pid) is removed', async () => {
    const dataDir = tempDataDir();
    const db = await start(dataDir);
    await db.stop();
    const lockFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    fs.writeFileSync(lockFile, `${process.pid}\n${path.join(dataDir, 'postgres')}\n0\n5433\n`);
    const again = await start(dataDir);
    assert.equal(await scalar<number>(again.url, 'SELECT 1 AS one'), 1);
    await again.stop();
  });
});

describe('startDatabase (DATABASE_URL)', () => {
  test('a given DATABASE_URL wins: it is used as is and nothing is created in the data dir', async () => {
    const embedded = await start(tempDataDir());
    const dataDir = tempDataDir();
    const external = await startDatabase({ dataDir, databaseUrl: embedded.url, logger });
    assert.equal(external.url, embedded.url);
    assert.equal(external.embedded, false);
    assert.deepEqual(fs.readdirSync(dataDir), []);
    assert.equal(await scalar<string>(external.url, 'SELECT current_database() AS db'), 'testnet');
    await external.stop();
    assert.equal(await scalar<number>(embedded.url, 'SELECT 1 AS one'), 1, "stop() of an external database doesn't touch it");
    await embedded.stop();
  });
});
