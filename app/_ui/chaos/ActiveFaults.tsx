'use client';
// Faults in force now, each with a countdown when it reverts by itself and a revert button;
// and the big "Heal everything" button.
import { useId, type ReactNode } from 'react';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import { clockTime } from '../../_lib/format.ts';
import { useNow } from '../common/useNow.ts';
import { useActionForm } from './ChaosActions.tsx';
import { OutcomeLine } from './Fields.tsx';
import { KIND_LABELS, actorLabel, countdown, describeAction, type Names } from './chaosModel.ts';
import styles from './chaos.module.css';

export function HealEverything({ activeCount }: { activeCount: number }) {
  const { names, outcome, busy, run } = useActionForm();
  const heal = () =>
    run(
      { kind: 'heal' },
      {
        title: 'Heal everything?',
        confirmLabel: 'Heal everything',
        body: (
          <p>
            Reverts {activeCount === 0 ? 'every fault' : activeCount === 1 ? 'the 1 active fault' : `all ${activeCount} active faults`}, clears every node&apos;s link rules (also
            ones left by an earlier run), resumes paused nodes and resets clocks. Killed nodes are not restarted. The nodes then reconverge on one chain.
          </p>
        ),
      },
    );
  return (
    <div className={styles.healBox}>
      <button type="button" className={`button ${styles.healButton}`} onClick={() => void heal()} aria-disabled={busy || undefined} data-testid="heal-everything">
        Heal everything…
      </button>
      <OutcomeLine outcome={outcome} names={names} testId="heal-outcome" />
    </div>
  );
}

export function ActiveFaults({ active, names, canAct, heal }: { active: ChaosRecord[]; names: Names; canAct: boolean; heal?: ReactNode }) {
  const now = useNow();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} data-testid="active-faults">
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>
          Active faults <span className="muted small">({active.length})</span>
        </h2>
        {heal}
      </div>
      {active.length === 0 ? (
        <div className="state" data-testid="no-active-faults">
          No active faults: every link, clock and node runs normally.
        </div>
      ) : (
        <ul className={styles.activeList}>
          {active.map((r) => (
            <ActiveFault key={r.id} record={r} names={names} now={now} canAct={canAct} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ActiveFault({ record: r, names, now, canAct }: { record: ChaosRecord; names: Names; now: number; canAct: boolean }) {
  const { outcome, busy, run } = useActionForm();
  // `now` ticks once a second; never show more than the action's own duration.
  const limit = typeof r.params.durationSec === 'number' ? r.params.durationSec * 1000 : Infinity;
  const left = r.expiresAt !== null ? Math.min(r.expiresAt - now, limit) : null;
  return (
    <li className={styles.activeItem} data-testid="active-fault" data-kind={r.kind} data-id={r.id}>
      <span className={`badge badge-bad ${styles.kindBadge}`}>{KIND_LABELS[r.kind]}</span>
      <span className={styles.activeText}>
        <span className="muted">#{r.id}</span> {describeAction(r.kind, r.params, names)}
        {r.status === 'partial' && <span className="badge badge-warn small-badge">partly applied</span>}
        <span className="muted small">
          {' '}
          · since {clockTime(r.at)} by {actorLabel(r.actor)}
        </span>
      </span>
      <span className={styles.timer}>{left === null ? 'until reverted' : left > 0 ? `reverts in ${countdown(left)}` : 'reverting…'}</span>
      {canAct && (
        <button type="button" className="button" onClick={() => void run({ kind: 'heal', actionId: r.id })} aria-disabled={busy || undefined} data-testid="revert-fault">
          Revert
        </button>
      )}
      {(outcome.kind === 'error' || outcome.kind === 'invalid') && <OutcomeLine outcome={outcome} names={names} />}
    </li>
  );
}
