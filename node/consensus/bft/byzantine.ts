// Chaos: how a validator told to misbehave (wire/bft.ts Misbehaviour, PUT /admin/byzantine)
// departs from the protocol. The driver asks this policy at each of its send points, so the
// honest path stays readable and every fault lives here:
//   equivocate       as proposer, a different block to every connected peer, each with its own
//                    signed proposal; as voter, each peer gets a vote for the value that peer
//                    itself voted in that (height, round, type), once its vote is known, and
//                    nothing before (the "echo"). Precommit echoes of a round are held until
//                    every connected validator has precommitted in it (but for fellow
//                    equivocators, seen voting two values), then go out together: no honest
//                    node decides (and gossips its block, which would pull a slower one onto
//                    it) before the others can. Two such validators of four
//                    make two honest validators that cannot hear each other decide different
//                    blocks the first time one of them proposes: each sees its own vote plus
//                    two echoes, a quorum. These signatures bypass the signing
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
  /** The validator set's public keys: the peers whose precommits an equivocator waits for. */
  validators: readonly string[];
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
  /** Equivocation at the current height: each peer's own proposal, the first vote heard of each slot and the echoes sent (by `${validator}/${type}/${round}`). */
  private proposals = new Map<string, BftProposalPayload>();
  private heard = new Map<string, Vote>();
  private echoes = new Map<string, Vote>();
  /** Validators seen voting two values at this height: fellow equivocators, never waited for. */
  private twoFaced = new Set<string>();

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

  /**
   * Equivocation as voter: `vote` (verified, of another validator, current height) tells what
   * its peer voted; echo that value back to it alone. Prevotes at once; precommits of a round
   * once every connected peer heard prevoting in it has precommitted, all together.
   */
  echo(vote: Vote): void {
    if (vote.validator === this.deps.key.publicKey) return;
    const id = slotId(vote.validator, vote.type, vote.round);
    const first = this.heard.get(id);
    if (first === undefined) {
      this.heard.set(id, vote); // the first vote of a slot is what that peer is shown
      if (vote.type === 'prevote') this.sendEcho(vote);
    } else if (first.blockHash !== vote.blockHash) {
      this.twoFaced.add(vote.validator);
    } else return;
    this.releasePrecommits(vote.round);
  }

  /** Sends the held precommit echoes of `round` once no connected validator (but two-faced ones) is still to precommit in it. */
  private releasePrecommits(round: number): void {
    const { key, network, validators } = this.deps;
    const pending = network.connected().some((peer) => {
      const k = peer.remote?.publicKey;
      return k !== undefined && k !== key.publicKey && validators.includes(k) && !this.twoFaced.has(k) && !this.heard.has(slotId(k, 'precommit', round));
    });
    if (pending) return;
    for (const v of this.heard.values()) if (v.type === 'precommit' && v.round === round) this.sendEcho(v);
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

  /** A new height: what was heard and sent for the last one is moot. */
  newHeight(): void {
    this.proposals = new Map();
    this.heard = new Map();
    this.echoes = new Map();
    this.twoFaced = new Set();
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

  /** Signs a vote for the value `heard` voted and sends it to that validator's peer alone (once). */
  private sendEcho(heard: Vote): void {
    const { chainId, key, network } = this.deps;
    const id = slotId(heard.validator, heard.type, heard.round);
    const peers = this.peersOf(heard.validator);
    if (this.echoes.has(id) || peers.length === 0) return;
    const echo = signVote(chainId, { type: heard.type, height: heard.height, round: heard.round, blockHash: heard.blockHash, validator: key.publicKey }, key);
    this.echoes.set(id, echo);
    for (const peer of peers) network.send(peer, BftVoteMsg, { vote: echo });
  }

  private peersOf(publicKey: string): PeerConnection[] {
    return this.deps.network.connected().filter((p) => p.remote?.publicKey === publicKey);
  }
}

const slotId = (validator: string, type: Vote['type'], round: number): string => `${validator}/${type}/${round}`;
