// Typed errors of the BFT building blocks (votes, proposals, commits, evidence, validator
// set). Verifiers return them (a peer's bad message is an expected event, scored by the
// caller by `code`); builders throw them on misuse. Codes are stable; messages are for humans.
import { ContextError } from '../../../lib/coded-error.ts';
export type BftErrorCode =
  | 'VALIDATOR_SET_INVALID'
  | 'VOTE_MALFORMED'
  | 'VOTE_NOT_VALIDATOR'
  | 'VOTE_BAD_SIGNATURE'
  | 'PROPOSAL_MALFORMED'
  | 'PROPOSAL_NOT_VALIDATOR'
  | 'PROPOSAL_WRONG_PROPOSER'
  | 'PROPOSAL_BAD_SIGNATURE'
  | 'COMMIT_MALFORMED'
  | 'COMMIT_MISMATCH'
  | 'COMMIT_UNKNOWN_VALIDATOR'
  | 'COMMIT_DUPLICATE_SIGNER'
  | 'COMMIT_SHORT'
  | 'COMMIT_BAD_SIGNATURE'
  | 'EVIDENCE_MALFORMED'
  | 'EVIDENCE_NOT_CONFLICTING'
  | 'EVIDENCE_NOT_VALIDATOR'
  | 'EVIDENCE_BAD_SIGNATURE';

export interface BftErrorContext {
  height?: number;
  round?: number;
  validator?: string;
  hash?: string;
  [key: string]: unknown;
}

export class BftError extends ContextError<BftErrorCode, BftErrorContext> {}

/** What every verifier returns: ok, or the first reason the message is invalid. */
export type Verdict = { ok: true } | { ok: false; error: BftError };

export const OK: Verdict = Object.freeze({ ok: true });

export function reject(code: BftErrorCode, message: string, context: BftErrorContext = {}): Verdict {
  return { ok: false, error: new BftError(code, message, context) };
}
