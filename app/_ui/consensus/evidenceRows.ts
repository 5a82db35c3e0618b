// Rows of the consensus page's evidence list and recent heights: pure, unit-tested.
import type { EvidenceRecord } from '../../../wire/bft.ts';
import type { ConsensusValidator, DecidedHeight } from '../../../wire/explorer-api.ts';
import { finalityText } from '../blocks/commitPanel.ts';
import { quorumOf, shortBlock, validatorName } from './consensusModel.ts';

export interface EvidenceRow {
  hash: string;
  offender: string;
  offenderNodeId: string | null;
  /** "double prevote", "double precommit", "double proposal". */
  kind: string;
  height: number;
  round: number;
  /** The two conflicting values, shortened ('nil' for a nil vote). */
  first: string;
  second: string;
  detectedAt: number;
}

const voteValue = (hash: string | null) => (hash === null ? 'nil' : shortBlock(hash));

export function evidenceRows(evidence: readonly EvidenceRecord[], validators: readonly ConsensusValidator[]): EvidenceRow[] {
  return evidence.map((e) => {
    const common = {
      hash: e.hash,
      offender: validatorName(validators, e.validator),
      offenderNodeId: validators.find((v) => v.publicKey === e.validator)?.nodeId ?? null,
      height: e.height,
      round: e.round,
      detectedAt: e.detectedAt,
    };
    if (e.kind === 'duplicate-vote') {
      return { ...common, kind: `double ${e.evidence.voteA.type}`, first: voteValue(e.evidence.voteA.blockHash), second: voteValue(e.evidence.voteB.blockHash) };
    }
    return { ...common, kind: 'double proposal', first: shortBlock(e.evidence.proposalA.blockHash), second: shortBlock(e.evidence.proposalB.blockHash) };
  });
}

export interface DecidedRow {
  height: number;
  hash: string;
  round: number;
  /** "3 of 4" (or "3" when the validator count is unknown). */
  signers: string;
  /** Fewer than a quorum of the known validators: the commit as indexed looks incomplete. */
  belowQuorum: boolean;
  finality: string;
  /** Decided after round 0: a proposal failed first. */
  late: boolean;
}

export function decidedRows(heights: readonly DecidedHeight[], validatorCount: number): DecidedRow[] {
  return heights.map((h) => ({
    height: h.height,
    hash: h.hash,
    round: h.round,
    signers: validatorCount > 0 ? `${h.signers} of ${validatorCount}` : String(h.signers),
    belowQuorum: validatorCount > 0 && h.signers < quorumOf(validatorCount),
    finality: finalityText(h.finalizedAfterMs),
    late: h.round > 0,
  }));
}
