// A LocalTestnet of real node processes for a benchmark: loopback only, free ports, a temp
// data dir, quiet logs (warn+, into each node's node.log), and cleanup on every path out:
// stop() for the normal end, Ctrl-C/SIGTERM while a run is in flight, and LocalTestnet's own
// SIGKILL on process exit (plus each node's --parent-pid watch) as the last resort.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../node/logger.ts';
import { freePorts } from '../../lib/free-port.ts';
import { NodeClient } from '../../node/testkit/node-client.ts';
import { LocalTestnet, type LocalNodeInfo } from '../../node/testnet/local-testnet.ts';
import type { TestnetConsensus } from '../../node/testnet/testnet-genesis.ts';

export interface BenchTestnetOptions {
  /** Names the temp dir, e.g. "propagation-16". */
  label: string;
  nodes: number;
  blockTimeMs: number;
  /** Built-in tx load per node (tx/s); fixed per benchmark so block contents are comparable. */
  txRate: number;
  /** Genesis and validator keys derive from it: the same seed gives the same network. */
  seed: string;
  extraArgs?: string[];
  /** Consensus engine of the testnet's genesis (default PoA). */
  consensus?: TestnetConsensus;
}

export interface BenchTestnet {
  testnet: LocalTestnet;
  nodes: LocalNodeInfo[];
  clients: NodeClient[];
  dataDir: string;
  /** Stops every node; removes the data dir unless `keepDir` (kept for the logs after a failure). */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

const live = new Set<LocalTestnet>();
let signalsHooked = false;

function onSignal(signal: NodeJS.Signals): void {
  process.stderr.write(`\n${signal}: stopping ${live.size} benchmark testnet(s)…\n`);
  void Promise.allSettled([...live].map((t) => t.stop())).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

function track(t: LocalTestnet): void {
  live.add(t);
  if (!signalsHooked) {
    signalsHooked = true;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

function untrack(t: LocalTestnet): void {
  live.delete(t);
  if (live.size === 0 && signalsHooked) {
    signalsHooked = false;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function startBenchTestnet(opts: BenchTestnetOptions): Promise<BenchTestnet> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${opts.label}-`));
  const basePort = await freePorts(opts.nodes);
  const testnet = new LocalTestnet(
    {
      nodes: opts.nodes,
      basePort,
      blockTimeMs: opts.blockTimeMs,
      dataDir,
      host: '127.0.0.1',
      txRate: opts.txRate,
      logLevel: 'warn',
      seed: opts.seed,
      extraArgs: opts.extraArgs ?? [],
      consensus: opts.consensus ?? 'poa',
      // Many nodes starting at once on two shared cores take a while.
      healthTimeoutMs: 30_000 + 1_000 * opts.nodes,
    },
    { logger: createLogger({ level: 'warn', name: `bench-${opts.label}` }) },
  );
  track(testnet);
  const stop = async ({ keepDir = false } = {}) => {
    try {
      await testnet.stop();
    } finally {
      untrack(testnet);
      if (!keepDir) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
  try {
    await testnet.start();
  } catch (err) {
    await stop({ keepDir: true });
    throw new Error(`could not start a ${opts.nodes}-node testnet in ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
  const nodes = testnet.nodes();
  return { testnet, nodes, clients: nodes.map((n) => new NodeClient(n.url, n.adminToken)), dataDir, stop };
}

/** Polls every node's /health until each has at least `minPeers` connected peers. */
export async function waitForPeers(clients: NodeClient[], minPeers: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let counts: number[] = [];
  while (Date.now() < deadline) {
    counts = await Promise.all(
      clients.map((c) =>
        c.health().then(
          (h) => h.peers.connected,
          () => -1,
        ),
      ),
    );
    if (counts.every((n) => n >= minPeers)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`peers did not connect within ${timeoutMs} ms: wanted ≥ ${minPeers} per node, have [${counts.join(', ')}] (-1 = no answer)`);
}

/** "1.23 0.98 0.75": the machine's load average, printed beside every figure on a shared box. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}
