// Finds equivocations in the stream of verified votes and proposals a node receives: it keeps
// the first message of each (validator, height, round, type) and, when a different one for the
// same slot arrives, returns the evidence, once per offence. Pure and bounded: old heights are
// pruned by the caller as it commits, and the oldest entries go first past `maxEntries`, so a
// validator spraying votes for far-away rounds cannot grow it without limit.
import type { DuplicateProposalEvidence, DuplicateVoteEvidence, Proposal, Vote } from '../../../wire/bft.ts';
import { evidenceHash, makeDuplicateProposalEvidence, makeDuplicateVoteEvidence } from './evidence.ts';

export const DEFAULT_MAX_DETECTOR_ENTRIES = 100_000;

export class EquivocationDetector {
  private readonly votes = new Map<string, Vote>();
  private readonly proposals = new Map<string, Proposal>();
  private readonly reported = new Map<string, number>(); // evidence hash -> height
  private readonly maxEntries: number;

  constructor(opts: { maxEntries?: number } = {}) {
    this.maxEntries = opts.maxEntries ?? DEFAULT_MAX_DETECTOR_ENTRIES;
  }

  /** Records a verified vote; returns new evidence when it conflicts with the first vote of its slot. */
  observeVote(vote: Vote): DuplicateVoteEvidence | null {
    const slot = `${vote.type}/${vote.height}/${vote.round}/${vote.validator}`;
    const first = this.votes.get(slot);
    if (!first) {
      this.remember(this.votes, slot, vote);
      return null;
    }
    if (first.blockHash === vote.blockHash) return null;
    return this.once(makeDuplicateVoteEvidence(first, vote), vote.height);
  }

  /** Records a verified proposal; returns new evidence when it conflicts with the first proposal of its slot. */
  observeProposal(proposal: Proposal): DuplicateProposalEvidence | null {
    const slot = `${proposal.height}/${proposal.round}/${proposal.proposer}`;
    const first = this.proposals.get(slot);
    if (!first) {
      this.remember(this.proposals, slot, proposal);
      return null;
    }
    if (first.blockHash === proposal.blockHash && first.validRound === proposal.validRound) return null;
    return this.once(makeDuplicateProposalEvidence(first, proposal), proposal.height);
  }

  /** Forgets every height below `height` (a committed height's offences are already reported). */
  pruneBelow(height: number): void {
    for (const [k, v] of this.votes) if (v.height < height) this.votes.delete(k);
    for (const [k, p] of this.proposals) if (p.height < height) this.proposals.delete(k);
    for (const [k, h] of this.reported) if (h < height) this.reported.delete(k);
  }

  /** Messages and reported offences held: what `maxEntries` bounds. */
  get size(): number {
    return this.votes.size + this.proposals.size + this.reported.size;
  }

  private once<E extends DuplicateVoteEvidence | DuplicateProposalEvidence>(ev: E, height: number): E | null {
    const id = evidenceHash(ev);
    if (this.reported.has(id)) return null;
    this.remember(this.reported, id, height);
    return ev;
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.set(key, value);
    while (this.size > this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry of the largest map.
      const largest = [this.votes, this.proposals, this.reported].reduce<Map<string, unknown>>((a, b) => (b.size > a.size ? b : a), this.votes);
      const oldest = largest.keys().next();
      if (oldest.done) break;
      largest.delete(oldest.value);
    }
  }
}
