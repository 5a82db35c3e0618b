'use client';
// "Import a run file": a run exported from any instance (GET /api/runs/{id}/export) or written
// by `npm run experiment -- … --out run.json`, posted to POST /api/runs/import. Writing needs
// the control session; signed out, the panel says where to sign in.
import Link from 'next/link';
import { useId, type ChangeEvent } from 'react';
import { useSession } from '../chaos/useChaos.ts';
import { useImportRun } from './useRuns.ts';
import styles from './runs.module.css';

export function ImportRun() {
  const id = useId();
  const session = useSession();
  const importRun = useImportRun();
  const signedIn = session.data?.authorised === true;

  function onChange(e: ChangeEvent<HTMLInputElement>) {
    const file = e.currentTarget.files?.[0];
    // Cleared, so choosing the same file again imports again (and says it is already here).
    e.currentTarget.value = '';
    if (file) importRun.mutate(file);
  }

  const result = importRun.data;
  return (
    <section className={`panel ${styles.import}`} aria-labelledby={`${id}-title`} data-testid="import-run">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Import a run file
      </h2>
      {signedIn ? (
        <label className={styles.fileLabel}>
          <span>Run file (.json)</span>
          <input type="file" accept=".json,application/json" onChange={onChange} disabled={importRun.isPending} data-testid="import-file" />
        </label>
      ) : (
        <p className="muted" data-testid="import-signin-hint">
          {session.isPending ? (
            'Checking your sign-in…'
          ) : (
            <>
              Importing changes this instance, so it needs the control token: sign in above (or on the <Link href="/chaos">Chaos page</Link>).
            </>
          )}
        </p>
      )}
      {importRun.isPending && (
        <p role="status" className="muted">
          Importing…
        </p>
      )}
      {importRun.error && (
        <p role="alert" className="state-error" data-testid="import-error">
          Could not import: {importRun.error.message}
        </p>
      )}
      {result && !importRun.isPending && (
        <p role="status" data-testid="import-result">
          {result.created ? 'Imported' : 'Already here (same run id), not imported twice'}:{' '}
          <Link href={`/runs/${result.run.id}`} data-testid="import-result-link">
            {result.run.name} ({result.run.engine.toUpperCase()})
          </Link>
        </p>
      )}
      <p className={styles.help}>
        A run file is one self-contained JSON document: the run&apos;s schedule, every fault, each node&apos;s head history, alerts and verdict. Get one from a run page&apos;s{' '}
        <strong>Export</strong> link on any instance, or from the experiment command.
      </p>
    </section>
  );
}
