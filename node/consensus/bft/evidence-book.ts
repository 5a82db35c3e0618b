// What a node knows of equivocation: every verified vote and proposal it handles (its own
// included) goes through an EquivocationDetector, and each new offence becomes one
// EvidenceRecord (wire/bft.ts), keyed by its evidence hash, so one offence is reported once
// however many copies of the two messages arrive. The newest MAX_LISTED_EVIDENCE records are
// kept for GET /consensus; the caller tells the world about each new one (/stream, metric, log).
// Pure: the caller passes the time.
import { MAX_LISTED_EVIDENCE, type DuplicateProposalEvidence, type DuplicateVoteEvidence, type EvidenceRecord, type Proposal, type Vote } from '../../../wire/bft.ts';
import { EquivocationDetector } from './equivocation-detector.ts';
import { evidenceHash, isDuplicateVote, makeDuplicateVoteEvidence } from './evidence.ts';

export class EvidenceBook {
  private readonly detector = new EquivocationDetector();
  /** Insertion order is detection order: the first key is the oldest record. */
  private readonly records = new Map<string, EvidenceRecord>();
  /** Evidence hashes reported at heights not yet pruned (a record evicted from the list is not reported again). */
  private readonly reported = new Map<string, number>();

  constructor(private readonly maxRecords = MAX_LISTED_EVIDENCE) {}

  /** A verified vote; the new record when it conflicts with an earlier vote of its slot. */
  observeVote(vote: Vote, now: number): EvidenceRecord | null {
    const ev = this.detector.observeVote(vote);
    return ev ? this.addVotes(ev, now) : null;
  }

  /** A verified proposal; the new record when it conflicts with an earlier proposal of its slot. */
  observeProposal(proposal: Proposal, now: number): EvidenceRecord | null {
    const ev = this.detector.observeProposal(proposal);
    return ev ? this.add({ kind: 'duplicate-proposal', evidence: ev, ...slotOf(ev.proposalA.proposer, ev.proposalA) }, now) : null;
  }

  /** Two signed votes the caller found conflicting (the core's equivocation effect); null when already known. */
  observeVotePair(a: Vote, b: Vote, now: number): EvidenceRecord | null {
    if (!isDuplicateVote(a, b)) return null;
    return this.addVotes(makeDuplicateVoteEvidence(a, b), now);
  }

  /** Forgets the messages of heights below `height` (the records stay listed). */
  pruneBelow(height: number): void {
    this.detector.pruneBelow(height);
    for (const [hash, h] of this.reported) if (h < height) this.reported.delete(hash);
  }

  /** The newest records, oldest first. */
  list(): EvidenceRecord[] {
    return [...this.records.values()];
  }

  private addVotes(ev: DuplicateVoteEvidence, now: number): EvidenceRecord | null {
    return this.add({ kind: 'duplicate-vote', evidence: ev, ...slotOf(ev.voteA.validator, ev.voteA) }, now);
  }

  private add(
    part: ({ kind: 'duplicate-vote'; evidence: DuplicateVoteEvidence } | { kind: 'duplicate-proposal'; evidence: DuplicateProposalEvidence }) &
      Pick<EvidenceRecord, 'validator' | 'height' | 'round'>,
    now: number,
  ): EvidenceRecord | null {
    const hash = evidenceHash(part.evidence);
    if (this.reported.has(hash) || this.records.has(hash)) return null;
    const record = { ...part, hash, detectedAt: now } as EvidenceRecord;
    this.reported.set(hash, record.height);
    this.records.set(hash, record);
    while (this.records.size > this.maxRecords) this.records.delete(this.records.keys().next().value!);
    return record;
  }
}

function slotOf(validator: string, msg: { height: number; round: number }): Pick<EvidenceRecord, 'validator' | 'height' | 'round'> {
  return { validator, height: msg.height, round: msg.round };
}
