// Equivocation evidence: two messages one validator signed for the same slot of the protocol
// with different contents. Votes: same validator, height, round and type, different block hash
// (nil against a hash counts), CometBFT's DuplicateVoteEvidence. Proposals: same proposer,
// height and round, different block hash or valid round. Evidence is kept in a canonical order
// (CometBFT orders the votes by block id) so one offence has one encoding and one hash.
import {
  DuplicateProposalEvidenceSchema,
  DuplicateVoteEvidenceSchema,
  type DuplicateProposalEvidence,
  type DuplicateVoteEvidence,
  type Proposal,
  type Vote,
} from '../../../wire/bft.ts';
import { hashCanonical } from '../../chain/encoding.ts';
import { verifyBytes } from '../../chain/keys.ts';
import { BftError, OK, reject, type Verdict } from './errors.ts';
import { proposalSignBytes, voteSignBytes } from './signing.ts';
import type { ValidatorSet } from './validator-set.ts';

/** True when two (signed) votes are an equivocation: one validator, height, round and type, two values. */
export function isDuplicateVote(a: Vote, b: Vote): boolean {
  return a.validator === b.validator && a.height === b.height && a.round === b.round && a.type === b.type && a.blockHash !== b.blockHash;
}

/** True when two (signed) proposals are an equivocation: one proposer, height and round, two blocks or valid rounds. */
export function isDuplicateProposal(a: Proposal, b: Proposal): boolean {
  return a.proposer === b.proposer && a.height === b.height && a.round === b.round && (a.blockHash !== b.blockHash || a.validRound !== b.validRound);
}

/** Orders by block hash, nil first. */
function compareVoteValues(a: Vote, b: Vote): number {
  return compareStrings(a.blockHash ?? '', b.blockHash ?? '');
}

function compareProposalValues(a: Proposal, b: Proposal): number {
  return compareStrings(a.blockHash, b.blockHash) || a.validRound - b.validRound;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Evidence from two conflicting votes, in canonical order (smaller block hash first, nil first of all). */
export function makeDuplicateVoteEvidence(a: Vote, b: Vote): DuplicateVoteEvidence {
  if (!isDuplicateVote(a, b)) throw new BftError('EVIDENCE_NOT_CONFLICTING', 'the votes are not an equivocation', { validator: a.validator, height: a.height, round: a.round });
  return compareVoteValues(a, b) < 0 ? { voteA: a, voteB: b } : { voteA: b, voteB: a };
}

/** Evidence from two conflicting proposals, in canonical order (by block hash, then valid round). */
export function makeDuplicateProposalEvidence(a: Proposal, b: Proposal): DuplicateProposalEvidence {
  if (!isDuplicateProposal(a, b)) {
    throw new BftError('EVIDENCE_NOT_CONFLICTING', 'the proposals are not an equivocation', { validator: a.proposer, height: a.height, round: a.round });
  }
  return compareProposalValues(a, b) < 0 ? { proposalA: a, proposalB: b } : { proposalA: b, proposalB: a };
}

/** Evidence from the wire: well-formed and canonical, a real conflict, by a validator, both votes signed by it for this chain. */
export function verifyDuplicateVoteEvidence(chainId: string, ev: DuplicateVoteEvidence, validators: ValidatorSet): Verdict {
  const parsed = DuplicateVoteEvidenceSchema.safeParse(ev);
  if (!parsed.success) return reject('EVIDENCE_MALFORMED', `malformed evidence: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { voteA, voteB } = ev;
  const ctx = { validator: voteA.validator, height: voteA.height, round: voteA.round };
  if (!isDuplicateVote(voteA, voteB)) return reject('EVIDENCE_NOT_CONFLICTING', 'the votes are not an equivocation', ctx);
  if (compareVoteValues(voteA, voteB) > 0) return reject('EVIDENCE_MALFORMED', 'votes are not in canonical order', ctx);
  if (!validators.isValidator(voteA.validator)) return reject('EVIDENCE_NOT_VALIDATOR', `${voteA.validator} is not a validator`, ctx);
  for (const v of [voteA, voteB]) {
    if (!verifyBytes(voteSignBytes(chainId, v), v.signature, v.validator)) return reject('EVIDENCE_BAD_SIGNATURE', `vote for ${v.blockHash ?? 'nil'} does not verify`, ctx);
  }
  return OK;
}

/** Proposal evidence from the wire: well-formed and canonical, a real conflict, by a validator, both signed by it for this chain. */
export function verifyDuplicateProposalEvidence(chainId: string, ev: DuplicateProposalEvidence, validators: ValidatorSet): Verdict {
  const parsed = DuplicateProposalEvidenceSchema.safeParse(ev);
  if (!parsed.success) return reject('EVIDENCE_MALFORMED', `malformed evidence: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { proposalA, proposalB } = ev;
  const ctx = { validator: proposalA.proposer, height: proposalA.height, round: proposalA.round };
  if (!isDuplicateProposal(proposalA, proposalB)) return reject('EVIDENCE_NOT_CONFLICTING', 'the proposals are not an equivocation', ctx);
  if (compareProposalValues(proposalA, proposalB) > 0) return reject('EVIDENCE_MALFORMED', 'proposals are not in canonical order', ctx);
  if (!validators.isValidator(proposalA.proposer)) return reject('EVIDENCE_NOT_VALIDATOR', `${proposalA.proposer} is not a validator`, ctx);
  for (const p of [proposalA, proposalB]) {
    if (!verifyBytes(proposalSignBytes(chainId, p), p.signature, p.proposer)) return reject('EVIDENCE_BAD_SIGNATURE', `proposal of ${p.blockHash} does not verify`, ctx);
  }
  return OK;
}

/** The identity of a piece of evidence (SHA-256 of its canonical encoding): record each offence once. */
export function evidenceHash(ev: DuplicateVoteEvidence | DuplicateProposalEvidence): string {
  return hashCanonical(ev);
}
