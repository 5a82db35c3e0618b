// Typed P2P errors with stable codes; the code decides the score penalty.
export type P2PErrorCode =
  | 'MALFORMED'
  | 'SCHEMA_INVALID'
  | 'VERSION_UNSUPPORTED'
  | 'SIGNATURE_INVALID'
  | 'IDENTITY_MISMATCH'
  | 'UNEXPECTED_MESSAGE'
  | 'OVERSIZE'
  | 'FLOOD'
  | 'INVALID_BLOCK'
  | 'INVALID_TX'
  | 'HANDSHAKE_TIMEOUT'
  | 'HANDSHAKE_REJECTED'
  | 'CHAIN_MISMATCH'
  | 'GENESIS_MISMATCH'
  | 'SELF_CONNECTION'
  | 'BANNED'
  | 'TOO_MANY_PEERS'
  // Programming errors at startup: a reactor registered a bad or taken message type.
  | 'MESSAGE_TYPE_INVALID'
  | 'MESSAGE_TYPE_TAKEN';

export class P2PError extends Error {
  override readonly name = 'P2PError';
  constructor(
    readonly code: P2PErrorCode,
    message: string,
    readonly context: { peer?: string; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}
