// Turns what the indexer knows about each node into statuses and a network verdict, on a
// steady tick (so a silent node turns 'down' or 'stalled' even when no event arrives), and
// tells listeners only when something a user would see has changed. It also feeds every
// node's finalized tip (from each new /health sample) and the finalized part of its indexed
// chain to the safety checker, and reports what the checker proves as 'violation'.
import { EventEmitter } from 'node:events';
import type { NetworkConsensus, NodeStatus, NodesResponse } from '../../wire/explorer-api.ts';
import type { Indexer } from '../indexer/indexer.ts';
import type { NodeSubscriber } from '../indexer/node-subscriber.ts';
import type { HealthPoller } from '../indexer/health-poller.ts';
import type { BlockGraph } from '../indexer/block-graph.ts';
import { judgeConsensus, type NodeChainView } from './consensus.ts';
import { readFinality, type NodeFinality } from './node-finality.ts';
import { SafetyChecker, type SafetyViolation } from './safety-checker.ts';
import { VotesHeardProbe } from './votes-heard.ts';
import type { ConsensusState } from '../../wire/node-api.ts';

/** Heights of a node's indexed chain fed to the checker per health sample at most (catch-up is spread over samples). */
const CHAIN_FEED_PER_SAMPLE = 256;

/** What the monitor remembers of one node's finality between evaluations. */
interface FinalityTrack {
  /** The /health sample last read (a new object per sample). */
  sample: unknown;
  finality: NodeFinality;
  /** The node's finalized tip for liveness and finalizedHeight: the higher of /health's and the last /stream commit. */
  tip: { height: number; hash: string } | null;
  /** When `tip` last rose (ms). */
  lastFinalizedAt: number | null;
  /** The highest height of its indexed chain fed to the checker. */
  chainFedTo: number;
}

export interface MonitorEvents {
  /** Every node's status and the verdict of the same evaluation, when either changed visibly. */
  snapshot: [NodesResponse];
  consensus: [NetworkConsensus];
  /** Every evaluation (once a second at least), for rules that need time to pass. */
  tick: [];
  /** The network went from forked back to agreed. */
  converged: [NonNullable<NetworkConsensus['lastConvergence']>];
  /** The safety checker proved a violation (each once). */
  violation: [SafetyViolation];
}

export class NetworkMonitor extends EventEmitter<MonitorEvents> {
  private timer: NodeJS.Timeout | null = null;
  private lastNodesJson = '';
  private lastConsensusJson = '';
  private nodesSnapshot: NodeStatus[] = [];
  private consensusSnapshot: NetworkConsensus = { status: 'unknown', agreedHeight: null };
  /** Number of the last evaluation that changed what a page shows; from the clock, so it grows across restarts and leaders. */
  private snapshotSeq = Date.now() * 1000;
  private status: NetworkConsensus['status'] = 'unknown';
  private statusSince = Date.now();
  private forkedAt: number | null = null;
  private healedAt: number | null = null;
  private lastConvergence: NetworkConsensus['lastConvergence'];
  private readonly finality = new Map<string, FinalityTrack>();
  private readonly checker: SafetyChecker;
  private readonly votesProbe: VotesHeardProbe | null;

  constructor(
    private readonly indexer: Indexer,
    private readonly opts: {
      blockTimeMs: number;
      tickMs?: number;
      safetyWindowHeights?: number;
      /** Reads a node's GET /consensus; while halted, the votes each node hears name who is cut off. */
      fetchConsensus?: (url: string) => Promise<ConsensusState>;
      onProbeError?: (nodeId: string, err: unknown) => void;
    },
  ) {
    super();
    this.checker = new SafetyChecker({ windowHeights: opts.safetyWindowHeights });
    this.votesProbe = opts.fetchConsensus ? new VotesHeardProbe({ intervalMs: 2_000, onError: opts.onProbeError ?? (() => {}) }) : null;
  }

  /** Every safety violation seen since the server started (never cleared). */
  safetyViolations(): readonly SafetyViolation[] {
    return this.checker.violations();
  }

  start(): void {
    this.evaluate();
    this.timer = setInterval(() => this.evaluate(), this.opts.tickMs ?? 1_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  nodes(): NodeStatus[] {
    return this.nodesSnapshot;
  }

  consensus(): NetworkConsensus {
    return this.consensusSnapshot;
  }

  /** Rows and verdict of one evaluation, numbered: what a page shows side by side must come from here. */
  snapshot(): NodesResponse {
    return { nodes: this.nodesSnapshot, network: this.consensusSnapshot, seq: this.snapshotSeq };
  }

  /** A heal was applied: convergence time is then measured from this moment. */
  noteHeal(at = Date.now()): void {
    this.healedAt = at;
  }

  private trackStatus(next: NetworkConsensus, now: number): void {
    if (next.status === this.status) return;
    if (next.status === 'forked') {
      this.forkedAt = now;
      this.healedAt = null;
    } else if (next.status === 'agreed' && this.status === 'forked' && this.forkedAt !== null) {
      const from = this.healedAt !== null && this.healedAt >= this.forkedAt ? this.healedAt : this.forkedAt;
      this.lastConvergence = { forkedAt: this.forkedAt, agreedAt: now, ms: now - from, height: next.agreedHeight };
      this.forkedAt = null;
      this.healedAt = null;
      this.emit('converged', this.lastConvergence);
    }
    this.status = next.status;
    this.statusSince = now;
  }

  evaluate(now = Date.now()): void {
    const subs = this.indexer.subscribers().filter((s) => s.nodeId !== null);
    const found: SafetyViolation[] = [];
    for (const s of subs) found.push(...this.trackFinality(s, now));
    const views: NodeChainView[] = subs.map((s) => {
      const f = this.finality.get(s.nodeId!);
      return {
        id: s.nodeId!,
        name: s.record?.name,
        validator: s.record?.validator ?? false,
        reachable: s.state !== 'down',
        head: s.chain.head,
        lastHeadAt: s.lastHeadAt,
        hashAt: (h) => s.chain.hashAt(h),
        engine: f?.finality.engine ?? null,
        finalized: f?.tip ?? null,
        lastFinalizedAt: f?.lastFinalizedAt ?? null,
        publicKey: s.record?.publicKey,
        votesHeard: this.votesProbe?.reading(s.nodeId!, now)?.heard ?? null,
      };
    });
    // Health-only nodes: only their head is read, so their chain is known as far as the
    // blocks indexed from full nodes reach below that head (often not at all).
    const pollers = this.indexer.healthOnlyNodes();
    for (const p of pollers) {
      views.push({
        id: p.nodeId,
        name: p.target.name,
        validator: false,
        reachable: p.state !== 'down',
        head: p.head,
        lastHeadAt: p.lastHeadAt,
        hashAt: (h) => hashBelowHead(p.head, h, this.indexer.graph),
        headOnly: true,
      });
    }
    const verdict = judgeConsensus(views, {
      now,
      blockTimeMs: this.opts.blockTimeMs,
      stallBlockTimes: 5,
      behindBlocks: 3,
    });
    this.probeVotes(verdict.network.status, subs, now);
    this.nodesSnapshot = [...subs.map((s) => toStatus(s, verdict.nodes.get(s.nodeId!))), ...pollers.map((p) => healthOnlyStatus(p, verdict.nodes.get(p.nodeId)))];
    this.trackStatus(verdict.network, now);
    this.consensusSnapshot = {
      ...verdict.network,
      since: this.statusSince,
      ...(this.lastConvergence ? { lastConvergence: this.lastConvergence } : {}),
    };

    // Ages are derived in the browser from lastHeadAt, so equal JSON means nothing visible changed.
    const nodesJson = JSON.stringify(this.nodesSnapshot);
    const consensusJson = JSON.stringify(this.consensusSnapshot);
    const nodesChanged = nodesJson !== this.lastNodesJson;
    const consensusChanged = consensusJson !== this.lastConsensusJson;
    this.lastNodesJson = nodesJson;
    this.lastConsensusJson = consensusJson;
    // Rows and verdict leave together, under one number: a page never pairs rows of one
    // evaluation with a verdict (or lags) of another.
    if (nodesChanged || consensusChanged) {
      this.snapshotSeq++;
      this.emit('snapshot', this.snapshot());
    }
    this.emit('tick');
    if (consensusChanged) this.emit('consensus', this.consensusSnapshot);
    for (const v of found) this.emit('violation', v);
  }

  /** Moves the node's liveness tip up (never down: a /health sample may be older than the last commit event). */
  private raiseTip(track: FinalityTrack, tip: { height: number; hash: string } | null, now: number): void {
    if (!tip || (track.tip && tip.height <= track.tip.height)) return;
    track.tip = { height: tip.height, hash: tip.hash };
    track.lastFinalizedAt = now;
  }

  /** While halted, ask the reachable validators whom they hear (read at the next evaluation). */
  private probeVotes(status: NetworkConsensus['status'], subs: NodeSubscriber[], now: number): void {
    const fetch = this.opts.fetchConsensus;
    if (!this.votesProbe || !fetch) return;
    if (status !== 'halted') return this.votesProbe.clear();
    const targets = subs.filter((s) => s.state !== 'down' && s.record?.validator).map((s) => ({ nodeId: s.nodeId!, fetch: () => fetch(s.url) }));
    this.votesProbe.poll(targets, now);
  }

  /**
   * Reads a node's newest /health sample once: its finalized tip goes to the checker (PoA and
   * nodes without finality feed nothing), then the part of its indexed chain at or under that
   * tip (a BFT node's canonical chain there is its finalized chain), so a conflict is found
   * even at heights no /health sample happened to name.
   */
  private trackFinality(s: NodeSubscriber, now: number): SafetyViolation[] {
    const id = s.nodeId!;
    const track = this.finality.get(id) ?? { sample: null, finality: { engine: null, finalized: null }, tip: null, lastFinalizedAt: null, chainFedTo: -1 };
    this.finality.set(id, track);
    // Liveness reads commits as they stream (a /health sample comes every 5 s, which alone
    // would call a healthy network with 500 ms blocks halted between samples).
    this.raiseTip(track, s.lastCommit, now);
    if (s.lastHealth === null || s.lastHealth === track.sample) return [];
    track.sample = s.lastHealth;
    track.finality = readFinality(s.lastHealth);
    const tip = track.finality.finalized;
    if (!tip) return [];
    this.raiseTip(track, tip, now);
    const out = this.checker.observeFinalized({ nodeId: id, at: now, height: tip.height, hash: tip.hash, source: 'health' });
    const from = Math.max(track.chainFedTo + 1, this.checker.floor());
    const to = Math.min(tip.height, s.chain.head?.height ?? -1, from + CHAIN_FEED_PER_SAMPLE - 1);
    for (let h = from; h <= to; h++) {
      const hash = s.chain.hashAt(h);
      if (hash === undefined) continue; // outside the indexed window
      out.push(...this.checker.observeBlock({ nodeId: id, at: now, height: h, hash, source: 'indexed chain' }));
    }
    track.chainFedTo = Math.max(track.chainFedTo, to);
    return out;
  }
}

type Judged = { status: NodeStatus['status']; reason: string | null; lag: number | null } | undefined;

/** Steps of the parent walk below a health-only node's head (each a map lookup). */
const HEAD_WALK_LIMIT = 64;

/** A health-only node's hash at `height`: its head, or an ancestor of it when the index holds the links. */
export function hashBelowHead(head: { height: number; hash: string } | null, height: number, graph: Pick<BlockGraph, 'get'>): string | undefined {
  if (!head || height > head.height || head.height - height > HEAD_WALK_LIMIT) return undefined;
  let hash = head.hash;
  for (let h = head.height; h > height; h--) {
    const link = graph.get(hash);
    if (!link) return undefined;
    hash = link.parentHash;
  }
  return hash;
}

function healthOnlyStatus(p: HealthPoller, judged: Judged): NodeStatus {
  const down = p.state === 'down';
  return {
    id: p.nodeId,
    name: p.target.name,
    url: p.url,
    source: 'attached',
    status: judged?.status ?? 'down',
    statusReason: down ? (p.lastError ?? 'not answering') : (judged?.reason ?? null),
    height: p.head?.height ?? null,
    headHash: p.head?.hash ?? null,
    lag: judged?.lag ?? null,
    peers: null,
    lastHeadAt: p.lastHeadAt,
    nodeHealth: null,
    healthReasons: [],
    validator: false,
    healthOnly: true,
  };
}

function toStatus(s: NodeSubscriber, judged: Judged): NodeStatus {
  const h = s.lastHealth;
  const down = s.state === 'down';
  return {
    id: s.nodeId!,
    name: s.record?.name ?? s.url,
    url: s.url,
    source: s.record?.source ?? 'attached',
    status: judged?.status ?? 'down',
    statusReason: down ? (s.lastError ?? 'not answering') : (judged?.reason ?? null),
    height: s.chain.head?.height ?? null,
    headHash: s.chain.head?.hash ?? null,
    lag: judged?.lag ?? null,
    // Peers that count: links that carried traffic lately (a partitioned link stays 'connected').
    peers: h ? (h.peers.carrying ?? h.peers.connected) : null,
    lastHeadAt: s.lastHeadAt,
    nodeHealth: down ? null : (h?.status ?? null),
    healthReasons: down ? [] : (h?.reasons ?? []),
    validator: s.record?.validator ?? false,
  };
}
