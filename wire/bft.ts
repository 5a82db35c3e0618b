// The BFT engine's wire types: votes, proposals, commit certificates and equivocation
// evidence, as peers exchange them and as blocks store them. Zod only, like all of wire/;
// every number and array is bounded, so a hostile peer cannot make a node accept unbounded
// or non-canonical data (heights and rounds are safe integers, the canonical encoding's rule).
import { z } from 'zod';
import { Hash, PublicKey, Signature, UInt } from './primitives.ts';

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

/**
 * Evidence of equivocation as a node reports it (GET /consensus `evidence`, /stream
 * `evidence`): which offence, by whom, where, and the two signed messages. `hash` is the
 * evidence's canonical hash (one offence, one hash, whoever found it).
 */
export const EvidenceRecordSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('duplicate-vote'),
    hash: Hash,
    validator: PublicKey,
    height: Height,
    round: Round,
    /** Unix ms when this node detected it. */
    detectedAt: UInt,
    evidence: DuplicateVoteEvidenceSchema,
  }),
  z.object({
    kind: z.literal('duplicate-proposal'),
    hash: Hash,
    validator: PublicKey,
    height: Height,
    round: Round,
    detectedAt: UInt,
    evidence: DuplicateProposalEvidenceSchema,
  }),
]);
export type EvidenceRecord = z.infer<typeof EvidenceRecordSchema>;

/** The most evidence records GET /consensus lists (the newest). */
export const MAX_LISTED_EVIDENCE = 64;

/**
 * A byzantine behaviour one validator is told to adopt (chaos; node admin endpoint
 * POST /admin/byzantine). `equivocate`: as proposer, a different block to each peer; as
 * voter, each peer gets a vote for the value that peer voted (conflicting signed votes).
 * `withhold-votes`: signs and proposes as usual but sends no vote. `delay-proposals`: holds
 * each of its proposals back `delayMs` before sending.
 */
export const MisbehaviourSchema = z.discriminatedUnion('behaviour', [
  z.object({ behaviour: z.literal('equivocate') }),
  z.object({ behaviour: z.literal('withhold-votes') }),
  z.object({ behaviour: z.literal('delay-proposals'), delayMs: z.number().int().min(1).max(60_000) }),
]);
export type Misbehaviour = z.infer<typeof MisbehaviourSchema>;
