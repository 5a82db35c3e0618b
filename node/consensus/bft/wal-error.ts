// Typed errors of the BFT signing write-ahead log. The codes are stable (logs, metrics, tests
// match on them); messages are for humans. WAL_REGRESSION and WAL_CONFLICT are refusals to
// sign (the engine drops the message: it would be a double-sign); WAL_CORRUPT and WAL_FAILED
// must stop the node, which cannot know what it signed before.
import { ContextError } from '../../../lib/coded-error.ts';
export type WalErrorCode =
  /** The message is at a lower (height, round, step) than the last signed one, or at a decided height. */
  | 'WAL_REGRESSION'
  /** A different message at the same (height, round, step) as the last signed one. */
  | 'WAL_CONFLICT'
  /** The log is damaged before its last record (or is not a sign log): the node must not guess. */
  | 'WAL_CORRUPT'
  /** A write or fsync failed: what is on disk is unknown, so nothing may be signed until restart. */
  | 'WAL_FAILED'
  /** The message itself is malformed (negative height, proposal without a block…). */
  | 'WAL_MESSAGE_INVALID'
  /** The log was closed. */
  | 'WAL_CLOSED';

/** Its message starts with the code (the WAL's refusals are logged as they are). */
export class WalError extends ContextError<WalErrorCode> {
  constructor(code: WalErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, `${code}: ${message}`, context);
  }
}
