// What the chain needs from a consensus engine, declared here so the chain does not depend
// on any one engine: header rules against the parent, and fork choice between two heads.
import type { BlockHeader } from '../../wire/node-api.ts';

export interface HeadCandidate {
  hash: string;
  header: BlockHeader;
}

export interface ChainRules {
  /** Consensus checks of a header against its parent (slot, proposer, time); throws ChainError. */
  checkHeader(header: BlockHeader, parent: BlockHeader, nowMs: number, opts: { skipFutureCheck: boolean }): void;
  /** Fork choice: > 0 when `a` is the better head, < 0 when `b` is, never 0 for distinct blocks. */
  compareHeads(a: HeadCandidate, b: HeadCandidate): number;
}
