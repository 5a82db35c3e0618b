// The double-sign rules of the signing log, pure (no I/O): the same check CometBFT's FilePV
// does in CheckHRS. Messages are ordered by (height, round, step), step proposal < prevote <
// precommit. A message below the last signed one is refused; at the same (height, round, step)
// only the identical message passes, and it is answered with the stored signature so it goes
// out byte-identical and is never signed twice; anything above is new.
import { WalError } from './wal-error.ts';

export type SignKind = 'proposal' | 'prevote' | 'precommit';

/** What the engine asks to sign; the adapter maps wire/bft.ts proposals and votes onto it. */
export interface SignableMessage {
  kind: SignKind;
  height: number;
  round: number;
  /** The block voted for or proposed; null is a nil vote (never for a proposal). */
  blockHash: string | null;
  /** Proposals only: the round of the polka the proposer re-proposes (-1 if none). */
  validRound?: number;
}

export interface SignedMessage extends SignableMessage {
  signature: string;
}

const STEP: Record<SignKind, number> = { proposal: 1, prevote: 2, precommit: 3 };

/** Negative, zero or positive as `a` is below, at or above `b` in (height, round, step) order. */
export function compareHrs(a: SignableMessage, b: SignableMessage): number {
  return a.height - b.height || a.round - b.round || STEP[a.kind] - STEP[b.kind];
}

/** Same (height, round, step) and the same content: a re-send, not a second signature. */
export function isSameMessage(a: SignableMessage, b: SignableMessage): boolean {
  return compareHrs(a, b) === 0 && a.kind === b.kind && a.blockHash === b.blockHash && (a.kind !== 'proposal' || a.validRound === b.validRound);
}

/** Throws WAL_MESSAGE_INVALID when the message could not be a well-formed proposal or vote. */
export function assertSignable(msg: SignableMessage): void {
  const bad = (why: string) => new WalError('WAL_MESSAGE_INVALID', why, { message: msg });
  if (!(msg.kind in STEP)) throw bad(`unknown kind ${String(msg.kind)}`);
  if (!Number.isSafeInteger(msg.height) || msg.height < 1) throw bad(`bad height ${msg.height}`);
  if (!Number.isSafeInteger(msg.round) || msg.round < 0) throw bad(`bad round ${msg.round}`);
  if (msg.blockHash !== null && typeof msg.blockHash !== 'string') throw bad('blockHash must be a string or null');
  if (msg.kind === 'proposal') {
    if (msg.blockHash === null) throw bad('a proposal names a block');
    const vr = msg.validRound;
    if (vr === undefined || !Number.isSafeInteger(vr) || vr < -1 || vr >= msg.round) throw bad(`bad validRound ${vr}`);
  } else if (msg.validRound !== undefined) {
    throw bad('only proposals carry a validRound');
  }
}

export type SignDecision = { action: 'sign' } | { action: 'resend'; stored: SignedMessage };

/**
 * Decides whether `msg` may be signed given the last signed message and the last decided
 * height; throws WAL_REGRESSION or WAL_CONFLICT when signing it could be a double-sign.
 */
export function decideSign(msg: SignableMessage, lastSigned: SignedMessage | null, lastDecidedHeight: number): SignDecision {
  assertSignable(msg);
  const ctx = { attempted: msg, lastSigned, lastDecidedHeight };
  if (lastSigned) {
    if (isSameMessage(msg, lastSigned)) return { action: 'resend', stored: lastSigned };
    const cmp = compareHrs(msg, lastSigned);
    if (cmp < 0) {
      throw new WalError('WAL_REGRESSION', `${describe(msg)} is below the last signed ${describe(lastSigned)}`, ctx);
    }
    if (cmp === 0) {
      throw new WalError('WAL_CONFLICT', `${describe(msg)} differs from the signed ${describe(lastSigned)}`, ctx);
    }
  }
  if (msg.height <= lastDecidedHeight) {
    throw new WalError('WAL_REGRESSION', `${describe(msg)} is at or below decided height ${lastDecidedHeight}`, ctx);
  }
  return { action: 'sign' };
}

export function describe(m: SignableMessage): string {
  const vr = m.kind === 'proposal' ? ` validRound ${m.validRound}` : '';
  return `${m.kind} h${m.height}/r${m.round} for ${m.blockHash ?? 'nil'}${vr}`;
}
