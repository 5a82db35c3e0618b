// The validator set of a BFT chain: the genesis list of Ed25519 public keys, each with voting
// power 1. The one source of the engine's numbers: n, the quorum (> 2/3 of n), f + 1 (the
// round-skip threshold: more than the faulty validators can be) and the proposer rotation.
import { PublicKey } from '../../../wire/node-api.ts';
import { BftError } from './errors.ts';

/** Smallest number of validators that is more than 2/3 of n: floor(2n/3) + 1. */
export function quorumOf(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
}

/** f + 1, with f = floor((n - 1) / 3) the most faulty validators n tolerates: at least one is honest. */
export function fPlusOneOf(n: number): number {
  return Math.floor((n - 1) / 3) + 1;
}

/** The proposer of (height, round): validators[(height + round) mod n], without overflow at huge heights. */
export function proposerAt(validators: readonly string[], height: number, round: number): string {
  const n = validators.length;
  return validators[((height % n) + (round % n)) % n];
}

export class ValidatorSet {
  readonly validators: readonly string[];
  readonly size: number;
  readonly quorum: number;
  readonly fPlusOne: number;
  private readonly indexByKey: ReadonlyMap<string, number>;

  /** From the genesis validator list, in its order (the order proposers rotate in and commits are sorted in). */
  constructor(validators: readonly string[]) {
    if (validators.length === 0) throw new BftError('VALIDATOR_SET_INVALID', 'a validator set needs at least one validator');
    const indexByKey = new Map<string, number>();
    validators.forEach((key, i) => {
      if (!PublicKey.safeParse(key).success) throw new BftError('VALIDATOR_SET_INVALID', `validator ${i} is not a 32-byte hex public key`, { validator: key });
      if (indexByKey.has(key)) throw new BftError('VALIDATOR_SET_INVALID', `validator ${key} appears twice`, { validator: key });
      indexByKey.set(key, i);
    });
    this.validators = Object.freeze([...validators]);
    this.size = validators.length;
    this.quorum = quorumOf(this.size);
    this.fPlusOne = fPlusOneOf(this.size);
    this.indexByKey = indexByKey;
  }

  /** Position of a key in the genesis list, or -1 when it is not a validator. */
  indexOf(key: string): number {
    return this.indexByKey.get(key) ?? -1;
  }

  isValidator(key: string): boolean {
    return this.indexByKey.has(key);
  }

  /** Proposer of (height, round): validators[(height + round) mod n], computed without overflowing a safe integer. */
  proposer(height: number, round: number): string {
    if (!Number.isSafeInteger(height) || !Number.isSafeInteger(round) || height < 0 || round < 0) {
      throw new BftError('VALIDATOR_SET_INVALID', `no proposer for height ${height} round ${round}`, { height, round });
    }
    return proposerAt(this.validators, height, round);
  }

  /** True when `count` distinct validators are more than 2/3 of the set. */
  hasQuorum(count: number): boolean {
    return count >= this.quorum;
  }
}
