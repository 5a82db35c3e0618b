'use client';
// Each validator's prevote and precommit in every round of the height: a coloured short hash
// for a block (one colour per block), "nil", or a dashed "—" when the vote has not arrived.
// The first column: who signed the commit of the height just decided.
import Link from 'next/link';
import type { VoteCell, VoteGridRow } from './consensusModel.ts';
import { blockColor } from './blockPalette.ts';
import styles from './consensus.module.css';

function Cell({ vote }: { vote: VoteCell }) {
  if (vote.kind === 'missing')
    return (
      <span className={`${styles.cell} ${styles.missing}`} data-vote="missing" title="no vote received yet">
        —
      </span>
    );
  if (vote.kind === 'nil')
    return (
      <span className={`${styles.cell} ${styles.nil}`} data-vote="nil" title="a vote for nil (no block)">
        nil
      </span>
    );
  return (
    <span className={styles.cell} data-vote="block" style={{ background: blockColor(vote.color), color: '#fff' }} title={`a vote for block ${vote.hash}`}>
      {vote.short}
    </span>
  );
}

/** The newest indexed commit below the height being decided, when the rows carry it. */
export interface PreviousCommit {
  height: number;
  round: number;
  short: string;
}

export function VoteGrid({ rows, rounds, quorum, previous }: { rows: VoteGridRow[]; rounds: number[]; quorum: number; previous: PreviousCommit | null }) {
  const withCommit = previous !== null && rows.some((r) => r.commit !== null);
  return (
    <div className="table-scroll">
      <table className={styles.grid} data-testid="vote-grid">
        <thead>
          <tr>
            <th rowSpan={2}>Validator</th>
            {withCommit && (
              <th
                className={styles.previous}
                data-testid="previous-commit-height"
                data-height={previous.height}
                title="The newest decided height the explorer has indexed: whose precommit made it into its commit certificate"
              >
                Height {previous.height} (decided)
              </th>
            )}
            {rounds.map((r) => (
              <th key={r} colSpan={2}>
                Round {r}
              </th>
            ))}
          </tr>
          <tr>
            {withCommit && <th className={styles.previous}>in its commit (round {previous.round})</th>}
            {rounds.map((r) => [<th key={`${r}p`}>prevote</th>, <th key={`${r}c`}>precommit</th>])}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.publicKey} data-validator={row.name}>
              <th scope="row">{row.nodeId ? <Link href={`/nodes/${encodeURIComponent(row.nodeId)}`}>{row.name}</Link> : <span title={row.publicKey}>{row.name}</span>}</th>
              {withCommit && (
                <td className={styles.previous} data-testid="previous-commit-cell" data-signed={row.commit?.signed}>
                  {row.commit?.signed ? (
                    <span className={`${styles.cell} ${styles.signed}`} title={`precommitted block ${previous.short}, counted in the commit of height ${previous.height}`}>
                      ✓ {previous.short}
                    </span>
                  ) : (
                    <span className={`${styles.cell} ${styles.missing}`} title="its precommit is not in the commit (late, nil or missing); the others were enough">
                      —
                    </span>
                  )}
                </td>
              )}
              {row.cells.map((c) => [
                <td key={`${c.round}p`}>
                  <Cell vote={c.prevote} />
                </td>,
                <td key={`${c.round}c`}>
                  <Cell vote={c.precommit} />
                </td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.key}>
        <span>
          <span className={styles.cell} style={{ background: blockColor(0), color: '#fff' }}>
            1a2b3c4d
          </span>{' '}
          vote for a block (one colour per block)
        </span>
        <span>
          <span className={`${styles.cell} ${styles.nil}`}>nil</span> vote for no block
        </span>
        <span>
          <span className={`${styles.cell} ${styles.missing}`}>—</span> not received
        </span>
        {withCommit && (
          <span>
            <span className={`${styles.cell} ${styles.signed}`}>✓ 1a2b3c4d</span> precommit counted in that height&apos;s commit
          </span>
        )}
        <span className="muted">A block is decided with {quorum} precommits for it (more than 2/3).</span>
      </div>
    </div>
  );
}
