// The BFT engine's wire types: votes, proposals, commit certificates and equivocation
// evidence, as peers exchange them and as blocks store them. Zod only, like all of wire/;
// every number and array is bounded, so a hostile peer cannot make a node accept unbounded
// or non-canonical data (heights and rounds are safe integers, the canonical encoding's rule).
import { z } from 'zod';
import { Hash, PublicKey, Signature } from './primitives.ts';

/** The most signatures a commit may carry: above the genesis limit of 1000 validators. */
export const MAX_COMMIT_SIGNATURES = 1024;

const Height = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Round = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const VoteType = z.enum(['prevote', 'precommit']);
export type VoteType = z.infer<typeof VoteType>;

/** A signed prevote or precommit; `blockHash: null` is a vote for nil. */
export const VoteSchema = z.object({
  type: VoteType,
  height: Height,
  round: Round,
  blockHash: Hash.nullable(),
  validator: PublicKey,
  signature: Signature,
});
export type Vote = z.infer<typeof VoteSchema>;
export type UnsignedVote = Omit<Vote, 'signature'>;

/**
 * A signed proposal of a block hash for (height, round); the block travels beside it.
 * `validRound` is -1, or the earlier round whose polka the proposer re-proposes (< round;
 * that relation is checked by verifyProposal, not here).
 */
export const ProposalSchema = z.object({
  height: Height,
  round: Round,
  blockHash: Hash,
  validRound: z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
  proposer: PublicKey,
  signature: Signature,
});
export type Proposal = z.infer<typeof ProposalSchema>;
export type UnsignedProposal = Omit<Proposal, 'signature'>;

/** One precommit of a commit: height, round and block hash are the commit's own. */
export const CommitSignatureSchema = z.object({ validator: PublicKey, signature: Signature });
export type CommitSignature = z.infer<typeof CommitSignatureSchema>;

/** A commit certificate: > 2/3 of the validators' precommits for `blockHash` in `round`. */
export const CommitSchema = z.object({
  height: Height,
  round: Round,
  blockHash: Hash,
  signatures: z.array(CommitSignatureSchema).max(MAX_COMMIT_SIGNATURES),
});
export type Commit = z.infer<typeof CommitSchema>;

/** Two votes of one validator for one (height, round, type) with different values, in canonical order. */
export const DuplicateVoteEvidenceSchema = z.object({ voteA: VoteSchema, voteB: VoteSchema });
export type DuplicateVoteEvidence = z.infer<typeof DuplicateVoteEvidenceSchema>;

/** Two proposals of one proposer for one (height, round) with different blocks or valid rounds, in canonical order. */
export const DuplicateProposalEvidenceSchema = z.object({ proposalA: ProposalSchema, proposalB: ProposalSchema });
export type DuplicateProposalEvidence = z.infer<typeof DuplicateProposalEvidenceSchema>;
