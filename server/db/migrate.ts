// Applies pending prisma/migrations at start-up, without Prisma's native schema engine (which
// cannot be downloaded here). Bookkeeping follows Prisma exactly: the same `_prisma_migrations`
// table, checksums and advisory lock, so `prisma migrate deploy` / `migrate status` on a machine
// that has the engine sees the same history.
//
// Differences from Prisma, on purpose: each migration runs inside one transaction (a failure
// leaves neither half a schema nor a failed row, so the next start simply retries), and an
// applied migration whose file changed is refused instead of ignored. A migration therefore
// cannot use statements that refuse a transaction (CREATE INDEX CONCURRENTLY, VACUUM).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DatabaseError, type DbLogger } from './errors.ts';
import { checksumMatches, DEFAULT_MIGRATIONS_DIR, readMigrations, type MigrationOnDisk } from './migrations-dir.ts';

/** The key Prisma's own migrate commands lock, so they and this runner exclude each other. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Byte-for-byte the table Prisma's schema engine creates on PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface ApplyMigrationsOptions {
  logger: DbLogger;
  /** Defaults to prisma/migrations beside this module. */
  migrationsDir?: string;
  /** How long to wait for another process holding the migration lock. Default 60 s. */
  lockTimeoutMs?: number;
}

export interface ApplyMigrationsResult {
  /** Names of the migrations applied by this call, in order (empty when up to date). */
  applied: string[];
  /** Number of migrations on disk. */
  total: number;
}

/** One `_prisma_migrations` row, as far as the runner reads it. */
export interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(connectionString: string, opts: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const { logger } = opts;
  const migrations = await readMigrations(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const client = new pg.Client({ connectionString });
  // A dropped connection mid-migration surfaces as a failed query; don't crash on the event.
  client.on('error', (err) => logger.warn({ err }, 'migration connection error'));
  await client.connect();
  try {
    await acquireLock(client, opts.lockTimeoutMs ?? 60_000, logger);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = (await client.query<AppliedRow>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at')).rows;
      const pending = pendingMigrations(migrations, rows);
      for (const migration of pending) await applyOne(client, migration, logger);
      if (pending.length > 0) logger.info({ applied: pending.map((m) => m.name) }, 'database migrations applied');
      else logger.debug({ total: migrations.length }, 'database schema up to date');
      return { applied: pending.map((m) => m.name), total: migrations.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Checks the recorded history against the folder and returns what is left to apply. */
export function pendingMigrations(onDisk: MigrationOnDisk[], rows: AppliedRow[]): MigrationOnDisk[] {
  const live = rows.filter((r) => r.rolled_back_at === null);
  const failed = live.filter((r) => r.finished_at === null);
  if (failed.length > 0) {
    const names = failed.map((r) => r.migration_name);
    throw new DatabaseError(
      'DB_MIGRATION_FAILED_EARLIER',
      `the database records failed migration(s) ${names.join(', ')}; fix the database, then mark them with ` +
        '`prisma migrate resolve --rolled-back <name>` (or --applied) before starting again',
      { migrations: names },
    );
  }
  const byName = new Map(onDisk.map((m) => [m.name, m]));
  const unknown = live.filter((r) => !byName.has(r.migration_name)).map((r) => r.migration_name);
  if (unknown.length > 0) {
    throw new DatabaseError(
      'DB_MIGRATION_UNKNOWN',
      `the database was migrated by a newer or different build: migration(s) ${unknown.join(', ')} are not in ` +
        'prisma/migrations. Use a matching build, or another database / DATA_DIR',
      { migrations: unknown },
    );
  }
  const modified = live.filter((r) => !checksumMatches(byName.get(r.migration_name)!.sql, r.checksum)).map((r) => r.migration_name);
  if (modified.length > 0) {
    throw new DatabaseError(
      'DB_MIGRATION_MODIFIED',
      `migration(s) ${modified.join(', ')} changed on disk after they were applied to this database; ` +
        'restore the original migration.sql and put the change in a new migration (npm run db:migration -- <name>)',
      { migrations: modified },
    );
  }
  const applied = new Set(live.map((r) => r.migration_name));
  return onDisk.filter((m) => !applied.has(m.name));
}

async function acquireLock(client: pg.Client, timeoutMs: number, logger: DbLogger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let logged = false;
  for (;;) {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [PRISMA_MIGRATE_LOCK_KEY]);
    if (rows[0]?.locked) return;
    if (Date.now() >= deadline) {
      throw new DatabaseError('DB_MIGRATION_LOCK_TIMEOUT', `another process held the migration lock (pg_advisory_lock ${PRISMA_MIGRATE_LOCK_KEY}) for over ${timeoutMs} ms`, {
        timeoutMs,
      });
    }
    if (!logged) logger.info('waiting for another process to finish migrating the database');
    logged = true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function applyOne(client: pg.Client, migration: MigrationOnDisk, logger: DbLogger): Promise<void> {
  logger.info({ migration: migration.name }, 'applying database migration');
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query('INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, applied_steps_count) VALUES ($1, $2, clock_timestamp(), $3, 0)', [
      id,
      migration.checksum,
      migration.name,
    ]);
    // No parameters: pg sends it with the simple query protocol, which runs a multi-statement script.
    await client.query(migration.sql);
    await client.query('UPDATE _prisma_migrations SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const pgErr = err as Partial<pg.DatabaseError>;
    throw new DatabaseError(
      'DB_MIGRATION_FAILED',
      `migration ${migration.name} failed and was rolled back: ${pgErr.message ?? String(err)}`,
      { migration: migration.name, sqlState: pgErr.code, position: pgErr.position },
      { cause: err },
    );
  }
}
