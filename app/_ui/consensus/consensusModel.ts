// The consensus page's view model: from GET /api/consensus to what the page draws (which
// node's round state to show, the round timeline, the vote grid, the node status rows).
// Pure, so every rule is unit-tested without a browser.
import type { ConsensusNodeView, ConsensusResponse, ConsensusValidator } from '../../../wire/explorer-api.ts';
import type { ConsensusRound, ConsensusRoundState, ConsensusStep, RoundVote } from '../../../wire/node-api.ts';

/** Votes needed among n equal validators: more than two thirds (Tendermint's +2/3). */
export function quorumOf(n: number): number {
  return Math.floor((2 * n) / 3) + 1;
}

/** A block hash as the page shows it: its first 8 hex digits. */
export function shortBlock(hash: string): string {
  return hash.slice(0, 8);
}

/** A validator's node name, or its key shortened when it is not one of our nodes. */
export function validatorName(validators: readonly ConsensusValidator[], key: string | null): string {
  if (key === null) return '—';
  return validators.find((v) => v.publicKey === key)?.name ?? `${key.slice(0, 8)}…`;
}

/**
 * Whose round state the page shows: the node asked for, when it has one; otherwise the node
 * furthest along (highest height, then round), so a lagging or dead node never hides the
 * network's progress. Null when no node has a round state (PoA, or every node down).
 */
export function focusNode(nodes: readonly ConsensusNodeView[], wanted: string | null): ConsensusNodeView | null {
  const withRounds = nodes.filter((n) => n.roundState !== null);
  const chosen = withRounds.find((n) => n.nodeId === wanted);
  if (chosen) return chosen;
  return [...withRounds].sort((a, b) => b.roundState!.height - a.roundState!.height || b.roundState!.round - a.roundState!.round)[0] ?? null;
}

/** One cell of the vote grid. */
export type VoteCell = { kind: 'block'; hash: string; short: string; color: number } | { kind: 'nil' } | { kind: 'missing' };

/**
 * A colour index per distinct block hash of the height, in order of first appearance
 * (proposals first, then votes), so one block keeps one colour across every round and row.
 */
export function blockColors(rs: ConsensusRoundState): Map<string, number> {
  const colors = new Map<string, number>();
  const see = (v: string | null) => {
    if (v !== null && v !== 'nil' && !colors.has(v)) colors.set(v, colors.size);
  };
  for (const r of rs.rounds) see(r.proposal);
  for (const r of rs.rounds) for (const v of [...r.prevotes, ...r.precommits]) see(v);
  return colors;
}

export function voteCell(vote: RoundVote | undefined, colors: Map<string, number>): VoteCell {
  if (vote === null || vote === undefined) return { kind: 'missing' };
  if (vote === 'nil') return { kind: 'nil' };
  return { kind: 'block', hash: vote, short: shortBlock(vote), color: colors.get(vote) ?? 0 };
}

export interface VoteGridRow {
  publicKey: string;
  name: string;
  nodeId: string | null;
  /** Per round, in the order of `rounds`: this validator's prevote and precommit. */
  cells: Array<{ round: number; prevote: VoteCell; precommit: VoteCell }>;
  /** Whether its precommit is in the newest indexed commit (of a lower height); null when none is known. */
  commit: { signed: boolean } | null;
}

/**
 * Rows = validators (engine order), columns = rounds × (prevote, precommit), and first the
 * newest decided height's commit (a height's votes come in a burst right after its proposal;
 * between blocks a recent commit is what there is to see).
 */
export function voteGrid(rs: ConsensusRoundState, validators: readonly ConsensusValidator[], lastCommit: ConsensusResponse['lastCommit'] = null): VoteGridRow[] {
  const colors = blockColors(rs);
  // The newest indexed commit lags the nodes by a height or two: any commit below this height will do.
  const previous = lastCommit && lastCommit.height < rs.height ? new Set(lastCommit.signers) : null;
  return rs.validators.map((key, i) => {
    const v = validators.find((x) => x.publicKey === key);
    return {
      publicKey: key,
      name: v?.name ?? `${key.slice(0, 8)}…`,
      nodeId: v?.nodeId ?? null,
      commit: previous ? { signed: previous.has(key) } : null,
      cells: rs.rounds.map((r) => ({ round: r.round, prevote: voteCell(r.prevotes[i], colors), precommit: voteCell(r.precommits[i], colors) })),
    };
  });
}

/** The value holding +2/3 of `votes` (a block hash or 'nil'), or null when none does. */
export function quorumValue(votes: readonly RoundVote[], n: number): string | null {
  const counts = new Map<string, number>();
  for (const v of votes) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  for (const [value, count] of counts) if (count >= quorumOf(n)) return value;
  return null;
}

/** "3/4 prevotes: 3 for 1a2b3c4d" style tally of one vote kind. */
export function tally(votes: readonly RoundVote[]): { block: number; nil: number; missing: number } {
  let block = 0;
  let nil = 0;
  let missing = 0;
  for (const v of votes) {
    if (v === null) missing++;
    else if (v === 'nil') nil++;
    else block++;
  }
  return { block, nil, missing };
}

export interface TimelineRound {
  round: number;
  proposerName: string;
  /** The proposed block, shortened; null: no proposal arrived. */
  proposal: string | null;
  proposalColor: number | null;
  /** The furthest step the round reached. */
  step: ConsensusStep;
  timeouts: string[];
  /** Why the round ended, or what it is doing now (the current round). */
  outcome: string;
  current: boolean;
  prevotes: { block: number; nil: number; missing: number };
  precommits: { block: number; nil: number; missing: number };
}

function stepReached(r: ConsensusRound, n: number): ConsensusStep {
  const decided = quorumValue(r.precommits, n);
  if (decided !== null && decided !== 'nil') return 'commit';
  if (r.precommits.some((v) => v !== null) || r.timeouts.includes('prevote')) return 'precommit';
  if (r.prevotes.some((v) => v !== null) || r.timeouts.includes('propose')) return 'prevote';
  return 'propose';
}

function outcomeOf(r: ConsensusRound, n: number, current: boolean, step: ConsensusStep, proposerName: string): string {
  const decided = quorumValue(r.precommits, n);
  if (decided !== null && decided !== 'nil') return `decided ${shortBlock(decided)}`;
  if (current) return step === 'propose' ? `waiting for ${proposerName}'s proposal` : step === 'commit' ? 'committing' : `collecting ${step}s`;
  if (decided === 'nil') return '+2/3 precommitted nil → next round';
  if (r.timeouts.includes('precommit')) return 'precommit timeout: no +2/3 for one block → next round';
  return 'skipped: validators moved to a higher round';
}

/** The rounds of the height, left to right: proposer, proposal, step reached, timeouts and why each ended. */
export function roundTimeline(rs: ConsensusRoundState, validators: readonly ConsensusValidator[]): TimelineRound[] {
  const n = rs.validators.length;
  const colors = blockColors(rs);
  return rs.rounds.map((r) => {
    const current = r.round === rs.round;
    const step = current ? rs.step : stepReached(r, n);
    const proposerName = validatorName(validators, r.proposer);
    return {
      round: r.round,
      proposerName,
      proposal: r.proposal ? shortBlock(r.proposal) : null,
      proposalColor: r.proposal ? (colors.get(r.proposal) ?? null) : null,
      step,
      timeouts: [...r.timeouts],
      outcome: outcomeOf(r, n, current, step, proposerName),
      current,
      prevotes: tally(r.prevotes),
      precommits: tally(r.precommits),
    };
  });
}

/** "round 1 (block 1a2b3c4d)", or "none" when the value is -1. */
export function lockText(round: number, block: string | null): string {
  if (round < 0) return 'none';
  return `round ${round}${block ? ` (block ${shortBlock(block)})` : ''}`;
}

export interface NodeStatusRow {
  nodeId: string;
  name: string;
  height: number | null;
  round: number | null;
  step: string;
  proposerName: string;
  locked: string;
  error: string | null;
  /** Not at the height most nodes are deciding, or not in the same round: a split to see. */
  apart: boolean;
}

/** Each node's own height, round and step; nodes away from the most common (height, round) are marked. */
export function nodeStatusRows(view: ConsensusResponse): NodeStatusRow[] {
  const counts = new Map<string, number>();
  for (const n of view.nodes) if (n.status) counts.set(`${n.status.height}/${n.status.round}`, (counts.get(`${n.status.height}/${n.status.round}`) ?? 0) + 1);
  const common = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return view.nodes.map((n) => ({
    nodeId: n.nodeId,
    name: n.name,
    height: n.status?.height ?? null,
    round: n.status?.round ?? null,
    step: n.status ? (n.status.step ?? '—') : '—',
    proposerName: validatorName(view.validators, n.status?.proposer ?? null),
    locked: n.roundState ? lockText(n.roundState.lockedRound, n.roundState.lockedBlock) : n.status ? lockText(n.status.lockedRound, null) : '—',
    error: n.error,
    apart: n.status !== null && common !== undefined && `${n.status.height}/${n.status.round}` !== common,
  }));
}

/** What the page says about the engine when there are no rounds to show. */
export function noRoundsSentence(view: ConsensusResponse): string | null {
  if (view.engine === null) return 'No node answered GET /consensus yet.';
  if (view.engine === 'poa') return 'This network runs proof-of-authority (PoA): each slot has one proposer and no voting, so there are no rounds, votes or locks to show.';
  if (view.nodes.every((n) => n.roundState === null)) return `The ${view.engine} engine reports no round state yet.`;
  return null;
}
