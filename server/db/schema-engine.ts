// Prisma's schema engine, WebAssembly build (@prisma/schema-engine-wasm), for tooling and tests:
// - diffSchemas: the SQL taking one schema.prisma to another (scripts/make-migration.ts);
// - diagnoseMigrationHistory: how Prisma itself judges a database's `_prisma_migrations`
//   against prisma/migrations (proves our runner's bookkeeping matches Prisma's).
// Never imported by the server: the wasm module needs `node --experimental-wasm-modules`.
//
// A schema-to-schema diff needs no database, but the engine insists on a driver adapter and
// asks it one question on connect (schema exists? server version?). An offline adapter answers
// that question as a PostgreSQL 18 server (the embedded one) and refuses anything else, so a
// diff that would touch a database fails loudly instead of silently reading one.
import fs from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  mockAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import type { DiagnoseMigrationHistoryOutput } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { DEFAULT_MIGRATIONS_DIR, LOCK_FILE, MIGRATION_FILE, readMigrations } from './migrations-dir.ts';

const NO_FILTERS = { externalTables: [], externalEnums: [] };

export interface SchemaDiff {
  /** The migration script; Prisma's "-- This is an empty migration." when there is nothing to do. */
  sql: string;
  /** True when the two schemas produce the same database. */
  empty: boolean;
}

const PROBE = /^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\)/;

function offlineAdapter() {
  const adapter = mockAdapter('postgres');
  return {
    ...adapter,
    adapterName: '@prisma/adapter-pg',
    async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
      if (PROBE.test(query.sql)) {
        return {
          columnNames: ['exists', 'version', 'numeric_version'],
          columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
          rows: [[true, 'PostgreSQL 18.0 (offline schema diff)', 180000]],
        };
      }
      throw new Error(`schema diff tried to query a database, which it must not: ${query.sql.slice(0, 200)}`);
    },
  };
}

function offlineAdapterFactory(): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: async () => offlineAdapter(),
    connectToShadowDb: async () => offlineAdapter(),
  };
}

// Diffing from an empty database makes the engine create the default schema first. Prisma's
// own `migrate dev` diffs from a shadow database that has it, so its first migration never
// says so; and on a managed server the role may lack CREATE on the database, which fails that
// statement even though the schema exists. Drop it to match Prisma's output.
const CREATE_PUBLIC_SCHEMA = /^-- CreateSchema\r?\nCREATE SCHEMA IF NOT EXISTS "public";\r?\n(\r?\n)?/m;

function withoutPublicSchemaCreation(sql: string): string {
  return sql.replace(CREATE_PUBLIC_SCHEMA, '');
}

/**
 * SQL taking a database built from `fromSchema` (null: an empty database) to `toSchema`.
 * Both are full schema.prisma texts.
 */
export async function diffSchemas(fromSchema: string | null, toSchema: string): Promise<SchemaDiff> {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const engine = await SchemaEngine.new({ datamodels: undefined }, () => undefined, bindMigrationAwareSqlAdapterFactory(offlineAdapterFactory()));
  try {
    const result = await engine.diff({
      from: fromSchema === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: fromSchema }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: toSchema }] },
      script: true,
      // With exitCode set the engine reports 2 for a non-empty diff, 0 for an empty one.
      exitCode: true,
      filters: NO_FILTERS,
    });
    return { sql: withoutPublicSchemaCreation(result.stdout ?? ''), empty: result.exitCode === 0 };
  } finally {
    engine.free();
  }
}

/**
 * What Prisma's engine (the logic behind `prisma migrate status` / `deploy`) concludes about the
 * database at `url` given the migrations folder: applied, edited, failed, pending.
 */
export async function diagnoseMigrationHistory(url: string, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<DiagnoseMigrationHistoryOutput> {
  const { SchemaEngine } = await import('@prisma/schema-engine-wasm');
  const migrations = await readMigrations(migrationsDir);
  const lockContent = await fs.readFile(path.join(migrationsDir, LOCK_FILE), 'utf8').catch(() => null);
  // Our own pool, so it can be closed: the adapter's would keep the process alive for its idle timeout.
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const engine = await SchemaEngine.new({ datamodels: undefined }, () => undefined, bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool)));
  try {
    return await engine.diagnoseMigrationHistory({
      migrationsList: {
        baseDir: migrationsDir,
        lockfile: { path: LOCK_FILE, content: lockContent },
        shadowDbInitScript: '',
        migrationDirectories: migrations.map((m) => ({
          path: m.name,
          migrationFile: { path: MIGRATION_FILE, content: { tag: 'ok' as const, value: m.sql } },
        })),
      },
      optInToShadowDatabase: false,
      filters: NO_FILTERS,
    });
  } finally {
    engine.free();
    await pool.end();
  }
}
