// For tests: fresh, migrated databases. With DATABASE_URL set (CI), uniquely named databases
// are created on that server and dropped afterwards; otherwise an embedded Postgres starts in a
// temp dir on a free port and is deleted afterwards.
//
//   const db = await withTestDatabase();
//   after(() => db.stop());
//   beforeEach(() => db.reset());
//   await db.prisma.block.create({ … });
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { createPrismaClient, type PrismaClient } from './client.ts';
import type { DbLogger } from './errors.ts';
import { applyMigrations } from './migrate.ts';
import { startDatabase } from './postgres.ts';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Empties every table (identities restart at 1); the schema and migration history stay. */
  reset(): Promise<void>;
  /** Disconnects and removes the database (and the embedded server, if one was started). Idempotent. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** An existing server to create test databases on. Defaults to process.env.DATABASE_URL. */
  databaseUrl?: string;
  logger?: DbLogger;
}

export interface TestServer {
  /** True when it runs an embedded Postgres (no DATABASE_URL). */
  embedded: boolean;
  /** Creates an empty, uniquely named database and returns its URL. */
  createDatabase(): Promise<string>;
  /** Drops the databases it created, or stops the embedded server and deletes its dir. Idempotent. */
  stop(): Promise<void>;
}

/** One Postgres server for a test file; databases on it are cheap (tens of ms). */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const external = opts.databaseUrl ?? process.env.DATABASE_URL;
  let adminUrl: string;
  let shutdown: () => Promise<void>;
  if (external) {
    adminUrl = external;
    shutdown = async () => undefined;
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'testnet-db-'));
    try {
      const db = await startDatabase({ dataDir, logger, port: 0 });
      adminUrl = db.url;
      shutdown = async () => {
        await db.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      };
    } catch (err) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  const created: string[] = [];
  let stopping: Promise<void> | undefined;
  return {
    embedded: !external,
    async createDatabase() {
      const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
      await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    stop: () =>
      (stopping ??= (async () => {
        if (external) {
          for (const name of created.splice(0)) {
            await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
          }
        }
        await shutdown();
      })()),
  };
}

/** A fresh database with every migration applied, and a Prisma client on it. */
export async function withTestDatabase(opts: TestServerOptions = {}): Promise<TestDatabase> {
  const logger = opts.logger ?? pino({ level: 'silent' });
  const server = await startTestServer({ ...opts, logger });
  try {
    const url = await server.createDatabase();
    await applyMigrations(url, { logger });
    const prisma = createPrismaClient(url, { maxConnections: 4 });
    let stopping: Promise<void> | undefined;
    return {
      url,
      prisma,
      reset: () => truncateAll(prisma),
      stop: () =>
        (stopping ??= (async () => {
          await prisma.$disconnect();
          await server.stop();
        })()),
    };
  } catch (err) {
    await server.stop().catch(() => undefined);
    throw err;
  }
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function truncateAll(prisma: PrismaClient): Promise<void> {
  const tables = await prisma.$queryRaw<Array<{ name: string }>>`
    SELECT quote_ident(tablename) AS name FROM pg_tables
    WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
  if (tables.length === 0) return;
  await prisma.$executeRawUnsafe(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
}
