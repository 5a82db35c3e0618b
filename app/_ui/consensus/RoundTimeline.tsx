'use client';
// The rounds of the height being decided, left to right: who proposed what, how far the round
// got, which timeouts fired and why it ended.
import type { TimelineRound } from './consensusModel.ts';
import { blockColor } from './blockPalette.ts';
import styles from './consensus.module.css';

function Tally({ label, t }: { label: string; t: TimelineRound['prevotes'] }) {
  return (
    <div>
      {label}: {t.block} for a block · {t.nil} nil · {t.missing} missing
    </div>
  );
}

export function RoundTimeline({ rounds }: { rounds: TimelineRound[] }) {
  return (
    <ol className={styles.timeline} data-testid="round-timeline" aria-label="Rounds at this height">
      {rounds.map((r, i) => (
        <li
          key={r.round}
          className={`${styles.round} ${r.current ? styles.roundCurrent : ''} ${r.outcome.startsWith('decided') ? styles.roundDecided : ''}`}
          data-testid="timeline-round"
          data-round={r.round}
        >
          <div className={styles.roundHead}>
            <span>
              {i > 0 && <span className={styles.arrow}>→ </span>}Round {r.round}
            </span>
            <span className="muted">{r.current ? 'now' : ''}</span>
          </div>
          <div>
            Proposer <strong>{r.proposerName}</strong>
          </div>
          <div>
            {r.proposal ? (
              <>
                Proposal{' '}
                <span className={styles.cell} style={{ background: blockColor(r.proposalColor ?? 0), color: '#fff' }}>
                  {r.proposal}
                </span>
              </>
            ) : (
              <span className="muted">no proposal</span>
            )}
          </div>
          <div>
            Step reached: <strong>{r.step}</strong>
          </div>
          <Tally label="Prevotes" t={r.prevotes} />
          <Tally label="Precommits" t={r.precommits} />
          <div>Timeouts: {r.timeouts.length ? r.timeouts.join(', ') : <span className="muted">none</span>}</div>
          <div className="strong" data-testid="round-outcome">
            {r.outcome}
          </div>
        </li>
      ))}
    </ol>
  );
}
