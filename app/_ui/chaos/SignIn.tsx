'use client';
// Sign-in with the control token. The token is read from the form on submit, sent once, and
// the field is cleared: the server answers with an httpOnly cookie, so no script on the page
// (ours included) can read the token afterwards. Nothing is kept in state or localStorage.
import { useId, useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { SessionResponse } from '../../../wire/chaos-api.ts';
import { ApiRequestError, chaosApi, chaosKeys } from '../../_lib/api.ts';
import styles from './chaos.module.css';

export function SignInPanel({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const client = useQueryClient();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const field = form.elements.namedItem('token') as HTMLInputElement;
    const token = field.value.trim();
    if (!token) {
      setError('Paste the control token first.');
      field.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await chaosApi.signIn(token);
      form.reset();
      client.setQueryData<SessionResponse>(chaosKeys.session(), { authorised: true });
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 403) setError(`Refused: ${err.message}. Check that you copied the whole token from the server that serves this page.`);
      else setError(err instanceof Error ? err.message : String(err));
      field.select();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className={`panel ${styles.signin}`} aria-labelledby={`${id}-title`} data-testid="signin">
      <h2 id={`${id}-title`} className={styles.panelTitle}>
        Sign in to change the network
      </h2>
      <p className={styles.panelNote}>
        Everything on this page can be read without signing in. Chaos actions (partitions, link faults, pausing or killing nodes) need the server&apos;s{' '}
        <strong>control token</strong>.
      </p>
      {notice && (
        <p className={styles.notice} role="alert">
          {notice}
        </p>
      )}
      <form onSubmit={(e) => void onSubmit(e)} className={styles.signinForm} aria-label="Sign in with the control token" noValidate>
        <label htmlFor={`${id}-token`}>Control token</label>
        <input
          id={`${id}-token`}
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          className={styles.tokenInput}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-help${error ? ` ${id}-error` : ''}`}
          data-testid="token-input"
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error && (
        <p id={`${id}-error`} className={styles.fieldError} role="alert" data-testid="signin-error">
          {error}
        </p>
      )}
      <p id={`${id}-help`} className={styles.help}>
        <strong>Where is the token?</strong> It is printed by <code>npm start</code> (&ldquo;Control token (needed for chaos actions): …&rdquo;): it is in the file{' '}
        <code>DATA_DIR/control-token</code> (<code>./data/control-token</code> by default), or the value of <code>CONTROL_TOKEN</code> if the server was started with it. Signing in
        sets an httpOnly cookie for this browser; the page never keeps the token.
      </p>
    </section>
  );
}

/** "signed in · sign out". */
export function SessionBar() {
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    try {
      await chaosApi.signOut();
      client.setQueryData<SessionResponse>(chaosKeys.session(), { authorised: false });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <p className={styles.sessionBar} data-testid="session-bar">
      <span className={styles.signedIn}>● signed in</span>
      <span aria-hidden="true"> · </span>
      <button type="button" className="linkish" onClick={() => void signOut()} disabled={busy}>
        sign out
      </button>
      {error && (
        <span className={styles.fieldError} role="alert">
          {' '}
          {error}
        </span>
      )}
    </p>
  );
}
