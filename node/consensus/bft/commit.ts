// Commit certificates: the > 2/3 precommits that finalize a block. Every committed block is
// stored and synced with one, and no block is accepted without a valid one, so this module is
// the line between "a peer says so" and "the validators signed it".
import { CommitSchema, type Commit, type Vote } from '../../../wire/bft.ts';
import { verifyBytes } from '../../chain/keys.ts';
import { BftError, OK, reject, type Verdict } from './errors.ts';
import { voteSignBytes } from './signing.ts';
import type { ValidatorSet } from './validator-set.ts';

/**
 * The commit of `blockHash` at (height, round) from already-verified precommits: only
 * precommits for exactly that value, height and round count, one per validator, sorted by
 * the validators' genesis order, so that the same signers always give the same certificate.
 * Throws COMMIT_SHORT when fewer than a quorum of validators precommitted that value.
 */
export function makeCommit(height: number, round: number, blockHash: string, precommits: readonly Vote[], validators: ValidatorSet): Commit {
  const byIndex = new Map<number, Vote>();
  for (const v of precommits) {
    if (v.type !== 'precommit' || v.height !== height || v.round !== round || v.blockHash !== blockHash) continue;
    const index = validators.indexOf(v.validator);
    if (index >= 0 && !byIndex.has(index)) byIndex.set(index, v);
  }
  if (!validators.hasQuorum(byIndex.size)) {
    throw new BftError('COMMIT_SHORT', `${byIndex.size} precommits for the block, need ${validators.quorum} of ${validators.size}`, { height, round, hash: blockHash });
  }
  const signatures = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, v]) => ({ validator: v.validator, signature: v.signature }));
  return { height, round, blockHash, signatures };
}

/** The validators whose precommits a commit carries, in its order. */
export function commitSigners(commit: Commit): string[] {
  return commit.signatures.map((s) => s.validator);
}

/**
 * A commit from the wire or the store: well-formed, for the expected block when one is given,
 * signed by more than 2/3 of the validators, each signer a distinct validator, and every
 * signature present valid (a forged extra one fails the commit too). Cheap checks run first,
 * so a short or padded commit costs no signature verification; verification stops at the
 * first bad signature.
 */
export function verifyCommit(
  chainId: string,
  commit: Commit,
  validators: ValidatorSet,
  expected?: { height: number; blockHash: string },
  opts: { verifySignatures: boolean } = { verifySignatures: true },
): Verdict {
  const parsed = CommitSchema.safeParse(commit);
  if (!parsed.success) return reject('COMMIT_MALFORMED', `malformed commit: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const ctx = { height: commit.height, round: commit.round, hash: commit.blockHash };
  if (expected && (expected.height !== commit.height || expected.blockHash !== commit.blockHash)) {
    return reject('COMMIT_MISMATCH', `commit is for ${commit.blockHash} at height ${commit.height}, not ${expected.blockHash} at ${expected.height}`, ctx);
  }
  const seen = new Set<string>();
  for (const { validator } of commit.signatures) {
    if (!validators.isValidator(validator)) return reject('COMMIT_UNKNOWN_VALIDATOR', `${validator} is not a validator`, { ...ctx, validator });
    if (seen.has(validator)) return reject('COMMIT_DUPLICATE_SIGNER', `${validator} signs twice`, { ...ctx, validator });
    seen.add(validator);
  }
  if (!validators.hasQuorum(seen.size)) {
    return reject('COMMIT_SHORT', `${seen.size} signers, need ${validators.quorum} of ${validators.size}`, ctx);
  }
  if (!opts.verifySignatures) return OK;
  const bytes = voteSignBytes(chainId, { type: 'precommit', height: commit.height, round: commit.round, blockHash: commit.blockHash });
  for (const { validator, signature } of commit.signatures) {
    if (!verifyBytes(bytes, signature, validator)) return reject('COMMIT_BAD_SIGNATURE', `precommit of ${validator} does not verify`, { ...ctx, validator });
  }
  return OK;
}
