// Browser tests: a real Chromium against the real product (server/main.ts with embedded
// Postgres and a local testnet in a temp DATA_DIR), started once for the whole run. Two
// products: the PoA one every spec uses, and a BFT one (CONSENSUS=bft, its own ports and
// data dir) for the specs named bft-*.spec.ts (project 'bft'). E2E_BFT=0 leaves the BFT one out.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { chromiumLaunchOptions } from './lib/chromium.ts';
import os from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3210);
const nodeBasePort = Number(process.env.E2E_NODE_BASE_PORT ?? 7310);
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'explorer-e2e-'));
const bft = process.env.E2E_BFT !== '0';
const bftPort = Number(process.env.E2E_BFT_PORT ?? port + 1);
const bftNodeBasePort = Number(process.env.E2E_BFT_NODE_BASE_PORT ?? nodeBasePort + 20);
const bftDataDir = process.env.E2E_BFT_DATA_DIR ?? mkdtempSync(path.join(os.tmpdir(), 'explorer-e2e-bft-'));

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  projects: [
    { name: 'poa', testIgnore: /bft-.*\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${port}` } },
    ...(bft ? [{ name: 'bft', testMatch: /bft-.*\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${bftPort}` } }] : []),
  ],
  use: {
    screenshot: 'on',
    trace: 'retain-on-failure',
    // Debian's Chromium where installed, and flags that keep it off the network (lib/chromium.ts).
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: [
    {
      command: 'node --import tsx server/main.ts',
      // The explorer's page, not /api/health (which answers while the production build is still
      // made): the BFT server starts after this one and must find the build done, not build it again.
      url: `http://127.0.0.1:${port}/`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: 'ignore',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        NODES: '4',
        BLOCK_TIME_MS: '500',
        NODE_BASE_PORT: String(nodeBasePort),
        CONTROL_TOKEN: 'e2e-control-token-0123456789',
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
      },
    },
    ...(bft
      ? [
          {
            command: 'node --import tsx server/main.ts',
            url: `http://127.0.0.1:${bftPort}/`,
            timeout: 240_000,
            reuseExistingServer: false,
            stdout: 'ignore' as const,
            stderr: 'pipe' as const,
            gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 15_000 },
            env: {
              PORT: String(bftPort),
              HOST: '127.0.0.1',
              DATA_DIR: bftDataDir,
              NODES: '4',
              BLOCK_TIME_MS: '500',
              CONSENSUS: 'bft',
              NODE_BASE_PORT: String(bftNodeBasePort),
              CONTROL_TOKEN: 'e2e-control-token-0123456789',
              ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
            },
          },
        ]
      : []),
  ],
});
