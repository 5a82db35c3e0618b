// A deterministic network of TendermintCore instances, for tests: one seeded PRNG draws every
// message delay and drop, virtual time drives the timeouts, so a seed replays a schedule
// exactly. It models what the node will do around the core: broadcast to every peer, buffer
// messages of future heights, re-gossip its height's message log when a round times out
// (CometBFT's gossip routines resend what a peer lacks; that is what makes drops survivable,
// as the paper assumes gossip), and answer a peer stuck at a decided height with that
// height's proposal and precommits (the commit catch-up), which the peer decides through the
// core's own line 49.
//
// Faults: per-message delay (uniform in a range, a shorter one after GST), drops before GST,
// partitions (groups that cannot talk from fromMs until healMs), and byzantine validators:
// 'silent' (sends nothing), 'equivocate' (an omniscient adversary: as proposer it sends one
// value to half of the honest nodes and another to the other half; as voter it votes that
// other value, or nil in an honest proposer's round, to the second half). Validators are
// named v0…v{n-1}; honest nodes are the ones without a byzantine behaviour.
//
// Public API (nodes are indices 0…n-1)
//   new SimNetwork(options: SimOptions)
//   .start(): void                      every non-silent node starts height 1 at time 0
//   .runUntil(ms): void                 processes every event up to virtual time ms
//   .runUntilDecided(height, deadlineMs): boolean   all honest nodes decided `height`?
//   .now, .honest(): number[], .decisions(i): Map<height, hash>, .decisionOf(i, h)
//   .safetyViolations(): { height, values: Record<node, hash> }[]   among honest nodes
//   .equivocationsSeen: number, .deliveries: number
import { defaultTimeouts, type TimeoutConfig } from '../timeouts.ts';
import { type CoreEffect, type CoreProposal, type CoreTimeout, type CoreVote, TendermintCore } from '../tendermint-core.ts';
import { proposerAt } from '../validator-set.ts';
import { seededRandom } from '../../../../lib/seeded-random.ts';

export type Behaviour = 'honest' | 'silent' | 'equivocate';

export interface Partition {
  groups: number[][];
  fromMs: number;
  healMs: number;
}

export interface SimOptions {
  n: number;
  seed: number;
  timeouts?: TimeoutConfig;
  /** Message delay before GST, uniform in [min, max] ms. */
  delayMs?: { min: number; max: number };
  /** Global stabilization time: from then on no drops and delays in delayAfterGstMs. */
  gstMs?: number;
  delayAfterGstMs?: { min: number; max: number };
  /** Probability of dropping a message sent before GST. */
  dropRate?: number;
  partitions?: Partition[];
  byzantine?: Record<number, Exclude<Behaviour, 'honest'>>;
  /** Period of the gossip that resends what a peer lacks (default 500 ms). */
  gossipIntervalMs?: number;
  /**
   * A targeted adversarial network, for schedules found by hand: messages for which it
   * returns false are never delivered to `to`, whoever relays them (gossip, catch-up too).
   */
  deliverIf?: (msg: SimMessage, to: number) => boolean;
  /** Nodes stop after deciding this height (no commit timeout beyond it). */
  maxHeight?: number;
}

export type SimMessage = { kind: 'proposal'; proposal: CoreProposal } | { kind: 'vote'; vote: CoreVote };

type SimEvent =
  | { type: 'deliver'; time: number; seq: number; to: number; from: number; msg: SimMessage }
  | { type: 'timeout'; time: number; seq: number; node: number; timeout: CoreTimeout }
  | { type: 'gossip'; time: number; seq: number };

interface Decision {
  round: number;
  blockHash: string;
  proposal: CoreProposal;
  precommits: CoreVote[];
}

interface SimNode {
  index: number;
  behaviour: Behaviour;
  core: TendermintCore;
  decisions: Map<number, Decision>;
  future: Map<number, SimMessage[]>;
  log: SimMessage[];
  seen: Set<string>;
}

/** The other value an equivocating node shows the second half (an involution). */
export function otherValue(hash: string): string {
  return hash.endsWith('~') ? hash.slice(0, -1) : `${hash}~`;
}

function heightOf(msg: SimMessage): number {
  return msg.kind === 'proposal' ? msg.proposal.height : msg.vote.height;
}

function keyOf(msg: SimMessage): string {
  if (msg.kind === 'proposal') {
    const p = msg.proposal;
    return `p/${p.height}/${p.round}/${p.blockHash}/${p.validRound}`;
  }
  const v = msg.vote;
  return `v/${v.height}/${v.round}/${v.type}/${v.validator}/${v.blockHash}`;
}

export class SimNetwork {
  now = 0;
  deliveries = 0;
  equivocationsSeen = 0;
  readonly validators: string[];
  private readonly nodes: SimNode[];
  private readonly queue: SimEvent[] = [];
  private seq = 0;
  private readonly random: () => number;
  private readonly secondHalf: Set<number>;
  private readonly opts: Required<Omit<SimOptions, 'maxHeight' | 'byzantine' | 'deliverIf'>> & SimOptions;

  constructor(options: SimOptions) {
    this.opts = {
      timeouts: defaultTimeouts(1000),
      delayMs: { min: 1, max: 50 },
      gstMs: 0,
      delayAfterGstMs: { min: 1, max: 20 },
      dropRate: 0,
      partitions: [],
      gossipIntervalMs: 500,
      ...options,
    };
    this.random = seededRandom(options.seed);
    this.validators = Array.from({ length: options.n }, (_, i) => `v${i}`);
    this.nodes = this.validators.map((self, index) => ({
      index,
      behaviour: options.byzantine?.[index] ?? 'honest',
      core: new TendermintCore({
        validators: this.validators,
        self,
        timeouts: this.opts.timeouts,
        isValid: () => true,
      }),
      decisions: new Map(),
      future: new Map(),
      log: [],
      seen: new Set(),
    }));
    const honest = this.honest();
    this.secondHalf = new Set(honest.slice(Math.ceil(honest.length / 2)));
  }

  honest(): number[] {
    return this.nodes.filter((n) => n.behaviour === 'honest').map((n) => n.index);
  }

  decisions(i: number): Map<number, string> {
    return new Map([...this.nodes[i].decisions].map(([h, d]) => [h, d.blockHash]));
  }

  decisionOf(i: number, height: number): string | undefined {
    return this.nodes[i].decisions.get(height)?.blockHash;
  }

  /** The highest height every honest node has decided (0 if none). */
  committedByAll(): number {
    let min = Infinity;
    for (const i of this.honest()) {
      let h = 0;
      while (this.nodes[i].decisions.has(h + 1)) h++;
      min = Math.min(min, h);
    }
    return min;
  }

  safetyViolations(): { height: number; values: Record<number, string> }[] {
    const heights = new Set<number>();
    for (const i of this.honest()) for (const h of this.nodes[i].decisions.keys()) heights.add(h);
    const out: { height: number; values: Record<number, string> }[] = [];
    for (const height of [...heights].sort((a, b) => a - b)) {
      const values: Record<number, string> = {};
      for (const i of this.honest()) {
        const d = this.nodes[i].decisions.get(height);
        if (d) values[i] = d.blockHash;
      }
      if (new Set(Object.values(values)).size > 1) out.push({ height, values });
    }
    return out;
  }

  start(): void {
    for (const node of this.nodes) {
      if (node.behaviour !== 'silent') this.drive(node, () => node.core.start(1));
    }
    this.push({ type: 'gossip', time: this.opts.gossipIntervalMs, seq: 0 });
  }

  runUntil(ms: number): void {
    while (this.queue.length > 0 && this.queue[0].time <= ms) {
      const event = this.pop();
      this.now = event.time;
      if (event.type === 'deliver') this.receive(this.nodes[event.to], event.msg);
      else if (event.type === 'timeout') this.fireTimeout(this.nodes[event.node], event.timeout);
      else this.gossip();
    }
    this.now = Math.max(this.now, ms);
  }

  runUntilDecided(height: number, deadlineMs: number): boolean {
    const stepMs = 250;
    while (this.now < deadlineMs) {
      if (this.committedByAll() >= height) return true;
      this.runUntil(Math.min(deadlineMs, this.now + stepMs));
    }
    return this.committedByAll() >= height;
  }

  private fireTimeout(node: SimNode, timeout: CoreTimeout): void {
    this.drive(node, () => node.core.timeout(timeout));
  }

  /**
   * Every gossipIntervalMs each honest node sends each peer at its height the messages of its
   * log the peer has not received (CometBFT tracks peers' votes with HasVote messages; the
   * simulation peeks), and a peer at a height it decided that height's proposal and precommits.
   */
  private gossip(): void {
    for (const node of this.nodes) {
      if (node.behaviour !== 'honest') continue;
      const height = node.core.state().height;
      for (const peer of this.nodes) {
        if (peer === node || peer.behaviour === 'silent') continue;
        const peerHeight = peer.core.state().height;
        if (peerHeight < height) this.catchUp(node, peer.index, peerHeight);
        else if (peerHeight === height) {
          for (const msg of node.log) if (!peer.seen.has(keyOf(msg))) this.send(node, peer.index, msg);
        }
      }
    }
    this.push({ type: 'gossip', time: this.now + this.opts.gossipIntervalMs, seq: 0 });
  }

  private receive(node: SimNode, msg: SimMessage): void {
    if (node.behaviour === 'silent') return;
    this.deliveries++;
    const height = heightOf(msg);
    const current = node.core.state().height;
    if (height > current) {
      const buffered = node.future.get(height);
      if (buffered) buffered.push(msg);
      else node.future.set(height, [msg]);
      return;
    }
    if (height < current) return;
    const key = keyOf(msg);
    if (node.seen.has(key)) return;
    node.seen.add(key);
    node.log.push(msg);
    this.drive(node, () => (msg.kind === 'proposal' ? node.core.proposal(msg.proposal) : node.core.vote(msg.vote)));
  }

  /** A peer still at a height we decided: send it that height's proposal and precommits. */
  private catchUp(node: SimNode, peer: number, height: number): void {
    const decision = node.decisions.get(height);
    if (!decision) return;
    this.send(node, peer, { kind: 'proposal', proposal: decision.proposal });
    for (const vote of decision.precommits) this.send(node, peer, { kind: 'vote', vote });
  }

  /** Runs one core call, handles its effects, then replays buffered messages of a new height. */
  private drive(node: SimNode, call: () => CoreEffect[]): void {
    const heightBefore = node.core.state().height;
    const effects = call();
    const height = node.core.state().height;
    if (height !== heightBefore) {
      // A new height: a new message log, before this call's own messages go into it.
      node.log = [];
      node.seen = new Set();
    }
    this.handle(node, effects);
    if (height !== heightBefore) {
      for (const h of [...node.future.keys()]) if (h < height) node.future.delete(h);
      const buffered = node.future.get(height) ?? [];
      node.future.delete(height);
      for (const msg of buffered) this.receive(node, msg);
    }
  }

  private handle(node: SimNode, effects: CoreEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'need-proposal-value': {
          const blockHash = `B${e.height}.${e.round}.${node.index}`;
          this.handle(node, node.core.proposalValue({ height: e.height, round: e.round, blockHash }));
          break;
        }
        case 'propose': {
          const { height, round, blockHash, validRound } = e;
          const proposer = this.validators[node.index];
          this.record(node, { kind: 'proposal', proposal: { height, round, blockHash, validRound, proposer } });
          break;
        }
        case 'vote':
          this.record(node, {
            kind: 'vote',
            vote: {
              type: e.type,
              height: e.height,
              round: e.round,
              blockHash: e.blockHash,
              validator: this.validators[node.index],
            },
          });
          break;
        case 'schedule-timeout':
          if (e.timeout.kind === 'commit' && this.opts.maxHeight !== undefined && e.timeout.height >= this.opts.maxHeight) {
            break;
          }
          this.push({ type: 'timeout', time: this.now + e.ms, seq: 0, node: node.index, timeout: e.timeout });
          break;
        case 'decide': {
          const proposal = node.core.proposalsOf(e.round).find((p) => p.blockHash === e.blockHash)!;
          node.decisions.set(e.height, { round: e.round, blockHash: e.blockHash, proposal, precommits: e.precommits });
          // Block sync, modelled: a node that learns a height others are well past does not
          // wait commitWait before the next one (the commitWait timeout then finds it gone).
          const lagging = this.nodes.some((peer) => peer.core.state().height > e.height + 1);
          if (lagging) this.push({ type: 'timeout', time: this.now, seq: 0, node: node.index, timeout: { kind: 'commit', height: e.height, round: e.round } });
          break;
        }
        case 'equivocation':
          this.equivocationsSeen++;
          break;
        case 'round-change':
          break;
      }
    }
  }

  /** Our own message: into the log (for re-gossip) and out to every peer. */
  private record(node: SimNode, msg: SimMessage): void {
    node.seen.add(keyOf(msg));
    node.log.push(msg);
    this.broadcast(node, msg);
  }

  private broadcast(node: SimNode, msg: SimMessage): void {
    for (const peer of this.nodes) if (peer.index !== node.index) this.send(node, peer.index, msg);
  }

  private send(node: SimNode, to: number, original: SimMessage): void {
    if (node.behaviour === 'silent') return;
    const msg = node.behaviour === 'equivocate' ? this.equivocate(original, to) : original;
    if (this.opts.deliverIf && !this.opts.deliverIf(msg, to)) return;
    const afterGst = this.now >= this.opts.gstMs;
    if (!afterGst && this.random() < this.opts.dropRate) return;
    for (const p of this.opts.partitions) {
      if (this.now >= p.fromMs && this.now < p.healMs) {
        const a = p.groups.findIndex((g) => g.includes(node.index));
        const b = p.groups.findIndex((g) => g.includes(to));
        if (a !== b) return;
      }
    }
    const range = afterGst ? this.opts.delayAfterGstMs : this.opts.delayMs;
    const delay = range.min + Math.floor(this.random() * (range.max - range.min + 1));
    this.push({ type: 'deliver', time: this.now + delay, seq: 0, to, from: node.index, msg });
  }

  /** What an equivocating node shows node `to`: the other value to the second half. */
  private equivocate(msg: SimMessage, to: number): SimMessage {
    if (!this.secondHalf.has(to)) return msg;
    if (msg.kind === 'proposal') {
      return { kind: 'proposal', proposal: { ...msg.proposal, blockHash: otherValue(msg.proposal.blockHash) } };
    }
    const v = msg.vote;
    if (v.blockHash === null) return msg;
    const proposer = this.validators.indexOf(proposerAt(this.validators, v.height, v.round));
    const byzantineRound = this.nodes[proposer].behaviour !== 'honest';
    return { kind: 'vote', vote: { ...v, blockHash: byzantineRound ? otherValue(v.blockHash) : null } };
  }

  // A binary heap ordered by (time, seq): equal times keep their insertion order.
  private push(event: SimEvent): void {
    event.seq = this.seq++;
    const q = this.queue;
    q.push(event);
    let i = q.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(q[i], q[parent])) break;
      [q[i], q[parent]] = [q[parent], q[i]];
      i = parent;
    }
  }

  private pop(): SimEvent {
    const q = this.queue;
    const top = q[0];
    const last = q.pop()!;
    if (q.length > 0) {
      q[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < q.length && before(q[l], q[m])) m = l;
        if (r < q.length && before(q[r], q[m])) m = r;
        if (m === i) break;
        [q[i], q[m]] = [q[m], q[i]];
        i = m;
      }
    }
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
