// The migration runner against a real Postgres (embedded, or DATABASE_URL's server).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import pino from 'pino';
import { createPrismaClient } from './client.ts';
import { DatabaseError } from './errors.ts';
import { applyMigrations } from './migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, readMigrations, sha256Hex } from './migrations-dir.ts';
import { startTestServer, type TestServer } from './test-database.ts';

const logger = pino({ level: 'silent' });
let server: TestServer;
const tempDirs: string[] = [];

before(async () => {
  server = await startTestServer({ logger });
});
after(async () => {
  await server?.stop();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A copy of prisma/migrations that a test may change. */
function copyOfMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'testnet-migrations-'));
  tempDirs.push(dir);
  fs.cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): void {
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<DatabaseError> {
  const err = await promise.then(
    () => assert.fail(`expected ${code}`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DatabaseError, `expected a DatabaseError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  return err;
}

describe('applyMigrations', () => {
  test('applies every migration to a fresh database and records each exactly as Prisma does', async () => {
    const url = await server.createDatabase();
    const onDisk = await readMigrations();
    assert.ok(onDisk.length > 0, 'prisma/migrations holds at least the init migration');

    const result = await applyMigrations(url, { logger });
    assert.deepEqual(
      result.applied,
      onDisk.map((m) => m.name),
    );

    const rows = await query<{
      id: string;
      checksum: string;
      finished_at: Date | null;
      migration_name: string;
      logs: string | null;
      rolled_back_at: Date | null;
      started_at: Date;
      applied_steps_count: number;
    }>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    assert.deepEqual(
      rows.map((r) => r.migration_name),
      onDisk.map((m) => m.name),
    );
    for (const [i, row] of rows.entries()) {
      const file = fs.readFileSync(path.join(onDisk[i]!.dir, 'migration.sql'));
      assert.match(row.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(row.checksum, sha256Hex(file.toString('utf8')));
      assert.ok(row.finished_at instanceof Date && row.finished_at >= row.started_at);
      assert.equal(row.logs, null);
      assert.equal(row.rolled_back_at, null);
      assert.equal(row.applied_steps_count, 1);
    }

    const columns = await query<{ column_name: string; data_type: string; is_nullable: string }>(
      url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    assert.deepEqual(
      columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable}`),
      [
        'id character varying NO',
        'checksum character varying NO',
        'finished_at timestamp with time zone YES',
        'migration_name character varying NO',
        'logs text YES',
        'rolled_back_at timestamp with time zone YES',
        'started_at timestamp with time zone NO',
        'applied_steps_count integer NO',
      ],
    );
  });

  test('running again applies nothing and changes no row', async () => {
    const url = await server.createDatabase();
    await applyMigrations(url, { logger });
    const before = await query(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at');
    const again = await applyMigrations(url, { logger });
    assert.deepEqual(again.applied, []);
    assert.deepEqual(await query(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at'), before);
  });

  test('two processes starting at once apply each migration exactly once', async () => {
    const url = await server.createDatabase();
    const results = await Promise.all([1, 2, 3].map(() => applyMigrations(url, { logger })));
    const total = (await readMigrations()).length;
    assert.equal(
      results.reduce((n, r) => n + r.applied.length, 0),
      total,
    );
    const [{ count }] = await query<{ count: string }>(url, 'SELECT count(*) FROM _prisma_migrations');
    assert.equal(Number(count), total);
  });

  test('a migration edited after it was applied is refused with DB_MIGRATION_MODIFIED', async () => {
    const url = await server.createDatabase();
    const dir = copyOfMigrations();
    await applyMigrations(url, { logger, migrationsDir: dir });
    const [first] = await readMigrations(dir);
    fs.appendFileSync(path.join(first!.dir, 'migration.sql'), '\nCREATE TABLE sneaky (id int);\n');
    const err = await rejectsWith(applyMigrations(url, { logger, migrationsDir: dir }), 'DB_MIGRATION_MODIFIED');
    assert.match(err.message, new RegExp(first!.name));
  });

  test('a migration whose line endings changed to CRLF still matches its checksum', async () => {
    const url = await server.createDatabase();
    const dir = copyOfMigrations();
    await applyMigrations(url, { logger, migrationsDir: dir });
    const [first] = await readMigrations(dir);
    const file = path.join(first!.dir, 'migration.sql');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    assert.deepEqual((await applyMigrations(url, { logger, migrationsDir: dir })).applied, []);
  });

  test('a failing migration is rolled back entirely, leaves no row, and is retried next time', async () => {
    const url = await server.createDatabase();
    const dir = copyOfMigrations();
    addMigration(dir, '99990101000000_broken', 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    const err = await rejectsWith(applyMigrations(url, { logger, migrationsDir: dir }), 'DB_MIGRATION_FAILED');
    assert.match(err.message, /99990101000000_broken/);
    assert.match(err.message, /no_such_function/);

    const names = (await query<{ migration_name: string }>(url, 'SELECT migration_name FROM _prisma_migrations')).map((r) => r.migration_name);
    assert.ok(!names.includes('99990101000000_broken'));
    const [{ exists }] = await query<{ exists: boolean }>(url, "SELECT to_regclass('half_done') IS NOT NULL AS exists");
    assert.equal(exists, false);

    fs.writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\n');
    assert.deepEqual((await applyMigrations(url, { logger, migrationsDir: dir })).applied, ['99990101000000_broken']);
  });

  test('a database migrated by a build with more migrations is refused with DB_MIGRATION_UNKNOWN', async () => {
    const url = await server.createDatabase();
    const newer = copyOfMigrations();
    addMigration(newer, '99990101000000_from_the_future', 'CREATE TABLE future (id int);\n');
    await applyMigrations(url, { logger, migrationsDir: newer });
    await rejectsWith(applyMigrations(url, { logger }), 'DB_MIGRATION_UNKNOWN');
  });

  test('a failed migration recorded by `prisma migrate deploy` is refused with DB_MIGRATION_FAILED_EARLIER', async () => {
    const url = await server.createDatabase();
    await applyMigrations(url, { logger });
    await query(
      url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs)
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '99990101000000_failed', 'boom')`,
    );
    await rejectsWith(applyMigrations(url, { logger }), 'DB_MIGRATION_FAILED_EARLIER');
  });

  test('the generated Prisma client reads back what it writes to every table of a migrated database', async () => {
    const url = await server.createDatabase();
    await applyMigrations(url, { logger });
    const prisma = createPrismaClient(url, { maxConnections: 2 });
    try {
      const at = new Date('2025-01-02T03:04:05.678Z');
      const h = (c: string) => c.repeat(64);
      await prisma.node.create({
        data: { id: 'aaaaaaaaaaaaaaaa', name: 'node-1', url: 'http://127.0.0.1:7001', source: 'local', publicKey: h('a'), isValidator: true },
      });
      await prisma.block.create({
        data: {
          hash: h('1'),
          chainId: 'testnet',
          parentHash: h('0'),
          height: 1,
          slot: 1_735_787_045n,
          proposer: h('a'),
          timestamp: at,
          txRoot: h('2'),
          signature: h('3').repeat(2),
          txCount: 1,
          sizeBytes: 512,
          firstSeenBy: 'aaaaaaaaaaaaaaaa',
          transactions: {
            create: { hash: h('4'), index: 0, blockHeight: 1, from: h('a'), to: h('b'), amount: 9_007_199_254_740_991n, nonce: 0, timestamp: at, signature: h('5').repeat(2) },
          },
        },
      });
      await prisma.canonicalBlock.create({ data: { nodeId: 'aaaaaaaaaaaaaaaa', height: 1, hash: h('1') } });
      await prisma.headEvent.createMany({
        data: [{ nodeId: 'aaaaaaaaaaaaaaaa', streamEpoch: 'e1', seq: 7, hash: h('1'), height: 1, at }],
        skipDuplicates: true,
      });
      const dup = await prisma.headEvent.createMany({
        data: [{ nodeId: 'aaaaaaaaaaaaaaaa', streamEpoch: 'e1', seq: 7, hash: h('1'), height: 1, at }],
        skipDuplicates: true,
      });
      assert.equal(dup.count, 0, 're-ingesting the same stream event inserts nothing');
      await prisma.peerEvent.create({
        data: { nodeId: 'aaaaaaaaaaaaaaaa', streamEpoch: 'e1', seq: 8, at, event: 'connected', address: 'ws://127.0.0.1:7002', direction: 'outbound', score: 0.5 },
      });
      await prisma.healthSample.create({
        data: { nodeId: 'aaaaaaaaaaaaaaaa', at, height: 1, headHash: h('1'), peers: 3, status: 'degraded', reasons: ['no peers'], clockOffsetMs: -250, paused: false },
      });
      await prisma.chaosAction.create({
        data: { actor: 'test', kind: 'partition', params: { groups: [['a'], ['b']] }, targets: ['aaaaaaaaaaaaaaaa'], status: 'applied' },
      });
      await prisma.alert.create({ data: { kind: 'stall', severity: 'warning', nodeId: 'aaaaaaaaaaaaaaaa', message: 'no new head' } });

      const block = await prisma.block.findUniqueOrThrow({ where: { hash: h('1') }, include: { transactions: true } });
      assert.equal(block.slot, 1_735_787_045n);
      assert.equal(block.timestamp.toISOString(), at.toISOString());
      assert.equal(block.transactions[0]?.amount, 9_007_199_254_740_991n);
      const head = await prisma.headEvent.findFirstOrThrow();
      assert.equal(typeof head.id, 'bigint');
      assert.equal(head.reorgDepth, 0);
      assert.equal(head.commonAncestorHash, null);
      assert.deepEqual((await prisma.healthSample.findFirstOrThrow()).reasons, ['no peers']);
      assert.deepEqual((await prisma.alert.findFirstOrThrow()).details, {});
      assert.equal((await prisma.chaosAction.findFirstOrThrow()).id, 1);
      assert.equal((await prisma.peerEvent.findFirstOrThrow()).score, 0.5);
      assert.equal((await prisma.canonicalBlock.findMany({ where: { hash: h('1') } })).length, 1);
    } finally {
      await prisma.$disconnect();
    }
  });
});
