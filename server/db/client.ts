// Builds the Prisma client the control plane uses: the generated `prisma-client` over the
// node-postgres driver adapter (no Rust query engine). Server-side only; Next's client bundles
// must never import this (it pulls in `pg`).
import '#server-only';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.ts';

// One import point for database code: the client class, the `Prisma` namespace (errors, sql,
// JsonNull), model types (Block, HeadEvent, …) and enums.
export * from './generated/client.ts';

export interface CreatePrismaClientOptions {
  /** Connection pool size (default 10). */
  maxConnections?: number;
}

export function createPrismaClient(url: string, opts: CreatePrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max: opts.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}
