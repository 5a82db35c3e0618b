// The two node processes of one measurement: the source (a node whose data dir holds the
// whole chain: genesis, key, block log; it only serves) and a fresh node with nothing but
// genesis and that one peer, timed from its handshake to the moment it logs that it caught
// up with the peer's head, then checked over HTTP to hold exactly the peer's head hash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HeadRef } from '../../wire/node-api.ts';
import { writeKeyFile } from '../../node/chain/keys.ts';
import { freePort } from '../../lib/free-port.ts';
import { NodeClient } from '../../node/testkit/node-client.ts';
import { NodeProcess, type NodeLogLine } from './node-process.ts';
import { processCpuMs } from './proc-cpu.ts';
import type { SyncChain } from './sync-chain.ts';

export interface RunningSource {
  node: NodeProcess;
  p2pUrl: string;
  /** Spawn → "node started" (the 20,000-block log replayed, trusted): what a restart costs. */
  startMs: number;
}

export interface SyncRun {
  blocks: number;
  batches: number | null;
  /** Handshake ("peer connected") → "caught up" at the peer's head, node's own log clock. */
  handshakeToHeadMs: number;
  /** First get_blocks → caught up, as the node measured it. */
  sessionMs: number;
  /** Spawn of the process → caught up: includes node start-up (tsx, imports, listeners). */
  wallMs: number;
  blocksPerSec: number;
  /** CPU the syncing node used from its first request to caught up (its own process.cpuUsage). */
  syncingCpuMs: number | null;
  /** CPU the serving node used over the same stretch (from /proc; null elsewhere). */
  sourceCpuMs: number | null;
  head: HeadRef;
}

const STARTUP_TIMEOUT_MS = 60_000;

/** Writes genesis + key + the cached block log into `dir` and starts a node serving it. */
export async function startSource(chain: SyncChain, dir: string, genesisFile: string, track: (n: NodeProcess) => void): Promise<RunningSource> {
  fs.mkdirSync(dir, { recursive: true });
  writeKeyFile(path.join(dir, 'key.json'), chain.net.sourceKey);
  fs.copyFileSync(chain.logFile, path.join(dir, 'blocks.log'));
  const port = await freePort();
  const node = new NodeProcess('sync source', [
    '--data-dir',
    dir,
    '--port',
    String(port),
    '--name',
    'sync-source',
    '--genesis',
    genesisFile,
    '--tx-rate',
    '0',
    '--log-level',
    'info',
  ]);
  track(node);
  const started = await node.waitForLog((l) => l.msg === 'node started', { timeoutMs: STARTUP_TIMEOUT_MS + chain.meta.blockCount, what: '"node started"' });
  const head = started.head as HeadRef | undefined;
  if (head?.hash !== chain.meta.head.hash) {
    throw new Error(`sync source started at head ${JSON.stringify(head)}, not the generated head ${chain.meta.head.height}:${chain.meta.head.hash.slice(0, 16)}`);
  }
  return { node, p2pUrl: `ws://127.0.0.1:${port}/p2p`, startMs: started.timeMs - node.spawnedAt };
}

export async function syncFreshNode(opts: {
  name: string;
  dir: string;
  genesisFile: string;
  peerUrl: string;
  sourcePid: number | undefined;
  expectHead: HeadRef;
  checkpoint: HeadRef | null;
  timeoutMs: number;
  track: (n: NodeProcess) => void;
}): Promise<SyncRun> {
  fs.mkdirSync(opts.dir, { recursive: true });
  const port = await freePort();
  const args = [
    '--data-dir',
    opts.dir,
    '--port',
    String(port),
    '--name',
    opts.name,
    '--genesis',
    opts.genesisFile,
    '--peers',
    opts.peerUrl,
    '--tx-rate',
    '0',
    '--log-level',
    'info',
  ];
  if (opts.checkpoint) args.push('--checkpoint', `${opts.checkpoint.height}:${opts.checkpoint.hash}`);
  const node = new NodeProcess(opts.name, args);
  opts.track(node);
  try {
    const connected = await node.waitForLog((l) => l.msg === 'peer connected', { timeoutMs: STARTUP_TIMEOUT_MS, what: '"peer connected"' });
    const sourceCpuAtStart = processCpuMs(opts.sourcePid);
    const atHead = (l: NodeLogLine) => l.msg === 'caught up' && (l.head as HeadRef | undefined)?.height === opts.expectHead.height;
    const caughtUp = await node.waitForLog(atHead, { timeoutMs: opts.timeoutMs, what: `"caught up" at height ${opts.expectHead.height}` });
    const sourceCpuAtEnd = processCpuMs(opts.sourcePid);
    const head = caughtUp.head as HeadRef;
    // The node's own word is not enough: ask it over HTTP which block it holds as head.
    const health = await new NodeClient(`http://127.0.0.1:${port}`).health();
    if (health.blockchain.latest_block_hash !== opts.expectHead.hash || head.hash !== opts.expectHead.hash) {
      throw new Error(
        `${opts.name} ended at ${health.blockchain.height}:${health.blockchain.latest_block_hash.slice(0, 16)}, not the peer's head ${opts.expectHead.height}:${opts.expectHead.hash.slice(0, 16)}`,
      );
    }
    const handshakeToHeadMs = caughtUp.timeMs - connected.timeMs;
    const blocks = Number(caughtUp.blocks);
    return {
      blocks,
      batches: typeof caughtUp.batches === 'number' ? caughtUp.batches : null,
      handshakeToHeadMs,
      sessionMs: Number(caughtUp.ms),
      wallMs: caughtUp.timeMs - node.spawnedAt,
      blocksPerSec: blocks / (Math.max(1, handshakeToHeadMs) / 1000),
      syncingCpuMs: typeof caughtUp.cpuMs === 'number' ? caughtUp.cpuMs : null,
      sourceCpuMs: sourceCpuAtStart !== null && sourceCpuAtEnd !== null ? Math.round(sourceCpuAtEnd - sourceCpuAtStart) : null,
      head,
    };
  } finally {
    await node.stop();
  }
}

export interface SyncSession {
  source: RunningSource;
  full: SyncRun;
  /** The same sync with `--checkpoint` at the head, when asked for. */
  checkpoint: SyncRun | null;
}

/**
 * One source node serving `chain` and fresh nodes syncing it (one full sync, then optionally a
 * checkpoint sync), in a temp dir; every process started is stopped and the dir removed.
 */
export async function syncSession(chain: SyncChain, opts: { label: string; checkpoint: boolean; say: (line: string) => void }): Promise<SyncSession> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${opts.label}-`));
  const processes: NodeProcess[] = [];
  const track = (n: NodeProcess) => processes.push(n);
  try {
    const genesisFile = path.join(root, 'genesis.json');
    fs.writeFileSync(genesisFile, JSON.stringify(chain.net.genesis, null, 2) + '\n');
    const source = await startSource(chain, path.join(root, 'source'), genesisFile, track);
    opts.say(`source node up in ${source.startMs} ms (replayed its ${chain.meta.blockCount}-block log), serving ${source.p2pUrl}`);
    // Generous: 40 blocks/s would be a pathological regression, not a slow machine.
    const timeoutMs = 60_000 + chain.meta.blockCount * 25;
    const common = { genesisFile, peerUrl: source.p2pUrl, sourcePid: source.node.pid, expectHead: chain.meta.head, timeoutMs, track };
    const full = await syncFreshNode({ ...common, name: `${opts.label}-fresh`, dir: path.join(root, 'fresh'), checkpoint: null });
    opts.say(describeSync('full sync', full));
    let checkpoint: SyncRun | null = null;
    if (opts.checkpoint) {
      checkpoint = await syncFreshNode({ ...common, name: `${opts.label}-checkpoint`, dir: path.join(root, 'checkpoint'), checkpoint: chain.meta.head });
      opts.say(describeSync(`checkpoint sync (--checkpoint ${chain.meta.head.height}:${chain.meta.head.hash.slice(0, 12)}…)`, checkpoint));
    }
    return { source, full, checkpoint };
  } finally {
    // Every process we started, whatever happened above.
    await Promise.all(processes.map((p) => p.stop()));
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export function describeSync(what: string, r: SyncRun): string {
  return `${what}: ${r.blocks} blocks in ${r.handshakeToHeadMs} ms from handshake = ${Math.round(r.blocksPerSec)} blocks/s (${r.batches ?? '?'} batches); ${r.wallMs} ms from spawn; CPU ${r.syncingCpuMs ?? '?'} ms syncing node, ${r.sourceCpuMs ?? '?'} ms serving node; head ${r.head.height}:${r.head.hash.slice(0, 12)}… matches the peer`;
}
