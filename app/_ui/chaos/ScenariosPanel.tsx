'use client';
// Scenarios: the example files (timed chaos steps and expectations) with a Run button each
// (signed in, confirmed first), the running one with a Cancel button, and the recent runs,
// live, each expanding to its steps.
import { useCallback, useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionResponse } from '../../../wire/chaos-api.ts';
import type { ScenarioExample, ScenarioRunRecord, ScenariosResponse, StepResult } from '../../../wire/scenario.ts';
import { clockTime, dateTime, duration } from '../../_lib/format.ts';
import { DataTable, type Column } from '../common/DataTable.tsx';
import { Empty, ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { chaosApi, chaosKeys, isAuthError } from '../../_lib/api.ts';
import { useConfirm, type ConfirmOptions } from './ConfirmDialog.tsx';
import { RUN_BADGE, runningRun, scenarioSeconds, withRun } from './scenarioModel.ts';
import { useScenarios } from './useChaos.ts';
import styles from './chaos.module.css';

function Elapsed({ since }: { since: number }) {
  const now = useNow();
  return <span className={styles.timer}>running · {Math.max(0, Math.round((now - since) / 1000))} s</span>;
}

function RunDuration({ run }: { run: ScenarioRunRecord }) {
  if (run.status === 'running' || run.finishedAt === null) return <Elapsed since={run.startedAt} />;
  return <span className={styles.tabular}>{duration(run.finishedAt - run.startedAt)}</span>;
}

const stepColumns: Column<StepResult>[] = [
  { key: 'time', header: 'Time', align: 'end', cellProps: (s) => ({ title: `finished at +${s.finishedAt.toFixed(1)} s` }), cell: (s) => `+${s.at} s` },
  { key: 'what', header: 'What', className: 'wrap', cell: (s) => s.what },
  { key: 'result', header: 'Result', cell: (s) => <span className={`badge ${s.ok ? 'badge-ok' : 'badge-bad'}`}>{s.ok ? 'PASS' : 'FAIL'}</span> },
  { key: 'detail', header: 'Detail', className: 'wrap', cell: (s) => s.detail || <span className="muted">—</span> },
];

const stepRowProps = (s: StepResult) => ({ 'data-testid': 'scenario-step', 'data-ok': s.ok });

function RunSteps({ run }: { run: ScenarioRunRecord }) {
  if (run.status === 'error') return <p className={`${styles.outcome} ${styles.bad}`}>Could not run: {run.error ?? 'unknown error'}</p>;
  const steps = Array.isArray(run.report?.steps) ? run.report.steps : [];
  if (steps.length === 0)
    return <p className={`${styles.outcome} muted`}>{run.status === 'running' ? 'Running; the steps appear when the run finishes.' : 'No steps recorded.'}</p>;
  return <DataTable columns={stepColumns} rows={steps} rowKey={(_, i) => i} rowProps={stepRowProps} className={styles.stepTable} testId="scenario-steps" />;
}

function RunItem({ run }: { run: ScenarioRunRecord }) {
  return (
    <li className={styles.runItem} data-testid="scenario-run" data-status={run.status} data-run-id={run.id}>
      <details>
        <summary className={styles.runSummary}>
          <span className={styles.runName}>{run.name}</span>
          <span className="muted small" title={dateTime(run.startedAt)}>
            started {clockTime(run.startedAt)}
          </span>
          <span className={`badge ${RUN_BADGE[run.status] ?? ''}`} data-testid="scenario-run-status">
            {run.status}
          </span>
          <RunDuration run={run} />
        </summary>
        <RunSteps run={run} />
      </details>
    </li>
  );
}

export function ScenariosPanel({ signedIn, onSignedOut }: { signedIn: boolean; onSignedOut: (message: string) => void }) {
  const id = useId();
  const client = useQueryClient();
  const query = useScenarios();
  const { confirm, dialog } = useConfirm();
  const [sending, setSending] = useState<string | null>(null);
  const [error, setError] = useState<{ file: string; message: string } | null>(null);
  const [cancelling, setCancelling] = useState<number | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const busyRef = useRef(false);
  const runs = query.data?.runs ?? [];
  const running = runningRun(runs);

  /**
   * One control request at a time: ask first, send, put the answered run into the cache, and
   * tell a lost session (sign in again) apart from any other refusal (shown where it belongs).
   */
  const control = useCallback(
    async (req: { ask: ConfirmOptions; what: string; send: () => Promise<{ run: ScenarioRunRecord }>; busy: (on: boolean) => void; failed: (message: string) => void }) => {
      if (busyRef.current) return;
      busyRef.current = true;
      try {
        if (!(await confirm(req.ask))) return;
        req.busy(true);
        const { run: record } = await req.send();
        client.setQueryData<ScenariosResponse>(chaosKeys.scenarios(), (old) => withRun(old, record));
      } catch (err) {
        if (isAuthError(err)) {
          client.setQueryData<SessionResponse>(chaosKeys.session(), { authorised: false });
          onSignedOut(`Scenario not ${req.what}: this browser is no longer signed in (the server said: “${err.message}”). Sign in again to continue.`);
        } else req.failed(err instanceof Error ? err.message : String(err));
      } finally {
        req.busy(false);
        busyRef.current = false;
      }
    },
    [client, confirm, onSignedOut],
  );

  const run = (example: ScenarioExample) => {
    setError(null);
    const steps = example.scenario.steps.length;
    return control({
      ask: {
        title: `Run “${example.scenario.name}”?`,
        body: (
          <p>
            Runs {steps} timed step{steps === 1 ? '' : 's'} over about {scenarioSeconds(example.scenario)} s, then heals.
          </p>
        ),
        confirmLabel: 'Run',
      },
      what: 'started',
      send: () => chaosApi.runScenario({ file: example.file }),
      busy: (on) => setSending(on ? example.file : null),
      failed: (message) => setError({ file: example.file, message }),
    });
  };

  const cancel = (target: ScenarioRunRecord) => {
    setCancelError(null);
    return control({
      ask: {
        title: `Cancel “${target.name}”?`,
        body: <p>The run stops before its next step, heals the network and is recorded as cancelled.</p>,
        confirmLabel: 'Cancel run',
        dismissLabel: 'Keep running',
      },
      what: 'cancelled',
      send: () => chaosApi.cancelScenario(target.id),
      busy: (on) => setCancelling(on ? target.id : null),
      failed: setCancelError,
    });
  };

  let body;
  if (query.isPending) body = <Loading what="scenarios" />;
  else if (query.error && !query.data) body = <ErrorState error={query.error} what="scenarios" />;
  else {
    const examples = query.data?.examples ?? [];
    body = (
      <>
        {examples.length === 0 ? (
          <Empty>No example scenarios found on the server.</Empty>
        ) : (
          <ul className={styles.scenarioList}>
            {examples.map((ex) => {
              const disabled = running !== undefined || (sending !== null && sending !== ex.file);
              const isSending = sending === ex.file;
              return (
                <li key={ex.file} className={styles.scenario} data-testid="scenario-example" data-file={ex.file}>
                  <div className={styles.scenarioText}>
                    <h3 className={styles.scenarioName}>
                      {ex.scenario.name} <code className="muted small">{ex.file}</code>
                    </h3>
                    {ex.scenario.description && <p className={styles.scenarioDesc}>{ex.scenario.description}</p>}
                    <p className="muted small">
                      {ex.scenario.steps.length} step{ex.scenario.steps.length === 1 ? '' : 's'} · about {scenarioSeconds(ex.scenario)} s
                    </p>
                    {error?.file === ex.file && (
                      <p className={`${styles.outcome} ${styles.bad}`} role="alert" data-testid="scenario-error">
                        Not started: {error.message}
                      </p>
                    )}
                  </div>
                  {signedIn && (
                    <button
                      type="button"
                      className="button"
                      disabled={disabled}
                      aria-disabled={isSending || undefined}
                      title={running ? `“${running.name}” is running` : undefined}
                      onClick={() => void run(ex)}
                    >
                      {isSending ? 'Starting…' : 'Run'}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <h3 className={styles.runsTitle}>Recent runs</h3>
        {runs.length === 0 ? (
          <Empty>No scenario runs yet.</Empty>
        ) : (
          <ul className={styles.runList} data-testid="scenario-runs">
            {runs.map((r) => (
              <RunItem key={r.id} run={r} />
            ))}
          </ul>
        )}
      </>
    );
  }

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.card} ${styles.scenarios}`} data-testid="scenarios">
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>Scenarios</h2>
        {running && (
          <span data-testid="scenario-running">
            “{running.name}” <Elapsed since={running.startedAt} />
            {signedIn && (
              <button
                type="button"
                className={`button ${styles.cancelRun}`}
                data-testid="scenario-cancel"
                aria-disabled={cancelling !== null || undefined}
                onClick={() => void cancel(running)}
              >
                {cancelling === running.id ? 'Cancelling…' : 'Cancel'}
              </button>
            )}
          </span>
        )}
      </div>
      {cancelError && (
        <p className={`${styles.outcome} ${styles.bad}`} role="alert" data-testid="scenario-cancel-error">
          Not cancelled: {cancelError}
        </p>
      )}
      <p className={styles.panelNote}>
        Scripted chaos: timed actions and expectations checked against the network. Only one runs at a time; each ends by healing.
        {!signedIn && ' Sign in to run one.'}
      </p>
      {body}
      {dialog}
    </section>
  );
}
