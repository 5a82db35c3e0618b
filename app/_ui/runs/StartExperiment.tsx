'use client';
// Start an experiment from the /runs page against the running network (POST /api/runs):
// pick one of the server's example files, optionally a seed to replay, confirm, start. The run
// in progress (an experiment or a scenario: one at a time) is shown with its elapsed time and
// a Cancel button (POST /api/runs/{id}/cancel: it stops before its next step, heals, and is
// recorded as cancelled), and the last run started here once it has ended. Reading is public;
// starting and cancelling need a control session, as on the chaos page (sign in there or here).
import Link from 'next/link';
import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionResponse } from '../../../wire/chaos-api.ts';
import type { ExperimentExample, RunSummary } from '../../../wire/run-api.ts';
import { chaosKeys, fetchRoute, isAuthError, routeKey } from '../../_lib/api.ts';
import { useLiveEvent, useReconnected } from '../../_lib/live.ts';
import { ErrorState, Loading } from '../common/QueryState.tsx';
import { useNow } from '../common/useNow.ts';
import { useConfirm } from '../chaos/ConfirmDialog.tsx';
import { NumberField } from '../chaos/Fields.tsx';
import { SignInPanel } from '../chaos/SignIn.tsx';
import { useSession } from '../chaos/useChaos.ts';
import styles from '../chaos/chaos.module.css';

const MAX_SEED = 0xffffffff;
const RECENT = { query: { limit: 20 } } as const;

/** The recent runs (GET /api/runs) with every 'runs:update' push merged in, newest first. */
function useRecentRuns() {
  const client = useQueryClient();
  const key = useMemo(() => routeKey('runs', RECENT, 'start-experiment'), []);
  const query = useQuery({ queryKey: key, queryFn: () => fetchRoute('runs', RECENT), refetchInterval: 60_000 });
  const [pushed, setPushed] = useState<ReadonlyMap<number, RunSummary>>(new Map());
  const onRun = useCallback((run: RunSummary) => setPushed((old) => new Map(old).set(run.id, run)), []);
  useLiveEvent('runs', 'runs:update', onRun);
  // Pushes sent while the connection was down are lost: read the list again.
  const onReconnect = useCallback(() => void client.invalidateQueries({ queryKey: key }), [client, key]);
  useReconnected(onReconnect);
  const runs = useMemo(() => mergeRuns(query.data?.runs ?? [], pushed), [query.data?.runs, pushed]);
  return { query, runs, note: onRun };
}

/** The listed runs with the pushed ones in place (a pushed line is newer than the listed one), newest first. */
function mergeRuns(listed: readonly RunSummary[], pushed: ReadonlyMap<number, RunSummary>): RunSummary[] {
  const byId = new Map(listed.map((r) => [r.id, r]));
  for (const [id, run] of pushed) byId.set(id, run);
  return [...byId.values()].sort((a, b) => b.id - a.id);
}

/** A seed field's value: undefined when empty, a number when valid, else the reason. */
function parseSeed(text: string): { seed?: number; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  const n = Number(t);
  if (!Number.isInteger(n) || n < 0 || n > MAX_SEED) return { error: `a whole number from 0 to ${MAX_SEED}` };
  return { seed: n };
}

function Elapsed({ since }: { since: number }) {
  const now = useNow();
  return <span className={styles.timer}>running · {Math.max(0, Math.round((now - since) / 1000))} s</span>;
}

function validityText(run: RunSummary): string {
  if (run.valid === null) return run.status === 'error' ? 'could not be judged' : 'not judged';
  return run.valid === 'unknown' ? 'verdict unknown' : run.valid ? 'valid' : 'INVALID';
}

function ExampleDetails({ example, engine }: { example: ExperimentExample; engine: string | undefined }) {
  const e = example.experiment;
  const steps = e.schedule.kind === 'steps' ? `${e.schedule.steps.length} step${e.schedule.steps.length === 1 ? '' : 's'}` : `a fault every ${e.schedule.everySec} s`;
  return (
    <div data-testid="start-experiment-details" style={{ marginTop: 10 }}>
      {e.description && <p className={styles.panelNote}>{e.description}</p>}
      <p className="muted small">
        {steps} over {e.durationSec} s · recovery bound {e.checks.recoveryBoundSec} s{e.seed !== undefined ? ` · file seed ${e.seed}` : ''}. Written for {e.testnet.nodes}{' '}
        {e.testnet.engine} nodes; it runs on the network that runs{engine ? ` (${engine})` : ''}, which the run records.
      </p>
    </div>
  );
}

export function StartExperiment({ engine }: { /** The running network's engine, to say so beside the file's. */ engine?: string } = {}) {
  const id = useId();
  const client = useQueryClient();
  const session = useSession();
  const signedIn = session.data?.authorised === true;
  const examples = useQuery({ queryKey: routeKey('experiments'), queryFn: () => fetchRoute('experiments', {}), staleTime: 60_000 });
  const { runs, note } = useRecentRuns();
  const { confirm, dialog } = useConfirm();
  const [file, setFile] = useState('');
  const [seedText, setSeedText] = useState('');
  const [busy, setBusy] = useState<'start' | 'cancel' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [startedHere, setStartedHere] = useState<number | null>(null);
  const busyRef = useRef(false);

  const list = examples.data?.examples ?? [];
  const chosen = list.find((x) => x.file === file) ?? list[0];
  const seed = parseSeed(seedText);
  const running = runs.find((r) => r.status === 'running' && r.importedAt === null);
  const lastHere = startedHere === null ? undefined : runs.find((r) => r.id === startedHere && r.status !== 'running');

  /** One control request at a time; a lost session asks to sign in again, any other refusal is shown here. */
  const control = async (what: 'start' | 'cancel', send: () => Promise<{ run: RunSummary }>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setError(null);
    try {
      setBusy(what);
      const { run } = await send();
      note(run);
      if (what === 'start') setStartedHere(run.id);
    } catch (err) {
      if (isAuthError(err)) {
        client.setQueryData<SessionResponse>(chaosKeys.session(), { authorised: false });
        setNotice(`Not ${what === 'start' ? 'started' : 'cancelled'}: this browser is no longer signed in (the server said: “${err.message}”). Sign in again to continue.`);
      } else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(null);
      busyRef.current = false;
    }
  };

  const start = async () => {
    if (!chosen || seed.error) return;
    const ok = await confirm({
      title: `Start “${chosen.experiment.name}”?`,
      body: (
        <p>
          Injects its faults into the running network for about {chosen.experiment.durationSec} s, then heals and judges the run.
          {seed.seed !== undefined ? ` Seed ${seed.seed}.` : ' A seed is drawn and recorded.'}
        </p>
      ),
      confirmLabel: 'Start',
    });
    if (ok) await control('start', () => fetchRoute('startRun', { body: { file: chosen.file, ...(seed.seed !== undefined ? { seed: seed.seed } : {}) } }));
  };

  const cancel = async (run: RunSummary) => {
    const ok = await confirm({
      title: `Cancel “${run.name}”?`,
      body: <p>The run stops before its next step, heals the network and is recorded as cancelled; its verdict is unknown at best.</p>,
      confirmLabel: 'Cancel run',
      dismissLabel: 'Keep running',
    });
    if (ok) await control('cancel', () => fetchRoute('cancelRun', { params: { id: run.id } }));
  };

  let body;
  if (session.isPending) body = <Loading what="your sign-in state" />;
  else if (!signedIn) body = <SignInPanel notice={notice} onSignedIn={() => setNotice(null)} />;
  else if (examples.isPending) body = <Loading what="example experiments" />;
  else if (examples.error && !examples.data) body = <ErrorState error={examples.error} what="example experiments" />;
  else if (list.length === 0) body = <p className={styles.panelNote}>The server has no example experiments (the experiments/ directory is empty).</p>;
  else
    body = (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className={styles.formRow}>
          <div className={styles.field}>
            <label htmlFor={`${id}-file`}>Experiment</label>
            <select id={`${id}-file`} value={chosen?.file ?? ''} onChange={(e) => setFile(e.target.value)} data-testid="start-experiment-file">
              {list.map((x) => (
                <option key={x.file} value={x.file}>
                  {x.experiment.name} ({x.file})
                </option>
              ))}
            </select>
          </div>
          <NumberField
            label="Seed (optional)"
            value={seedText}
            onChange={setSeedText}
            error={seed.error}
            hint="the same seed replays the same schedule"
            min={0}
            max={MAX_SEED}
            step={1}
            testId="start-experiment-seed"
          />
          <button
            type="submit"
            className="button"
            disabled={running !== undefined || seed.error !== undefined}
            aria-disabled={busy === 'start' || undefined}
            title={running ? `“${running.name}” is running` : undefined}
            data-testid="start-experiment-submit"
          >
            {busy === 'start' ? 'Starting…' : 'Start'}
          </button>
        </div>
        {chosen && <ExampleDetails example={chosen} engine={engine} />}
      </form>
    );

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.card}`} data-testid="start-experiment">
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>Start an experiment</h2>
        {running && (
          <span data-testid="start-experiment-running" data-run-id={running.id}>
            <Link href={`/runs/${running.id}`}>“{running.name}”</Link> ({running.kind}) <Elapsed since={running.startedAt} />
            {signedIn && (
              <button
                type="button"
                className={`button ${styles.cancelRun}`}
                data-testid="start-experiment-cancel"
                aria-disabled={busy === 'cancel' || undefined}
                onClick={() => void cancel(running)}
              >
                {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
              </button>
            )}
          </span>
        )}
      </div>
      <p className={styles.panelNote}>
        Runs an example experiment file against this running network, recorded as a run with its faults, head history, alerts and verdict. One run (experiment or scenario) at a
        time.
      </p>
      {body}
      {error && (
        <p className={`${styles.outcome} ${styles.bad}`} role="alert" data-testid="start-experiment-error">
          {error}
        </p>
      )}
      {lastHere && (
        <p className={styles.outcome} data-testid="start-experiment-last" data-status={lastHere.status}>
          <Link href={`/runs/${lastHere.id}`}>Run {lastHere.id}</Link> {lastHere.status}:{' '}
          <span className={lastHere.valid === true ? styles.good : lastHere.valid === false ? styles.bad : undefined}>{validityText(lastHere)}</span>
        </p>
      )}
      {dialog}
    </section>
  );
}
