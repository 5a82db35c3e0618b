// Chaos: how a validator told to misbehave (wire/bft.ts Misbehaviour, PUT /admin/byzantine)
// departs from the protocol. The driver asks this policy at each of its send points, so the
// honest path stays readable and every fault lives here:
//   equivocate       as proposer, a different block to every connected peer, each with its own
//                    signed proposal; as voter, each peer gets a vote for the value that peer
//                    itself voted in that (height, round, type), once its vote is known, and
//                    nothing before (the "echo"). Two such validators of four make two honest
//                    validators that cannot hear each other decide different blocks: each sees
//                    its own vote plus two echoes, a quorum. These signatures bypass the signing
//                    WAL on purpose: its double-sign guard is what an equivocator defeats. It
//                    relays no one else's message either (it would help honest nodes see both
//                    halves).
//   withhold-votes   proposes as usual, signs its votes through the WAL, sends none.
//   delay-proposals  holds each of its proposals (and their re-sends) back `delayMs`.
// null is honest again at once (held proposals go out now). The behaviour lives in memory:
// a restarted validator is honest.
import type { Misbehaviour, Proposal, Vote } from '../../../wire/bft.ts';
import type { Block } from '../../../wire/node-api.ts';
import type { KeyPair } from '../../chain/keys.ts';
import type { PeerConnection } from '../../p2p/peer-connection.ts';
import type { EngineNetwork, EngineTimers } from '../engine.ts';
import { BftProposalMsg, type BftProposalPayload, BftVoteMsg } from './bft-messages.ts';
import { signProposal, signVote } from './signing.ts';

export interface ByzantineDeps {
  chainId: string;
  key: KeyPair;
  network: EngineNetwork;
  timers: EngineTimers;
}

/** The proposal an equivocator would have made honestly: its variants differ from it per peer. */
export interface ProposalSlot {
  height: number;
  round: number;
  validRound: number;
}

export class ByzantinePolicy {
  private behaviour: Misbehaviour | null = null;
  /** Held proposals (delay-proposals): timer handle -> the send. */
  private readonly held = new Map<unknown, () => void>();
  /** Equivocation at the current height: each peer's own proposal, and the echoes sent (by `${peerKey}/${type}/${round}`). */
  private proposals = new Map<string, BftProposalPayload>();
  private echoes = new Map<string, Vote>();

  constructor(private readonly deps: ByzantineDeps) {}

  get current(): Misbehaviour | null {
    return this.behaviour;
  }

  set(behaviour: Misbehaviour | null): void {
    this.behaviour = behaviour;
    if (behaviour?.behaviour !== 'delay-proposals') this.releaseHeld();
    if (behaviour?.behaviour !== 'equivocate') this.newHeight();
  }

  get equivocating(): boolean {
    return this.behaviour?.behaviour === 'equivocate';
  }

  /** Whether this validator sends the votes its core signs (equivocators send echoes instead). */
  get sendsOwnVotes(): boolean {
    return this.behaviour === null || this.behaviour.behaviour === 'delay-proposals';
  }

  /** Whether this validator counts its own votes in the commits it builds (a withholder's signature must not leave). */
  get sharesOwnVotes(): boolean {
    return this.behaviour?.behaviour !== 'withhold-votes';
  }

  /** Whether this node relays others' proposals and votes (an equivocator keeps honest nodes in the dark). */
  get relays(): boolean {
    return !this.equivocating;
  }

  /** Sends now, or `delayMs` later under delay-proposals. `send` must check itself whether it is still current. */
  sendProposal(send: () => void): void {
    if (this.behaviour?.behaviour !== 'delay-proposals') return send();
    const handle = this.deps.timers.setTimeout(() => {
      this.held.delete(handle);
      send();
    }, this.behaviour.delayMs);
    this.held.set(handle, send);
  }

  /**
   * Equivocation as proposer: `variant(i)` builds the i-th different block of the height;
   * every connected peer gets its own, with a proposal signed for it.
   */
  equivocateProposal(slot: ProposalSlot, variant: (i: number) => Block): void {
    const { chainId, key, network } = this.deps;
    network.connected().forEach((peer, i) => {
      const peerKey = peer.remote?.publicKey;
      if (!peerKey) return;
      const block = variant(i);
      const proposal: Proposal = signProposal(chainId, { ...slot, blockHash: block.hash, proposer: key.publicKey }, key);
      const { commit: _commit, ...bare } = block;
      const payload = { proposal, block: bare };
      this.proposals.set(peerKey, payload);
      network.send(peer, BftProposalMsg, payload);
    });
  }

  /** Equivocation as voter: `vote` (verified, of another validator) tells what its peer voted; echo that value back to it alone. */
  echo(vote: Vote): void {
    const { chainId, key, network } = this.deps;
    if (vote.validator === key.publicKey) return;
    const id = `${vote.validator}/${vote.type}/${vote.round}`;
    if (this.echoes.has(id)) return;
    const peers = this.peersOf(vote.validator);
    if (peers.length === 0) return;
    const echo = signVote(chainId, { type: vote.type, height: vote.height, round: vote.round, blockHash: vote.blockHash, validator: key.publicKey }, key);
    this.echoes.set(id, echo);
    for (const peer of peers) network.send(peer, BftVoteMsg, { vote: echo });
  }

  /** Re-sends each peer its own proposal and echoes of rounds >= `fromRound` (the honest regossip's counterpart). */
  regossip(fromRound: number): void {
    const { network } = this.deps;
    for (const [peerKey, payload] of this.proposals) {
      if (payload.proposal.round < fromRound) continue;
      for (const peer of this.peersOf(peerKey)) network.send(peer, BftProposalMsg, payload);
    }
    for (const [id, vote] of this.echoes) {
      if (vote.round < fromRound) continue;
      for (const peer of this.peersOf(id.slice(0, id.indexOf('/')))) network.send(peer, BftVoteMsg, { vote });
    }
  }

  /** A new height: what was sent for the last one is moot. */
  newHeight(): void {
    this.proposals = new Map();
    this.echoes = new Map();
  }

  /** Cancels held proposals without sending them (the driver stops). */
  stop(): void {
    for (const handle of this.held.keys()) this.deps.timers.clearTimeout(handle);
    this.held.clear();
  }

  private releaseHeld(): void {
    const sends = [...this.held];
    this.held.clear();
    for (const [handle, send] of sends) {
      this.deps.timers.clearTimeout(handle);
      send();
    }
  }

  private peersOf(publicKey: string): PeerConnection[] {
    return this.deps.network.connected().filter((p) => p.remote?.publicKey === publicKey);
  }
}
