// Typed errors of the database layer. Each has a stable `code`; callers map them to a log line
// or an exit at the edge (server start-up), never by matching message text.
import type { Logger } from 'pino';

/** The part of a pino logger the database layer uses (a pino Logger fits). */
export type DbLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export type DatabaseErrorCode =
  /** The embedded Postgres could not be initialised or started. */
  | 'DB_START_FAILED'
  /** Another live process runs the embedded Postgres of this data dir. */
  | 'DB_DATA_DIR_IN_USE'
  /** The cluster exists but its generated password file is gone. */
  | 'DB_CREDENTIALS_MISSING'
  /** Could not take the migration lock before the deadline. */
  | 'DB_MIGRATION_LOCK_TIMEOUT'
  /** A migration already applied to the database was edited on disk since. */
  | 'DB_MIGRATION_MODIFIED'
  /** The database records a migration this build does not have. */
  | 'DB_MIGRATION_UNKNOWN'
  /** `_prisma_migrations` holds a failed, unresolved migration (e.g. from `prisma migrate deploy`). */
  | 'DB_MIGRATION_FAILED_EARLIER'
  /** A migration's SQL failed; its transaction was rolled back. */
  | 'DB_MIGRATION_FAILED'
  /** The migrations folder is malformed (bad lock file, missing migration.sql). */
  | 'DB_MIGRATIONS_INVALID';

export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(
    readonly code: DatabaseErrorCode,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
