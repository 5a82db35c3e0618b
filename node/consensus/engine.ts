// The interface every consensus engine implements. The chain sees only its ChainRules half
// (header checks, fork choice); the block producer uses the scheduling half.
import type { ChainRules } from '../chain/rules.ts';

export interface ConsensusEngine extends ChainRules {
  readonly name: string;
  readonly blockTimeMs: number;
  slotAt(timeMs: number): number;
  slotStartMs(slot: number): number;
  /** The public key allowed to propose in `slot`. */
  proposerFor(slot: number): string;
  isValidator(publicKey: string): boolean;
}
