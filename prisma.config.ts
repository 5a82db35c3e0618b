// Prisma CLI configuration (Prisma 7 reads the datasource URL from here, not from schema.prisma).
// The URL is only needed by `prisma migrate …` / `prisma db …` on machines that have Prisma's
// native schema engine; `prisma generate` runs without it, so DATABASE_URL may be unset.
// The running server does not use this file: it applies prisma/migrations itself
// (server/db/migrate.ts) and connects with the URL from its own config.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
