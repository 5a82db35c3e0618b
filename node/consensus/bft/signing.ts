// What a vote and a proposal sign, and their verification against the validator set.
// Sign bytes are the canonical encoding (node/chain/encoding.ts) of
//   { chainId, height, round, type, blockHash }                          (votes; null = nil)
//   { chainId, height, round, type: 'proposal', blockHash, validRound }  (proposals)
// so a vote is bound to its chain, and a vote can never pass for a proposal. The signer's key
// is not in the bytes (as in CometBFT's CanonicalVote): every precommit of a commit signs the
// same bytes, computed once. signing.test.ts pins the bytes: changing them forks every chain.
import { ProposalSchema, VoteSchema, type Proposal, type UnsignedProposal, type UnsignedVote, type Vote } from '../../../wire/bft.ts';
import { canonicalBytes } from '../../chain/encoding.ts';
import { signBytes, verifyBytes, type KeyPair } from '../../chain/keys.ts';
import { BftError, OK, reject, type Verdict } from './errors.ts';
import type { ValidatorSet } from './validator-set.ts';

export function voteSignBytes(chainId: string, vote: Pick<UnsignedVote, 'type' | 'height' | 'round' | 'blockHash'>): Uint8Array {
  return canonicalBytes({ chainId, height: vote.height, round: vote.round, type: vote.type, blockHash: vote.blockHash });
}

export function proposalSignBytes(chainId: string, proposal: Pick<UnsignedProposal, 'height' | 'round' | 'blockHash' | 'validRound'>): Uint8Array {
  const { height, round, blockHash, validRound } = proposal;
  return canonicalBytes({ chainId, height, round, type: 'proposal', blockHash, validRound });
}

/** Signs a vote with the validator's key; `unsigned.validator` must be that key's public key. */
export function signVote(chainId: string, unsigned: UnsignedVote, key: KeyPair): Vote {
  if (unsigned.validator !== key.publicKey) throw new BftError('VOTE_MALFORMED', 'vote validator is not the signing key', { validator: unsigned.validator });
  const { type, height, round, blockHash, validator } = unsigned;
  return { type, height, round, blockHash, validator, signature: signBytes(voteSignBytes(chainId, unsigned), key) };
}

/** Signs a proposal with the proposer's key; `unsigned.proposer` must be that key's public key. */
export function signProposal(chainId: string, unsigned: UnsignedProposal, key: KeyPair): Proposal {
  if (unsigned.proposer !== key.publicKey) throw new BftError('PROPOSAL_MALFORMED', 'proposal proposer is not the signing key', { validator: unsigned.proposer });
  const { height, round, blockHash, validRound, proposer } = unsigned;
  return { height, round, blockHash, validRound, proposer, signature: signBytes(proposalSignBytes(chainId, unsigned), key) };
}

/** A vote from the wire: well-formed, by a validator, signed by it for this chain. */
export function verifyVote(chainId: string, vote: Vote, validators: ValidatorSet): Verdict {
  const parsed = VoteSchema.safeParse(vote);
  if (!parsed.success) return reject('VOTE_MALFORMED', `malformed vote: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const ctx = { height: vote.height, round: vote.round, validator: vote.validator };
  if (!validators.isValidator(vote.validator)) return reject('VOTE_NOT_VALIDATOR', `${vote.validator} is not a validator`, ctx);
  if (!verifyBytes(voteSignBytes(chainId, vote), vote.signature, vote.validator)) {
    return reject('VOTE_BAD_SIGNATURE', `${vote.type} signature does not verify`, ctx);
  }
  return OK;
}

/**
 * A proposal from the wire: well-formed (validRound < round), by the expected proposer (by
 * default the rotation's proposer of its height and round), signed by it for this chain.
 */
export function verifyProposal(chainId: string, proposal: Proposal, validators: ValidatorSet, expectedProposer?: string): Verdict {
  const parsed = ProposalSchema.safeParse(proposal);
  if (!parsed.success) return reject('PROPOSAL_MALFORMED', `malformed proposal: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const ctx = { height: proposal.height, round: proposal.round, validator: proposal.proposer, hash: proposal.blockHash };
  if (proposal.validRound >= proposal.round) {
    return reject('PROPOSAL_MALFORMED', `validRound ${proposal.validRound} is not before round ${proposal.round}`, ctx);
  }
  if (!validators.isValidator(proposal.proposer)) return reject('PROPOSAL_NOT_VALIDATOR', `${proposal.proposer} is not a validator`, ctx);
  const expected = expectedProposer ?? validators.proposer(proposal.height, proposal.round);
  if (proposal.proposer !== expected) {
    return reject('PROPOSAL_WRONG_PROPOSER', `proposer of height ${proposal.height} round ${proposal.round} is ${expected}`, ctx);
  }
  if (!verifyBytes(proposalSignBytes(chainId, proposal), proposal.signature, proposal.proposer)) {
    return reject('PROPOSAL_BAD_SIGNATURE', 'proposal signature does not verify', ctx);
  }
  return OK;
}
