// The seam every consensus engine plugs into. An engine is three things at once:
//  - ChainRules, the half the chain sees: block/header checks, fork choice, finalized();
//  - a Reactor, the half P2P sees: the message types it owns (proposals, votes…) with their
//    schemas and handlers, registered with the host by the node like gossip and catch-up;
//  - a lifecycle: start(ctx) hands it everything it may act through (the chain to read, the
//    network to send on, a door to import the blocks it makes or decides, its own timers),
//    stop() takes it back. Nothing in p2p or sync knows which engine runs;
//  - what the node's surfaces read (/health, GET /consensus, /metrics): status() and
//    roundState(), and the events it emits through ctx.events (/stream `round`, `commit`,
//    `votes`, `evidence`). Their shapes are engine-agnostic, declared in wire/node-api.ts;
//    evidence() lists the equivocations an engine with signed votes detected (GET /consensus).
// Engines are built by engine-factory.ts from the genesis file; each must pass the
// compliance suite (compliance/engine-compliance.ts).
import type { z } from 'zod';
import type { EvidenceRecord, Misbehaviour } from '../../wire/bft.ts';
import type { Block, CommitNotice, ConsensusRoundState, ConsensusStatus, RoundChange, Tx, VoteProgress } from '../../wire/node-api.ts';
import type { Chain } from '../chain/chain.ts';
import type { Clock } from '../chain/clock.ts';
import type { ChainError } from '../chain/errors.ts';
import type { Genesis } from '../chain/genesis.ts';
import type { KeyPair } from '../chain/keys.ts';
import type { ChainRules } from '../chain/rules.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { Reactor } from '../p2p/message-registry.ts';
import type { P2PHost } from '../p2p/p2p-host.ts';

export interface ConsensusEngine extends ChainRules, Reactor {
  /** The engine's name, as genesis names it (`consensus.engine`). */
  readonly name: string;
  /** Whether `publicKey` takes part in consensus (propose, vote); told to peers in the hello. */
  isValidator(publicKey: string): boolean;
  /**
   * Starts taking part: arms timers, proposes, votes. Messages that arrive before start are
   * dropped by the engine. A second call while running does nothing.
   */
  start(ctx: EngineContext): void;
  /** Idempotent: clears every timer; no send, import or timer callback after it returns. */
  stop(): void;
  /**
   * Where the engine stands (/health `consensus`, GET /consensus). Cheap: read on every
   * /health. While running, (height, round) never goes backwards; `height` is above
   * finalized()'s. Before start: height 0, proposer null.
   */
  status(): ConsensusStatus;
  /** The round state of the height being decided (GET /consensus); null for engines without rounds. */
  roundState(): ConsensusRoundState | null;
  /**
   * Chaos only: make this validator byzantine (wire/bft.ts Misbehaviour), or honest again with
   * null. Optional: an engine without it answers the admin endpoint 409 ENGINE_UNSUPPORTED.
   * The behaviour lives in memory; a restarted node is honest.
   */
  setMisbehaviour?(behaviour: Misbehaviour | null): void;
  misbehaviour?(): Misbehaviour | null;
  /** Equivocations this node detected, newest last (GET /consensus `evidence`); optional: engines without signed votes have none. */
  evidence?(): EvidenceRecord[];
  /**
   * Optional: the earliest time (consensus clock, ms) at or after `timeMs` when no block is
   * expected to be on its way through the network, for traffic that can wait a few ms (tx
   * gossip) to keep out of a block's path. Engines whose blocks come on a schedule know it;
   * others leave it out and such traffic is not held.
   */
  quietAt?(timeMs: number): number;
}

/** What a running engine reads and acts through; the node builds it (fakes in tests). */
export interface EngineContext {
  /** This node's key: signs blocks, proposals and votes. */
  key: KeyPair;
  /** Consensus time (wall clock plus the chaos offset); onChange fires when the offset moves. */
  clock: EngineClock;
  /** Read the chain and follow it (listen for heads). Blocks go in through submitBlock. */
  chain: EngineChain;
  /** Send the engine's own messages to one peer or many; penalize a peer for a bad one. */
  network: EngineNetwork;
  /** The engine's timers (timeouts, slot boundaries); tests pass fakes. */
  timers: EngineTimers;
  /**
   * A directory of the engine's own for durable state (a BFT write-ahead log), inside the
   * node's data dir; not created until the engine needs it.
   */
  dataDir: string;
  /** Txs for a new block, valid on the current head, at most `max`. */
  selectTxs(max: number): Tx[];
  /**
   * Imports a block this engine made or decided, and gossips it to peers when accepted
   * (the same door as blocks from the network, so the same checks apply).
   */
  submitBlock(block: Block): SubmitOutcome;
  /** Chaos "pause": a paused node is frozen; the engine neither proposes nor votes. */
  isPaused(): boolean;
  /**
   * False until the node, just started, has caught up with its peers (node/sync/startup-gate.ts):
   * a block proposed on a stale head is only a fork the network replaces. PoA holds its
   * blocks; BFT needs no gate (a proposal without a quorum decides nothing).
   */
  mayPropose(): boolean;
  /** Consensus progress for /stream; an engine without rounds (PoA) emits nothing. */
  events: EngineEvents;
  logger: Logger;
  metrics: Metrics;
}

/**
 * What an engine tells the node's /stream. round() and commit() are published as they come
 * (a handful per height); votes() may be called on every vote: the node aggregates it (at
 * most one event per (height, round, type) per VOTE_PROGRESS_INTERVAL_MS, and the last count
 * is flushed when round() reports a step change), so an engine never throttles it itself.
 * The engine observes the round metrics (consensus_round_duration_seconds,
 * consensus_missing_validators, consensus_duplicate_votes_total) through ctx.metrics;
 * consensus_height and consensus_rounds the node sets from status().
 * evidence() is called once per new piece of equivocation evidence (/stream `evidence`).
 */
export interface EngineEvents {
  round(change: RoundChange): void;
  commit(notice: CommitNotice): void;
  votes(progress: VoteProgress): void;
  evidence(record: EvidenceRecord): void;
}

/** Events that go nowhere (tests, tools). */
export const silentEngineEvents: EngineEvents = { round: () => {}, commit: () => {}, votes: () => {}, evidence: () => {} };

export type EngineClock = Pick<Clock, 'now' | 'onChange'>;
export type EngineChain = Pick<Chain, 'chainId' | 'genesisHash' | 'head' | 'headRef' | 'has' | 'getByHash' | 'getByHeight' | 'isCanonical' | 'headState' | 'listen'>;
export type EngineNetwork = Pick<P2PHost, 'send' | 'broadcast' | 'connected' | 'penalize'>;

export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: EngineTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type SubmitOutcome = { status: 'accepted' | 'known' | 'orphan' } | { status: 'rejected'; error: ChainError };

/** Node-local settings an engine may use (from the node's config, not from genesis). */
export interface EngineOptions {
  /** How far ahead of local time a block may be stamped before it is refused. */
  maxFutureMs?: number;
}

/** One engine as the factory knows it: its genesis parameters and how to build it. */
export interface EngineDefinition<P = unknown> {
  /** As written in genesis: `consensus: { engine: name, ...params }`. */
  readonly name: string;
  /** The engine's genesis parameters (every key of `consensus` but `engine`). */
  readonly params: z.ZodType<P>;
  create(genesis: Genesis, params: P, opts: EngineOptions): ConsensusEngine;
}
