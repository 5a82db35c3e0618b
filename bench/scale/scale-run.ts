// One scale measurement: an N-node testnet at 1 s blocks held for a while, every node's head
// at each instant of a fixed grid (from its /stream head events, by node time) judged by the
// in-sync rule (sync-check.ts), with
// each node's CPU (from /proc/<pid>/stat over the window) and RSS (/proc/<pid>/status).
import { NodeApiClient } from '../../lib/http/node-client.ts';
import { cpuSeconds, rssMB } from '../testnet/proc-stats.ts';
import { loadAverage, startBenchTestnet, waitForPeers } from '../testnet/bench-testnet.ts';
import { HeadTap } from '../testnet/head-tap.ts';
import { outboundPeersFor } from '../../node/testnet/local-testnet.ts';
import { judgeSample, type HeadSample, type SyncVerdict } from './sync-check.ts';

export interface ScaleOptions {
  nodes: number;
  durationMs: number;
  blockTimeMs: number;
  sampleMs: number;
  txRate: number;
  seed: string;
  /** How long the network may take to mesh and agree once after start-up. */
  settleTimeoutMs: number;
  say: (line: string) => void;
}

export interface ScaleResult {
  nodes: number;
  held: boolean;
  /** Why it did not hold, in words. */
  why: string | null;
  samples: number;
  samplesInSync: number;
  maxSpread: number;
  /** Blocks added to the chain during the window ÷ slots that passed. */
  blocksPerSlot: number | null;
  /** % of one core, per node over the window. */
  cpuPct: number[];
  /** MB, the highest VmRSS seen per node. */
  rssMB: number[];
  /** Connected peers per node at the end. */
  peers: number[];
  startupMs: number;
  loadAtStart: string;
  loadAtEnd: string;
}

const HEALTH_TIMEOUT_MS = 5000;
const STREAM_GRACE_MS = 3000;
const MIN_BLOCKS_PER_SLOT = 0.9;

export async function measureScale(opts: ScaleOptions): Promise<ScaleResult> {
  const n = opts.nodes;
  const started = performance.now();
  const net = await startBenchTestnet({ label: `scale-${n}`, nodes: n, blockTimeMs: opts.blockTimeMs, txRate: opts.txRate, seed: opts.seed });
  let ok = false;
  let tap: HeadTap | null = null;
  try {
    const headOf = async (i: number): Promise<HeadSample | null> => {
      try {
        const h = await new NodeApiClient(net.nodes[i].url, { timeoutMs: HEALTH_TIMEOUT_MS }).health();
        return { height: h.blockchain.height, hash: h.blockchain.latest_block_hash };
      } catch {
        return null;
      }
    };
    const parentOf = async (hash: string) => (await net.clients[0].block(hash).catch(() => null))?.header.parentHash ?? null;
    const sample = async (): Promise<{ verdict: SyncVerdict; heads: Array<HeadSample | null> }> => {
      const heads = await Promise.all(net.nodes.map((_, i) => headOf(i)));
      return { verdict: await judgeSample(heads, parentOf), heads };
    };

    // Settle: meshed (a full mesh, or in a large testnet each node's own dials) and agreeing once.
    await waitForPeers(net.clients, outboundPeersFor(n), opts.settleTimeoutMs);
    const settleDeadline = Date.now() + opts.settleTimeoutMs;
    let last = await sample();
    while (!last.verdict.inSync) {
      if (Date.now() > settleDeadline) throw new Error(`the ${n} nodes never agreed within ${opts.settleTimeoutMs} ms after meshing: ${last.verdict.why}`);
      await new Promise((r) => setTimeout(r, 500));
      last = await sample();
    }
    const startupMs = performance.now() - started;
    const pids = net.nodes.map((x) => x.pid);
    if (pids.some((p) => p === null)) throw new Error('a node process is not running after start-up');
    const loadAtStart = loadAverage();
    opts.say(`  ${n} nodes up, meshed and in sync after ${(startupMs / 1000).toFixed(1)} s (load average ${loadAtStart}); holding for ${(opts.durationMs / 1000).toFixed(0)} s`);

    tap = await HeadTap.open(net.nodes.map((x) => x.url));
    const cpu0 = pids.map((p) => cpuSeconds(p!));
    const rssMax = pids.map((p) => rssMB(p!) ?? 0);
    const windowStart = performance.now();
    const wallStart = Date.now();
    // RSS on a fixed grid while the window runs; the sync verdicts are judged afterwards from
    // the nodes' own head timelines, at the same grid instants.
    for (let k = 1; k * opts.sampleMs <= opts.durationMs; k++) {
      const wait = windowStart + k * opts.sampleMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pids.forEach((p, i) => (rssMax[i] = Math.max(rssMax[i], rssMB(p!) ?? 0)));
    }
    const cpu1 = pids.map((p) => cpuSeconds(p!));
    const windowSec = (performance.now() - windowStart) / 1000;
    // Head events of the last instants may still be on their way to this process.
    await new Promise((r) => setTimeout(r, STREAM_GRACE_MS));
    tap.close();
    let samples = 0;
    let samplesInSync = 0;
    let maxSpread = 0;
    let firstFailure: string | null = null;
    let heightAtStart: number | null = null;
    let topHeight = 0;
    for (let k = 0; k * opts.sampleMs <= opts.durationMs; k++) {
      const heads = tap.headsAt(wallStart + k * opts.sampleMs);
      const verdict = await judgeSample(heads, async (hash) => tap!.parentOf(hash) ?? parentOf(hash));
      heightAtStart ??= verdict.topHeight;
      samples++;
      maxSpread = Math.max(maxSpread, verdict.spread);
      topHeight = Math.max(topHeight, verdict.topHeight);
      if (verdict.inSync) samplesInSync++;
      else {
        const at = ((k * opts.sampleMs) / 1000).toFixed(1);
        opts.say(`  ${at} s: out of sync: ${verdict.why} (heights ${heads.map((h) => h?.height ?? '–').join(',')})`);
        firstFailure ??= `${at} s into the window: ${verdict.why}`;
      }
    }
    const cpuPct = pids.map((_, i) => (cpu1[i] === null || cpu0[i] === null ? NaN : ((cpu1[i]! - cpu0[i]!) / windowSec) * 100));
    const gone = cpuPct.filter((c) => Number.isNaN(c)).length;
    const peers = await Promise.all(
      net.clients.map((c) =>
        c.health().then(
          (h) => h.peers.connected,
          () => 0,
        ),
      ),
    );
    const slots = windowSec / (opts.blockTimeMs / 1000);
    const grown = topHeight - (heightAtStart ?? topHeight);
    const blocksPerSlot = slots > 0 ? grown / slots : null;
    let why = firstFailure;
    if (!why && gone > 0) why = `${gone} node process(es) exited during the window`;
    if (!why && (blocksPerSlot ?? 0) < MIN_BLOCKS_PER_SLOT) why = `the chain grew by only ${grown} blocks in ${slots.toFixed(0)} slots (< ${MIN_BLOCKS_PER_SLOT * 100}%)`;
    ok = true;
    return {
      nodes: n,
      held: why === null,
      why,
      samples,
      samplesInSync,
      maxSpread,
      blocksPerSlot,
      cpuPct,
      rssMB: rssMax,
      peers,
      startupMs,
      loadAtStart,
      loadAtEnd: loadAverage(),
    };
  } finally {
    tap?.close();
    await net.stop({ keepDir: !ok });
    if (!ok) opts.say(`  node logs kept in ${net.dataDir}`);
  }
}
