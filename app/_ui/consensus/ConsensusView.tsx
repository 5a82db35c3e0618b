'use client';
// /consensus: how the validators are agreeing on the next block, live. The current height's
// rounds as a timeline, every validator's votes per round, each node's own position (a split
// shows), the equivocation evidence, and the last decided heights. On PoA: there are no rounds.
import { useMemo, useState } from 'react';
import { useNow } from '../common/useNow.ts';
import { LiveIndicator } from '../common/LiveIndicator.tsx';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { focusNode, lockText, nodeStatusRows, noRoundsSentence, quorumOf, roundTimeline, validatorName, voteGrid } from './consensusModel.ts';
import { decidedRows, evidenceRows } from './evidenceRows.ts';
import { DecidedHeightsTable, EvidenceTable, NodeConsensusTable } from './ConsensusTables.tsx';
import { RoundTimeline } from './RoundTimeline.tsx';
import { VoteGrid } from './VoteGrid.tsx';
import { useConsensus } from './useConsensus.ts';
import styles from './consensus.module.css';

export function ConsensusView() {
  const { data, error, isPending } = useConsensus();
  const now = useNow();
  const [wanted, setWanted] = useState<string | null>(null);
  const focus = useMemo(() => (data ? focusNode(data.nodes, wanted) : null), [data, wanted]);
  const rs = focus?.roundState ?? null;

  let body;
  if (isPending) body = <Loading what="the consensus state" />;
  else if (error && !data) body = <ErrorState error={error} what="the consensus state" />;
  else if (data) {
    const noRounds = noRoundsSentence(data);
    const withRounds = data.nodes.filter((n) => n.roundState !== null);
    const poa = data.engine === 'poa';
    body = (
      <>
        {noRounds || !rs ? (
          <div className="banner banner-neutral" data-testid="no-rounds">
            {noRounds ?? 'No node reports a round state right now.'}
          </div>
        ) : (
          <>
            <div className={styles.statusLine} data-testid="consensus-status">
              <span className={styles.bigHeight} data-testid="consensus-height" data-height={rs.height}>
                Deciding height {rs.height}
              </span>
              <span>
                round <strong>{rs.round}</strong>, step <strong>{rs.step}</strong>
              </span>
              <span>
                proposer <strong>{validatorName(data.validators, rs.rounds.find((r) => r.round === rs.round)?.proposer ?? null)}</strong>
              </span>
              <span title="A validator locks on a block it precommitted; it only prevotes for another block after a newer polka (+2/3 prevotes).">
                locked: {lockText(rs.lockedRound, rs.lockedBlock)}
              </span>
              <span title="The most recent block that got +2/3 prevotes at this height; a proposer re-proposes it.">valid: {lockText(rs.validRound, rs.validBlock)}</span>
              <label className="small">
                as seen by{' '}
                <select value={focus!.nodeId} onChange={(e) => setWanted(e.target.value)} data-testid="consensus-node-select">
                  {withRounds.map((n) => (
                    <option key={n.nodeId} value={n.nodeId}>
                      {n.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <h2>Rounds at this height</h2>
            <p className="muted small">
              Each round: a proposer proposes a block, every validator prevotes, then precommits; {quorumOf(rs.validators.length)} of {rs.validators.length} precommits for one
              block decide it. A round that fails (no proposal in time, split votes) times out and the next round starts with the next proposer.
            </p>
            <RoundTimeline rounds={roundTimeline(rs, data.validators)} />
            <h2>Votes</h2>
            <p className="muted small">
              A height&apos;s votes arrive within moments of its proposal; the rest of the block time the new height waits for its proposer, so its columns are often still empty.
              The first column shows whose precommits decided the newest height the explorer has indexed.
            </p>
            <VoteGrid
              rows={voteGrid(rs, data.validators, data.lastCommit)}
              rounds={rs.rounds.map((r) => r.round)}
              quorum={quorumOf(rs.validators.length)}
              previous={data.lastCommit ? { height: data.lastCommit.height, round: data.lastCommit.round, short: data.lastCommit.hash.slice(0, 8) } : null}
            />
          </>
        )}
        <h2>Nodes</h2>
        <p className="muted small">
          {poa
            ? 'Which height each node will add next, and whose slot it is.'
            : 'Where each node is itself: nodes at different heights or rounds are marked (a partition or a slow node shows here first).'}
        </p>
        <NodeConsensusTable rows={nodeStatusRows(data)} rounds={!poa} />
        {!poa && (
          <>
            <h2>Evidence</h2>
            <EvidenceTable rows={evidenceRows(data.evidence, data.validators)} now={now} />
            <h2>Recently decided heights</h2>
            <p className="muted small">
              Newest first: the round each height was decided in (above 0: a round failed first), how many validators signed its commit, and the time from the block&apos;s
              timestamp until the commit was seen.
            </p>
            <DecidedHeightsTable rows={decidedRows(data.heights.slice(0, 20), data.validators.length)} />
          </>
        )}
      </>
    );
  }
  return (
    <div data-testid="consensus-page">
      <div className="panel-head">
        <h1>Consensus</h1>
        <LiveIndicator />
      </div>
      <p className="lede">
        How the validators agree on each block{data?.engine ? ` (engine: ${data.engine})` : ''}: read live from every node&apos;s <code>/consensus</code>.
      </p>
      {body}
    </div>
  );
}
