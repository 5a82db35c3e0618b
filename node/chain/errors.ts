// Typed errors of the chain layer. Each has a stable `code` that logs, metrics and API
// payloads use; messages are for humans and may change.
import { ContextError } from '../../lib/coded-error.ts';
export type ChainErrorCode =
  | 'ENCODING_INVALID'
  | 'BLOCK_SCHEMA_INVALID'
  | 'BLOCK_CHAIN_ID_WRONG'
  | 'BLOCK_HASH_MISMATCH'
  | 'BLOCK_SIGNATURE_INVALID'
  | 'BLOCK_TXROOT_MISMATCH'
  | 'BLOCK_PARENT_UNKNOWN'
  | 'BLOCK_HEIGHT_INVALID'
  | 'BLOCK_SLOT_NOT_INCREASING'
  | 'BLOCK_PROPOSER_WRONG'
  | 'BLOCK_TIMESTAMP_INVALID'
  | 'BLOCK_FROM_FUTURE'
  | 'BLOCK_TOO_MANY_TXS'
  | 'BLOCK_DUPLICATE_TX'
  | 'BLOCK_CHECKPOINT_MISMATCH'
  | 'BLOCK_COMMIT_MISSING'
  | 'BLOCK_COMMIT_INVALID'
  | 'BLOCK_KNOWN'
  | 'REORG_BELOW_FINALIZED'
  | 'TX_SCHEMA_INVALID'
  | 'TX_HASH_MISMATCH'
  | 'TX_SIGNATURE_INVALID'
  | 'TX_NONCE_INVALID'
  | 'TX_INSUFFICIENT_BALANCE'
  | 'TX_BALANCE_OVERFLOW'
  | 'TX_KNOWN'
  | 'TX_MEMPOOL_FULL'
  | 'GENESIS_INVALID'
  | 'GENESIS_MISMATCH'
  | 'GENESIS_ENGINE_UNKNOWN'
  | 'KEY_INVALID';

export interface ErrorContext {
  height?: number;
  hash?: string;
  peer?: string;
  tx?: string;
  [key: string]: unknown;
}

export class ChainError extends ContextError<ChainErrorCode, ErrorContext> {}

/** Signature failures are counted apart: the user's success criteria name them. */
export function isSignatureError(err: unknown): boolean {
  return err instanceof ChainError && (err.code === 'BLOCK_SIGNATURE_INVALID' || err.code === 'TX_SIGNATURE_INVALID');
}
