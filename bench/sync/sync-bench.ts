// `npm run bench -- sync`: a fresh node catching up a generated chain from one peer, both real
// node processes on loopback. Figures: blocks/s from handshake to the peer's head (goal ≥
// 2,000/s), the wall time including process start, the same with `--checkpoint` at the head,
// and two baselines from this run: the same blocks imported in-process by the node's Chain
// (no network), and the one-core signature-checking ceiling. Then the same with a BFT chain
// whose blocks carry commit certificates (bft-sync.ts), beside the PoA rate of this run.
import os from 'node:os';
import { goal, type BenchResult, type Figure } from '../core/result.ts';
import { importInProcess, readChainBlocks } from './in-process-import.ts';
import { measureSignatureCeiling } from './signature-ceiling.ts';
import { openSyncChain } from './sync-chain.ts';
import { runBftSync } from './bft-sync.ts';
import { perThousand, round } from './rounding.ts';
import { syncSession } from './sync-run.ts';

export interface SyncBenchOptions {
  blocks: number;
  txsPerBlock: number;
  seed: string;
  regenerate: boolean;
  /** Blocks of the in-process baseline (a prefix of the chain: it runs on one core and is slow). */
  baselineBlocks: number;
  checkpoint: boolean;
  /** Blocks of the BFT chain synced after the PoA one; 0 skips it. */
  bftBlocks: number;
  say: (line?: string) => void;
}

export const GOAL_BLOCKS_PER_SEC = 2_000;

const loadAverage = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

export async function runSyncBench(o: SyncBenchOptions): Promise<Omit<BenchResult, 'name' | 'durationMs'>> {
  const { say } = o;
  const spec = { blocks: o.blocks, txsPerBlock: o.txsPerBlock, seed: o.seed };
  const loadAtStart = loadAverage();
  say(`load average ${loadAtStart} (2-core machine shared with other benchmarks: compare ratios, not absolutes)`);
  const chain = openSyncChain(spec, { regenerate: o.regenerate, log: say });
  if (!chain.generated) say(`reusing the cached chain ${chain.logFile} (${chain.meta.blockCount} blocks, ${chain.meta.txCount} transfers)`);
  const params = {
    ...spec,
    baselineBlocks: Math.min(o.baselineBlocks, o.blocks),
    checkpoint: o.checkpoint,
    head: chain.meta.head,
    chainGenerated: chain.generated,
    chainGenerationMs: chain.meta.generationMs,
  };
  const figures: Figure[] = [];

  // Baselines first, while no node process competes for the two cores.
  const blocks = readChainBlocks(chain);
  const ceiling = measureSignatureCeiling(blocks, chain.net.genesis.chainId);
  const baseline = importInProcess(chain, blocks.slice(0, o.baselineBlocks));
  blocks.length = 0; // the node processes need the memory more than we do
  say(`signatures: ${Math.round(ceiling.perSec)}/s on one core → ≤ ${Math.round(ceiling.blocksPerSec)} blocks/s at ${ceiling.perBlock.toFixed(1)} signatures a block`);
  say(
    `in-process import (node's Chain, all checks, no network): ${baseline.blocks} blocks in ${Math.round(baseline.importMs)} ms = ${Math.round(baseline.blocksPerSec)} blocks/s, CPU ${Math.round(baseline.cpuMs)} ms`,
  );

  const session = await syncSession(chain, { label: 'sync', checkpoint: o.checkpoint, say });
  figures.push({ name: 'source node start (log replay)', value: session.source.startMs, unit: 'ms', note: `${chain.meta.blockCount} blocks from its block log, trusted` });
  const loadAtEnd = loadAverage();
  say(`load average ${loadAtEnd}`);

  const full = session.full;
  const note = `${full.blocks} blocks, ${o.txsPerBlock} transfers each, one peer on loopback; load ${loadAtStart} → ${loadAtEnd}`;
  figures.unshift(
    { name: 'sync: blocks/s (handshake → peer head)', value: round(full.blocksPerSec), unit: 'blocks/s', note: `${note}; ${full.batches ?? '?'} batches` },
    { name: 'sync: handshake → head', value: full.handshakeToHeadMs, unit: 'ms' },
    { name: 'sync: wall time incl. process start', value: full.wallMs, unit: 'ms', note: 'spawn of the fresh node → caught up' },
    {
      name: 'sync: CPU per 1,000 blocks, syncing node',
      value: perThousand(full.syncingCpuMs, full.blocks),
      unit: 'ms',
      note: 'all its threads, first request → caught up: what a busy machine does not blur',
    },
    { name: 'sync: CPU per 1,000 blocks, serving node', value: perThousand(full.sourceCpuMs, full.blocks), unit: 'ms' },
    {
      name: 'sync: cores used by the syncing node',
      value: full.syncingCpuMs === null ? null : round(full.syncingCpuMs / Math.max(1, full.sessionMs), 2),
      unit: 'cores',
      note: 'its CPU over its sync time: > 1 when signature checks run on both cores',
    },
    {
      name: 'baseline: in-process Chain import',
      value: round(baseline.blocksPerSec),
      unit: 'blocks/s',
      note: `same chain's first ${baseline.blocks} blocks, all checks, one core, no network`,
    },
    { name: 'baseline: in-process CPU per 1,000 blocks', value: perThousand(baseline.cpuMs, baseline.blocks), unit: 'ms' },
    { name: 'sync / in-process import', value: round(full.blocksPerSec / baseline.blocksPerSec, 2), unit: 'ratio', note: '> 1: sync checks signatures on more than one core' },
    {
      name: 'sync / in-process import, CPU per block',
      value: full.syncingCpuMs === null ? null : round(full.syncingCpuMs / full.blocks / (baseline.cpuMs / baseline.blocks), 2),
      unit: 'ratio',
      note: 'what the P2P path (envelopes, JSON, schema checks, stream events) adds in CPU; steadier than the wall-time ratio under load',
    },
    {
      name: 'baseline: one-core signature ceiling',
      value: round(ceiling.blocksPerSec),
      unit: 'blocks/s',
      note: `${Math.round(ceiling.perSec)} Ed25519 verifies/s, ${ceiling.perBlock.toFixed(1)} a block`,
    },
  );
  if (session.checkpoint) {
    const cp = session.checkpoint;
    figures.push(
      {
        name: 'checkpoint sync: handshake → head',
        value: cp.handshakeToHeadMs,
        unit: 'ms',
        note: `--checkpoint at the head (${chain.meta.head.height}); ${round(cp.blocksPerSec)} blocks/s`,
      },
      { name: 'checkpoint sync: wall time incl. process start', value: cp.wallMs, unit: 'ms' },
      { name: 'checkpoint sync: CPU per 1,000 blocks, syncing node', value: perThousand(cp.syncingCpuMs, cp.blocks), unit: 'ms' },
      {
        name: 'checkpoint / full sync time',
        value: round(cp.handshakeToHeadMs / full.handshakeToHeadMs, 2),
        unit: 'ratio',
        note: 'same checks either way (signatures are not covered by block hashes, see node/README.md): a difference is load noise',
      },
    );
  }
  // What the two cores could do if the two nodes had them to themselves: both nodes' CPU per
  // block against 2 CPU-seconds a second. Steady under load, unlike the wall-time figure.
  const cpuPerBlockMs = full.syncingCpuMs !== null && full.sourceCpuMs !== null ? (full.syncingCpuMs + full.sourceCpuMs) / full.blocks : null;
  const twoCoreCeiling = cpuPerBlockMs ? round(2_000 / cpuPerBlockMs) : null;
  figures.splice(
    figures.findIndex((f) => f.name.startsWith('baseline:')),
    0,
    {
      name: 'sync: two-core CPU ceiling',
      value: twoCoreCeiling,
      unit: 'blocks/s',
      note: "2 CPU-s/s over both nodes' CPU per block: the rate an otherwise idle 2-core machine could at best reach",
    },
  );
  let bft: Record<string, unknown> | null = null;
  if (o.bftBlocks > 0) {
    say('');
    const b = await runBftSync(
      { blocks: o.bftBlocks, txsPerBlock: o.txsPerBlock, seed: o.seed, regenerate: o.regenerate, baselineBlocks: Math.min(o.baselineBlocks, o.bftBlocks), say },
      { run: full, ceiling },
    );
    figures.push(...b.figures);
    bft = { ...b.params, loadAverageAtEnd: loadAverage() };
    say(`load average ${bft.loadAverageAtEnd as string}`);
  }
  const met = full.blocksPerSec >= GOAL_BLOCKS_PER_SEC;
  return {
    params: { ...params, loadAverage: { start: loadAtStart, end: loadAtEnd }, bft },
    figures,
    goals: [
      goal(
        `sync ${full.blocks} blocks from one peer`,
        `≥ ${GOAL_BLOCKS_PER_SEC} blocks/s`,
        round(full.blocksPerSec),
        'blocks/s',
        met,
        `CPU-bound, mostly Ed25519 checks (${Math.round(ceiling.perSec)}/s per core here, ${ceiling.perBlock.toFixed(1)} per block): ` +
          `both nodes use ${cpuPerBlockMs?.toFixed(2) ?? '?'} ms CPU per block, so two idle cores allow at most ~${twoCoreCeiling ?? '?'} blocks/s; ` +
          `the syncing node got ${full.syncingCpuMs === null ? '?' : (full.syncingCpuMs / Math.max(1, full.sessionMs)).toFixed(2)} cores (load average ${loadAtEnd} on a shared 2-core machine)`,
      ),
    ],
  };
}
