// The chain rules of a BFT chain, pure (the chain, catch-up and tests use them without a
// running engine). A BFT block reuses the PoA header: `slot` is the ROUND the block was
// proposed in (its proposer is validators[(height + slot) mod n]) and `timestamp` is the
// proposer's clock when it built the block (never before its parent's). What makes a block
// part of the chain is its `commit`: more than 2/3 of the validators' precommits for its hash
// at its height. A block without a valid commit is refused, wherever it comes from.
import type { BlockCheckOptions } from '../../chain/rules.ts';
import type { Block } from '../../../wire/node-api.ts';
import { ChainError } from '../../chain/errors.ts';
import { verifyCommit } from './commit.ts';
import type { ValidatorSet } from './validator-set.ts';

export interface BftBlockRulesConfig {
  chainId: string;
  validators: ValidatorSet;
  maxFutureMs: number;
}

/** Header checks (proposer of the round, time) and the commit; throws ChainError. */
export function checkBftBlock(cfg: BftBlockRulesConfig, block: Block, parent: Block, nowMs: number, opts: BlockCheckOptions): void {
  checkBftHeader(cfg, block, parent, nowMs, opts);
  // Replaying its own log, a node checked these signatures when the block first came in.
  checkBftCommit(cfg, block, { verifySignatures: !opts.trusted });
}

/** Everything but the commit: what a proposal's block must satisfy before anyone votes for it. */
export function checkBftHeader(cfg: BftBlockRulesConfig, block: Block, parent: Block, nowMs: number, opts: { skipFutureCheck: boolean }): void {
  const { header } = block;
  const ctx = { height: header.height, hash: block.hash };
  const expected = cfg.validators.proposer(header.height, header.slot);
  if (header.proposer !== expected) {
    throw new ChainError('BLOCK_PROPOSER_WRONG', `round ${header.slot} of height ${header.height} belongs to ${expected.slice(0, 16)}, not ${header.proposer.slice(0, 16)}`, ctx);
  }
  if (header.timestamp < parent.header.timestamp) {
    throw new ChainError('BLOCK_TIMESTAMP_INVALID', `timestamp ${header.timestamp} before the parent's ${parent.header.timestamp}`, ctx);
  }
  if (!opts.skipFutureCheck && header.timestamp > nowMs + cfg.maxFutureMs) {
    throw new ChainError('BLOCK_FROM_FUTURE', `block is ${header.timestamp - nowMs} ms ahead of local time`, ctx);
  }
}

export function checkBftCommit(cfg: BftBlockRulesConfig, block: Block, opts: { verifySignatures: boolean } = { verifySignatures: true }): void {
  const ctx = { height: block.header.height, hash: block.hash };
  if (!block.commit) throw new ChainError('BLOCK_COMMIT_MISSING', 'a BFT block needs the commit that decided it', ctx);
  const verdict = verifyCommit(cfg.chainId, block.commit, cfg.validators, { height: block.header.height, blockHash: block.hash }, opts);
  if (!verdict.ok) throw new ChainError('BLOCK_COMMIT_INVALID', `${verdict.error.code}: ${verdict.error.message}`, { ...ctx, reason: verdict.error.code });
}
