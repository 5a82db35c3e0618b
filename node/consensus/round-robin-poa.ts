// Round-robin proof of authority: validators fixed in genesis take turns by slot
// (slot = floor(time / blockTime), proposer = validators[slot mod n]). Fork choice is the
// longest chain; equal heights go to the lower block hash, so every node picks the same head.
import type { BlockHeader } from '../../wire/node-api.ts';
import { ChainError } from '../chain/errors.ts';
import type { Genesis } from '../chain/genesis.ts';
import type { HeadCandidate } from '../chain/rules.ts';
import type { ConsensusEngine } from './engine.ts';

export interface PoaOptions {
  /** How far ahead of local time a block may be stamped before it is refused (clock-skew guard). */
  maxFutureMs?: number;
}

export class RoundRobinPoa implements ConsensusEngine {
  readonly name = 'round-robin-poa';
  readonly blockTimeMs: number;
  private readonly validators: string[];
  private readonly validatorSet: Set<string>;
  readonly maxFutureMs: number;

  constructor(genesis: Genesis, opts: PoaOptions = {}) {
    this.blockTimeMs = genesis.blockTimeMs;
    this.validators = [...genesis.validators];
    this.validatorSet = new Set(this.validators);
    this.maxFutureMs = opts.maxFutureMs ?? Math.max(500, genesis.blockTimeMs);
  }

  slotAt(timeMs: number): number {
    return Math.floor(timeMs / this.blockTimeMs);
  }

  slotStartMs(slot: number): number {
    return slot * this.blockTimeMs;
  }

  proposerFor(slot: number): string {
    return this.validators[slot % this.validators.length];
  }

  isValidator(publicKey: string): boolean {
    return this.validatorSet.has(publicKey);
  }

  checkHeader(header: BlockHeader, parent: BlockHeader, nowMs: number, opts: { skipFutureCheck: boolean }): void {
    const ctx = { height: header.height };
    if (header.slot <= parent.slot) {
      throw new ChainError('BLOCK_SLOT_NOT_INCREASING', `slot ${header.slot} <= parent slot ${parent.slot}`, ctx);
    }
    const expected = this.proposerFor(header.slot);
    if (header.proposer !== expected) {
      throw new ChainError('BLOCK_PROPOSER_WRONG', `slot ${header.slot} belongs to ${expected.slice(0, 16)}, not ${header.proposer.slice(0, 16)}`, ctx);
    }
    if (header.timestamp !== header.slot * this.blockTimeMs) {
      throw new ChainError('BLOCK_TIMESTAMP_INVALID', `timestamp ${header.timestamp} != slot * blockTime`, ctx);
    }
    if (!opts.skipFutureCheck && header.timestamp > nowMs + this.maxFutureMs) {
      throw new ChainError('BLOCK_FROM_FUTURE', `block is ${header.timestamp - nowMs} ms ahead of local time`, ctx);
    }
  }

  compareHeads(a: HeadCandidate, b: HeadCandidate): number {
    if (a.header.height !== b.header.height) return a.header.height - b.header.height;
    if (a.hash === b.hash) return 0;
    return a.hash < b.hash ? 1 : -1;
  }
}
