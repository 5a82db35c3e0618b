// Read latency of the explorer API over the ingested data: the real router (zod parsing, the
// real ExplorerQueries / ForkQueries on Prisma, JSON answers) on a loopback HTTP server,
// requests sent one at a time with fetch (keep-alive), after a short warm-up.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { PrismaClient } from '../../server/db/client.ts';
import { createServerRouter, type ApiDeps } from '../../server/api/server-router.ts';
import { nodeListener } from '../../lib/http/router.ts';
import { ExplorerQueries } from '../../server/read/explorer-queries.ts';
import { ForkQueries } from '../../server/read/fork-queries.ts';
import { HistoryQueries } from '../../server/read/history-queries.ts';
import { AccountQueries } from '../../server/read/account-queries.ts';

export interface LatencyCase {
  name: string;
  /** Path and query of request i (0-based); varied so no two requests repeat a deep read. */
  path: (i: number) => string;
  /** Checks the first answer; returns a short description of it. */
  check?: (body: unknown) => string;
}

export interface LatencyResult {
  name: string;
  example: string;
  requests: number;
  p50: number;
  p95: number;
  max: number;
  note: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export async function measureApi(prisma: PrismaClient, cases: LatencyCase[], opts: { requests: number; warmup: number }): Promise<LatencyResult[]> {
  // Only the read queries are real; anything else the router is given (monitor, chaos, …)
  // throws if a benchmarked route ever touched it.
  const unused = (what: string): unknown =>
    new Proxy(() => undefined, {
      get: () => {
        throw new Error(`${what} is not part of this benchmark`);
      },
      apply: () => {
        throw new Error(`${what} is not part of this benchmark`);
      },
    });
  const given: Partial<ApiDeps> = {
    queries: new ExplorerQueries(prisma),
    forks: new ForkQueries(prisma),
    history: new HistoryQueries(prisma),
    // No nodes run in the benchmark: an account is its indexed part (the nodes' answers are
    // bounded by their own deadline, not by the index).
    accounts: new AccountQueries(prisma, { nodes: () => [] }),
    databaseHealth: async () => ({ ok: true, error: null }),
    startedAt: Date.now(),
    version: 'bench',
    controlToken: 'bench-token-not-used',
    // Read when the router is made (whether session cookies are https-only): none configured.
    publicOrigins: undefined,
    logger: pino({ level: 'warn' }, pino.destination(2)),
  };
  const deps = new Proxy(given, { get: (target, key) => (key in target ? target[key as keyof ApiDeps] : unused(`deps.${String(key)}`)) }) as ApiDeps;
  const server = http.createServer(nodeListener(createServerRouter(deps)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const results: LatencyResult[] = [];
  try {
    for (const c of cases) {
      let note = '';
      for (let i = 0; i < opts.warmup; i++) {
        const res = await fetch(base + c.path(opts.requests + i));
        const body = (await res.json()) as unknown;
        if (res.status !== 200) throw new Error(`${c.name}: GET ${c.path(opts.requests + i)} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      }
      const times: number[] = [];
      for (let i = 0; i < opts.requests; i++) {
        const t0 = performance.now();
        const res = await fetch(base + c.path(i));
        const body = (await res.json()) as unknown;
        times.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${c.name}: GET ${c.path(i)} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
        if (i === 0 && c.check) note = c.check(body);
      }
      times.sort((a, b) => a - b);
      results.push({ name: c.name, example: c.path(0), requests: times.length, p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times[times.length - 1], note });
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return results;
}
