// The BFT half of `npm run bench -- sync`: the same kind of chain (same transfers) under the
// BFT engine, each block carrying a commit certificate of every validator's precommit, synced
// by a fresh node process from one peer. The syncing node verifies every certificate (a BFT
// block is refused without a valid one), so each block costs more Ed25519 checks than a PoA
// block. Printed beside the two-core Ed25519 ceiling of this chain's own signatures and the
// PoA rate from the same run.
import type { Figure } from '../core/result.ts';
import { importInProcess, readChainBlocks } from './in-process-import.ts';
import { perThousand, round } from './rounding.ts';
import { measureSignatureCeiling, type SignatureCeiling } from './signature-ceiling.ts';
import { openSyncChain } from './sync-chain.ts';
import { syncSession, type SyncRun } from './sync-run.ts';

export interface BftSyncOptions {
  blocks: number;
  txsPerBlock: number;
  seed: string;
  regenerate: boolean;
  baselineBlocks: number;
  say: (line?: string) => void;
}

/** What the PoA half measured in the same run, to compare with. */
export interface PoaSyncFigures {
  run: SyncRun;
  ceiling: SignatureCeiling;
}

export async function runBftSync(o: BftSyncOptions, poa: PoaSyncFigures): Promise<{ figures: Figure[]; params: Record<string, unknown> }> {
  const { say } = o;
  // Its own seed: with the PoA chain's seed the transfers would be the same signed txs, and the
  // in-process baseline would find them in the node's verified-signature memo from the PoA one.
  const chain = openSyncChain({ blocks: o.blocks, txsPerBlock: o.txsPerBlock, seed: `${o.seed}-bft`, consensus: 'bft' }, { regenerate: o.regenerate, log: say });
  if (!chain.generated) say(`reusing the cached BFT chain ${chain.logFile} (${chain.meta.blockCount} blocks, ${chain.meta.txCount} transfers)`);
  const validators = chain.net.validators.length;
  const blocks = readChainBlocks(chain);
  const ceiling = measureSignatureCeiling(blocks, chain.net.genesis.chainId);
  const baseline = importInProcess(chain, blocks.slice(0, o.baselineBlocks));
  blocks.length = 0;
  const twoCoreBlocks = (2 * ceiling.perSec) / ceiling.perBlock;
  say(
    `BFT chain: ${ceiling.perBlock.toFixed(1)} signatures a block (proposer, ${o.txsPerBlock} transfers, ${validators} precommits); ${Math.round(ceiling.perSec)}/s on one core → two-core ceiling ${Math.round(twoCoreBlocks)} blocks/s`,
  );
  say(
    `BFT in-process import (node's Chain, all checks incl. certificates, no network): ${baseline.blocks} blocks = ${Math.round(baseline.blocksPerSec)} blocks/s, CPU ${Math.round(baseline.cpuMs)} ms`,
  );

  const session = await syncSession(chain, { label: 'sync-bft', checkpoint: false, say });
  const r = session.full;
  const verifiesPerSec = r.blocksPerSec * ceiling.perBlock;
  const poaVerifiesPerSec = poa.run.blocksPerSec * poa.ceiling.perBlock;
  const poaTwoCore = (2 * poa.ceiling.perSec) / poa.ceiling.perBlock;
  say(
    `BFT sync: ${Math.round(r.blocksPerSec)} blocks/s = ${Math.round(verifiesPerSec)} signature checks/s (two-core Ed25519 ceiling ${Math.round(2 * ceiling.perSec)}/s = ${Math.round(twoCoreBlocks)} blocks/s); ` +
      `PoA in this run ${Math.round(poa.run.blocksPerSec)} blocks/s = ${Math.round(poaVerifiesPerSec)} checks/s`,
  );
  const note = `${r.blocks} blocks, ${o.txsPerBlock} transfers + a ${validators}-precommit commit each, one peer on loopback`;
  const figures: Figure[] = [
    { name: 'bft sync: blocks/s (handshake → peer head)', value: round(r.blocksPerSec), unit: 'blocks/s', note: `${note}; ${r.batches ?? '?'} batches` },
    {
      name: 'bft sync: signature verifications/s',
      value: round(verifiesPerSec),
      unit: 'verifies/s',
      note: `blocks/s × ${ceiling.perBlock.toFixed(1)} signatures a block (proposer, transfers, precommits)`,
    },
    {
      name: 'bft: two-core Ed25519 ceiling',
      value: round(twoCoreBlocks),
      unit: 'blocks/s',
      note: `2 × ${Math.round(ceiling.perSec)} verifies/s on one core here ÷ ${ceiling.perBlock.toFixed(1)} a block`,
    },
    { name: 'bft sync / two-core Ed25519 ceiling', value: round(r.blocksPerSec / twoCoreBlocks, 2), unit: 'ratio', note: '1 = every core does nothing but check signatures' },
    {
      name: 'poa sync (same run) / two-core Ed25519 ceiling',
      value: round(poa.run.blocksPerSec / poaTwoCore, 2),
      unit: 'ratio',
      note: `${Math.round(poa.run.blocksPerSec)} blocks/s = ${Math.round(poaVerifiesPerSec)} verifies/s; ceiling ${Math.round(poaTwoCore)} blocks/s at ${poa.ceiling.perBlock.toFixed(1)} a block`,
    },
    { name: 'bft sync / poa sync (same run), blocks/s', value: round(r.blocksPerSec / poa.run.blocksPerSec, 2), unit: 'ratio' },
    { name: 'bft sync: handshake → head', value: r.handshakeToHeadMs, unit: 'ms' },
    {
      name: 'bft sync: CPU per 1,000 blocks, syncing node',
      value: perThousand(r.syncingCpuMs, r.blocks),
      unit: 'ms',
      note: `PoA in this run: ${perThousand(poa.run.syncingCpuMs, poa.run.blocks) ?? '?'} ms`,
    },
    {
      name: 'bft sync: cores used by the syncing node',
      value: r.syncingCpuMs === null ? null : round(r.syncingCpuMs / Math.max(1, r.sessionMs), 2),
      unit: 'cores',
      note: 'its CPU over its sync time: < 2 when part of the checks run on one thread only',
    },
    {
      name: 'bft baseline: in-process Chain import',
      value: round(baseline.blocksPerSec),
      unit: 'blocks/s',
      note: `first ${baseline.blocks} blocks, all checks incl. certificates, one core; CPU ${perThousand(baseline.cpuMs, baseline.blocks)} ms per 1,000 blocks`,
    },
    {
      name: 'bft source node start (log replay)',
      value: session.source.startMs,
      unit: 'ms',
      note: `${chain.meta.blockCount} blocks, trusted (certificate signatures not re-checked; quorum and signers are)`,
    },
  ];
  return {
    figures,
    params: { blocks: o.blocks, txsPerBlock: o.txsPerBlock, validators, head: chain.meta.head, chainGenerated: chain.generated, chainGenerationMs: chain.meta.generationMs },
  };
}
