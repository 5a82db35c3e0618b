'use client';
// Byzantine faults (BFT engine only): one validator told to misbehave on purpose, so a chaos
// run can show that safety holds with one liar (f = 1 of 4) and that the safety checker fires
// when more than a third lie. Each behaviour is recorded and reverts like every fault.
import { useId, useMemo, useState, type ReactNode } from 'react';
import type { ChaosRecord } from '../../../wire/chaos-api.ts';
import type { NodeStatus } from '../../../wire/explorer-api.ts';
import { useActionForm } from './ChaosActions.tsx';
import { DurationField, NumberField, OutcomeLine } from './Fields.tsx';
import { NodeTargetPicker } from './NodeTargetPicker.tsx';
import { BYZANTINE_BEHAVIOURS, type ByzantineKind, describeNodeTargets, errorFor, shortNodeTargets, numberOrUndefined } from './chaosModel.ts';
import { EMPTY_TARGET, nodeTargetFields, type NodeTargetDraft } from './nodeTarget.ts';
import styles from './chaos.module.css';

export function ByzantineFaults({ nodes, active, engine }: { nodes: NodeStatus[]; active: ChaosRecord[]; engine: string | undefined }) {
  const id = useId();
  const { names, outcome, errors, busy, run } = useActionForm();
  const validators = useMemo(() => nodes.filter((n) => n.validator).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })), [nodes]);
  const [target, setTarget] = useState<NodeTargetDraft>(EMPTY_TARGET);
  const [kind, setKind] = useState<ByzantineKind>('equivocate');
  const [delay, setDelay] = useState('');
  const [duration, setDuration] = useState('');
  const behaviour = BYZANTINE_BEHAVIOURS.find((b) => b.kind === kind)!;
  const liars = active.filter((r) => BYZANTINE_BEHAVIOURS.some((b) => b.kind === r.kind));
  const liarNames = liars.flatMap((r) => r.targets.map((t) => `${names.get(t) ?? t} (${r.kind})`));

  if (engine !== 'bft') {
    return (
      <Panel id={id}>
        <p className={styles.panelNote}>
          Equivocating, withholding votes and delaying proposals need an engine with votes: start the testnet with <code>CONSENSUS=bft npm start</code>. This network runs{' '}
          {engine ?? 'an engine not reported yet'}.
        </p>
      </Panel>
    );
  }

  const apply = () => {
    const body: Record<string, unknown> = { kind, ...nodeTargetFields(target) };
    const who = describeNodeTargets(body, names);
    if (kind === 'delay-proposals') body.delayMs = numberOrUndefined(delay);
    const durationSec = numberOrUndefined(duration);
    if (durationSec !== undefined) body.durationSec = durationSec;
    return run(body, {
      title: `Make ${shortNodeTargets(body, names)} byzantine?`,
      confirmLabel: behaviour.button,
      body: (
        <p>
          {who} {behaviour.effect}
          {durationSec !== undefined ? ` for ${durationSec} s.` : ' until you heal it.'} With one byzantine validator of four the others stay safe; with two, safety can break and
          the safety checker raises an alert.
        </p>
      ),
    });
  };

  return (
    <Panel id={id}>
      <p className={styles.panelNote}>
        Make one validator lie or stall on purpose. BFT tolerates f byzantine validators of 3f + 1 (one of four): the honest ones keep one chain and record the evidence. More than
        that and two different blocks can be finalized.
        {liarNames.length > 0 && ` Now byzantine: ${liarNames.join(', ')}.`}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void apply();
        }}
      >
        <NodeTargetPicker draft={target} onChange={setTarget} nodes={validators} names={names} errors={errors} nodeLabel="Validator" testId="byzantine" />
        <div className={styles.fieldRow}>
          <div className={styles.field}>
            <label htmlFor={`${id}-kind`}>Behaviour</label>
            <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as ByzantineKind)} data-testid="byzantine-kind">
              {BYZANTINE_BEHAVIOURS.map((b) => (
                <option key={b.kind} value={b.kind}>
                  {b.label}
                </option>
              ))}
            </select>
          </div>
          {kind === 'delay-proposals' && (
            <NumberField label="Delay (ms)" value={delay} onChange={setDelay} error={errorFor(errors, 'delayMs')} min={1} max={60_000} step={1} placeholder="1500" />
          )}
          <DurationField value={duration} onChange={setDuration} error={errorFor(errors, 'durationSec')} />
        </div>
        <p className={styles.faultNote}>{behaviour.note}</p>
        <button type="submit" className="button" aria-disabled={busy || undefined} data-testid="byzantine-apply">
          {behaviour.button}…
        </button>
        <OutcomeLine outcome={outcome} names={names} />
      </form>
    </Panel>
  );
}

function Panel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <section className={`panel ${styles.card}`} aria-labelledby={`${id}-title`} data-testid="byzantine-faults">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Byzantine validators
      </h2>
      {children}
    </section>
  );
}
