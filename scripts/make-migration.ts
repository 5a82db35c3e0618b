// Writes a new migration for the changes in prisma/schema.prisma, in Prisma's layout:
//   prisma/migrations/<UTC yyyymmddhhmmss>_<name>/migration.sql
//   prisma/migrations/<…>/schema.prisma.snapshot   (the schema this migration leads to)
//   prisma/migrations/migration_lock.toml
// Prisma's `migrate dev` would diff against a shadow database, which needs its native engine;
// instead we diff from the newest migration's snapshot (or from an empty database for the
// first one) with the wasm schema engine.
//
//   npm run db:migration -- <name>            new migration from the schema changes
//   npm run db:migration -- <name> --empty    empty migration to fill in by hand (data fixes)
//   npm run db:migration -- --check           exit 1 if schema.prisma has unmigrated changes
//
// Runs as `node --experimental-wasm-modules --import tsx scripts/make-migration.ts`.
import fs from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import path from 'node:path';
import { diffSchemas } from '../server/db/schema-engine.ts';
import {
  DEFAULT_MIGRATIONS_DIR,
  LOCK_FILE,
  LOCK_FILE_CONTENT,
  MIGRATION_FILE,
  readLatestSnapshot,
  readMigrations,
  SCHEMA_PATH,
  SNAPSHOT_FILE,
} from '../server/db/migrations-dir.ts';

const USAGE = 'usage: npm run db:migration -- <name> [--empty]  |  npm run db:migration -- --check';

interface MigrationArgs {
  name: string | undefined;
  empty: boolean;
  check: boolean;
}

/** The command line, through commander; throws CommanderError (with its exit code) on misuse. */
function parseArgs(argv: string[]): MigrationArgs {
  const program = new Command('npm run db:migration --')
    .description('Write a migration for the changes in prisma/schema.prisma, or check that there are none.')
    .argument('[name]', 'name of the new migration (lower snake_case is made of it)')
    .option('--empty', 'write an empty migration to fill in by hand (data fixes)', false)
    .option('--check', 'exit 1 if schema.prisma has changes no migration contains', false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text.endsWith(`${USAGE}\n`) ? text : `${text}${USAGE}\n`) });
  program.parse(argv, { from: 'user' });
  const opts = program.opts<{ empty: boolean; check: boolean }>();
  return { name: program.args[0], ...opts };
}

function timestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return p(date.getUTCFullYear(), 4) + p(date.getUTCMonth() + 1) + p(date.getUTCDate()) + p(date.getUTCHours()) + p(date.getUTCMinutes()) + p(date.getUTCSeconds());
}

/** Prisma's convention: lower snake_case, at most 200 characters. */
function slug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 200);
}

async function main(argv: string[]): Promise<number> {
  let args: MigrationArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }

  const schema = await fs.readFile(SCHEMA_PATH, 'utf8');
  const latest = await readLatestSnapshot(DEFAULT_MIGRATIONS_DIR);
  const diff = await diffSchemas(latest?.schema ?? null, schema);

  if (args.check) {
    if (diff.empty) {
      console.log(`prisma/schema.prisma matches the migrations (latest: ${latest?.migration ?? 'none'})`);
      return 0;
    }
    console.error(`prisma/schema.prisma has changes no migration contains:\n\n${diff.sql}\nrun: npm run db:migration -- <name>`);
    return 1;
  }

  const name = slug(args.name ?? '');
  if (!name) {
    console.error(USAGE);
    return 2;
  }
  if (diff.empty && !args.empty) {
    console.error('prisma/schema.prisma has no changes to migrate; pass --empty to write an empty migration to fill in by hand');
    return 1;
  }

  // Names must sort after every existing migration even if this clock is behind the last author's.
  const existing = await readMigrations(DEFAULT_MIGRATIONS_DIR);
  let at = new Date();
  const lastStamp = existing.at(-1)?.name.slice(0, 14);
  while (lastStamp !== undefined && timestamp(at) <= lastStamp) at = new Date(at.getTime() + 1000);
  const folder = `${timestamp(at)}_${name}`;
  const dir = path.join(DEFAULT_MIGRATIONS_DIR, folder);

  const sql = diff.empty ? '-- This is an empty migration.\n' : diff.sql;
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, MIGRATION_FILE), sql);
  await fs.writeFile(path.join(dir, SNAPSHOT_FILE), schema);
  const lockPath = path.join(DEFAULT_MIGRATIONS_DIR, LOCK_FILE);
  await fs.access(lockPath).catch(() => fs.writeFile(lockPath, LOCK_FILE_CONTENT));

  console.log(`wrote ${path.relative(process.cwd(), path.join(dir, MIGRATION_FILE))}`);
  console.log('review it, then: npm run db:generate (client) — the server applies it at next start');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
