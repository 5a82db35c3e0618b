// Typed errors of the pure BFT core (vote set, timeouts, state machine). Each carries a stable
// `code`; the adapter turns them into peer scores or logs. Messages are for humans.
import { ContextError } from '../../../lib/coded-error.ts';
export type BftCoreErrorCode =
  'VOTE_NOT_FROM_VALIDATOR' | 'VOTE_WRONG_HEIGHT' | 'PROPOSAL_WRONG_PROPOSER' | 'PROPOSAL_VALID_ROUND_INVALID' | 'VALIDATOR_SET_INVALID' | 'TIMEOUT_CONFIG_INVALID';

export class BftCoreError extends ContextError<BftCoreErrorCode> {}
