// prisma/schema.prisma, prisma/migrations and the database the runner builds must agree, and
// Prisma's own engine must read our `_prisma_migrations` bookkeeping as its own. Prisma's engine
// is the wasm build, which needs `--experimental-wasm-modules`: those checks run in a child.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { applyMigrations } from './migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, LOCK_FILE, readMigrations, SNAPSHOT_FILE } from './migrations-dir.ts';
import { startTestServer, type TestServer } from './test-database.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WASM_NODE_ARGS = ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning', '--import', 'tsx'];

/** Runs `code` (an ES module body that prints JSON) in a child node that can load the wasm engine. */
async function inWasmChild<T>(code: string): Promise<T> {
  const { stdout } = await run(process.execPath, [...WASM_NODE_ARGS, '--input-type=module', '-e', code], {
    cwd: ROOT,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as T;
}

describe('schema.prisma and prisma/migrations', () => {
  test('every migration folder has its migration.sql and the schema snapshot it was made from', async () => {
    assert.ok(fs.existsSync(path.join(DEFAULT_MIGRATIONS_DIR, LOCK_FILE)));
    const migrations = await readMigrations();
    assert.ok(migrations.length > 0);
    for (const m of migrations) {
      assert.match(m.name, /^\d{14}_[a-z0-9_]+$/);
      assert.ok(fs.existsSync(path.join(m.dir, SNAPSHOT_FILE)), `${m.name}/${SNAPSHOT_FILE} is missing`);
    }
  });

  test('the newest migration leaves the database exactly as schema.prisma describes it (db:check)', async () => {
    await run(process.execPath, [...WASM_NODE_ARGS, 'scripts/make-migration.ts', '--check'], { cwd: ROOT, timeout: 60_000 }).catch((err: Error & { stderr?: string }) =>
      assert.fail(err.stderr || err.message),
    );
  });

  test('a schema change shows up as a non-empty diff (the check can fail)', async () => {
    const diff = await inWasmChild<{ sql: string; empty: boolean }>(`
      import fs from 'node:fs';
      const { diffSchemas } = await import('./server/db/schema-engine.ts');
      const schema = fs.readFileSync('prisma/schema.prisma', 'utf8');
      const changed = schema.replace('model Alert {', 'model Alert {\\n  acknowledgedBy String?');
      console.log(JSON.stringify(await diffSchemas(schema, changed)));
    `);
    assert.equal(diff.empty, false);
    assert.match(diff.sql, /ALTER TABLE "alerts" ADD COLUMN\s+"acknowledgedBy" TEXT/);
  });
});

describe("Prisma's migration engine and our runner", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ logger: pino({ level: 'silent' }) });
  });
  after(() => server?.stop());

  test('Prisma finds the history written by applyMigrations complete, unedited and not failed', async () => {
    const url = await server.createDatabase();
    await applyMigrations(url, { logger: pino({ level: 'silent' }) });
    const diagnosis = await inWasmChild<{
      hasMigrationsTable: boolean;
      editedMigrationNames: string[];
      failedMigrationNames: string[];
      history: unknown;
    }>(`
      const { diagnoseMigrationHistory } = await import('./server/db/schema-engine.ts');
      console.log(JSON.stringify(await diagnoseMigrationHistory(${JSON.stringify(url)})));
    `);
    assert.deepEqual(diagnosis, { hasMigrationsTable: true, editedMigrationNames: [], failedMigrationNames: [], history: null });
  });

  test('Prisma sees a database the runner has not migrated yet as behind by every migration', async () => {
    const url = await server.createDatabase();
    const diagnosis = await inWasmChild<{ history: { diagnostic: string; unappliedMigrationNames: string[] } }>(`
      const { diagnoseMigrationHistory } = await import('./server/db/schema-engine.ts');
      console.log(JSON.stringify(await diagnoseMigrationHistory(${JSON.stringify(url)})));
    `);
    assert.equal(diagnosis.history.diagnostic, 'databaseIsBehind');
    assert.deepEqual(
      diagnosis.history.unappliedMigrationNames,
      (await readMigrations()).map((m) => m.name),
    );
  });
});
