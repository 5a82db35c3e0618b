// What the chain needs from a consensus engine, declared here so the chain does not depend
// on any one engine: block (header) rules against the parent, fork choice between two heads, and the
// finalized block that no reorg may undo.
import type { Block, BlockHeader, HeadRef } from '../../wire/node-api.ts';

export interface HeadCandidate {
  hash: string;
  header: BlockHeader;
}

export interface BlockCheckOptions {
  skipFutureCheck: boolean;
  /**
   * The block comes from this node's own block log, written after it passed every check:
   * signatures (a BFT commit's too) need not be verified again; structure still is.
   */
  trusted?: boolean;
}

export interface ChainRules {
  /**
   * Consensus checks of a block against its parent (PoA: slot, proposer, time); throws
   * ChainError. The whole block is given, already intrinsically valid (hash, tx root, proposer
   * signature), so an engine may also check what it carries besides the header (a BFT commit).
   */
  checkBlock(block: Block, parent: Block, nowMs: number, opts: BlockCheckOptions): void;
  /** Fork choice: > 0 when `a` is the better head, < 0 when `b` is, never 0 for distinct blocks. */
  compareHeads(a: HeadCandidate, b: HeadCandidate): number;
  /**
   * The newest block the engine has finalized (on the canonical chain; its height never
   * decreases), or null when the engine has no finality (PoA). The chain refuses any block
   * that forks off the canonical chain below it.
   */
  finalized(): HeadRef | null;
  /**
   * Optional: called once by the Chain built on these rules (at the end of its constructor), so
   * an engine whose finality follows the chain can read its head (BFT: every accepted block
   * carries a commit, so the head is final).
   */
  attachChain?(chain: { headRef(): HeadRef }): void;
}
