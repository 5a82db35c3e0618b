// Round timeouts of the Tendermint algorithm: timeoutX(r) = initX + r·deltaX for propose,
// prevote and precommit (the paper's functions, growing with the round so that after GST
// some round is long enough for every message to arrive), plus commitWait, CometBFT's
// timeout_commit, the pause after a decision that paces heights to the block time.
//
// Scaling. CometBFT's defaults (propose 3 s, prevote 1 s, precommit 1 s, +0.5 s a round,
// commit 1 s) suit ~6 s blocks over the Internet. On loopback a message takes well under a
// millisecond, so in the fault-free case a height lasts commitWait + a few ms: commitWait =
// blockTime keeps the 1 s block time. The round timeouts only matter when something is
// wrong (a dead proposer, a partition), and we keep CometBFT's proportions relative to the
// block time: propose = blockTime (the proposer may need that long to build and sign a
// block), prevote = precommit = blockTime/2 (votes are small and fast), delta = blockTime/4
// per round for each (a lost round costs ~2 block times at first, growing linearly).
//
// Public API
//   TimeoutConfigSchema (zod), type TimeoutConfig, type TimeoutKind
//   defaultTimeouts(blockTimeMs): TimeoutConfig
//   parseTimeoutConfig(input: unknown): TimeoutConfig      throws BftCoreError TIMEOUT_CONFIG_INVALID
//   timeoutMs(config, kind, round): number                  commit ignores the round
import { z } from 'zod';
import { BftCoreError } from './core-errors.ts';

const ms = z.number().int().nonnegative();

export const TimeoutConfigSchema = z
  .object({
    proposeMs: ms.positive(),
    proposeDeltaMs: ms,
    prevoteMs: ms.positive(),
    prevoteDeltaMs: ms,
    precommitMs: ms.positive(),
    precommitDeltaMs: ms,
    commitWaitMs: ms,
  })
  .strict();

export type TimeoutConfig = z.infer<typeof TimeoutConfigSchema>;

export type TimeoutKind = 'propose' | 'prevote' | 'precommit' | 'commit';

export function defaultTimeouts(blockTimeMs: number): TimeoutConfig {
  const delta = Math.round(blockTimeMs / 4);
  return parseTimeoutConfig({
    proposeMs: blockTimeMs,
    proposeDeltaMs: delta,
    prevoteMs: Math.round(blockTimeMs / 2),
    prevoteDeltaMs: delta,
    precommitMs: Math.round(blockTimeMs / 2),
    precommitDeltaMs: delta,
    commitWaitMs: blockTimeMs,
  });
}

export function parseTimeoutConfig(input: unknown): TimeoutConfig {
  const parsed = TimeoutConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new BftCoreError('TIMEOUT_CONFIG_INVALID', `invalid BFT timeouts: ${parsed.error.message}`, {
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}

export function timeoutMs(config: TimeoutConfig, kind: TimeoutKind, round: number): number {
  switch (kind) {
    case 'propose':
      return config.proposeMs + round * config.proposeDeltaMs;
    case 'prevote':
      return config.prevoteMs + round * config.prevoteDeltaMs;
    case 'precommit':
      return config.precommitMs + round * config.precommitDeltaMs;
    case 'commit':
      return config.commitWaitMs;
  }
}
