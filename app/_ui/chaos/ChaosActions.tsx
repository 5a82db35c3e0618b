'use client';
// How every chaos form sends an action: validate with the shared schema, ask for confirmation
// when it is destructive, POST it, write the answer into the cache. A 401/403 signs the page
// out with the server's message; any other refusal is shown by the form that sent it.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ChaosRecord, ChaosResponse, SessionResponse } from '../../../wire/chaos-api.ts';
import { chaosApi, chaosKeys, isAuthError } from '../../_lib/api.ts';
import { parseAction, withRecord, type FieldErrors, type Names } from './chaosModel.ts';
import { useConfirm, type ConfirmOptions } from './ConfirmDialog.tsx';

export type Outcome =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'cancelled' }
  | { kind: 'ok'; record: ChaosRecord }
  | { kind: 'error'; message: string }
  | { kind: 'signed-out' };

interface ChaosActionsValue {
  names: Names;
  /** `onSend` runs once the action is valid and confirmed, just before the request. */
  submit: (raw: unknown, confirm?: ConfirmOptions, onSend?: () => void) => Promise<Outcome>;
}

const OK_NOTE_MS = 15_000;

const Ctx = createContext<ChaosActionsValue | null>(null);

export function ChaosActionsProvider({ names, onSignedOut, children }: { names: Names; onSignedOut: (message: string) => void; children: ReactNode }) {
  const client = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const submit = useCallback(
    async (raw: unknown, confirmOptions?: ConfirmOptions, onSend?: () => void): Promise<Outcome> => {
      const parsed = parseAction(raw);
      if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors };
      if (confirmOptions && !(await confirm(confirmOptions))) return { kind: 'cancelled' };
      onSend?.();
      try {
        const { action } = await chaosApi.apply(parsed.action);
        client.setQueryData<ChaosResponse>(chaosKeys.actions(), (old) => withRecord(old, action));
        void client.invalidateQueries({ queryKey: chaosKeys.actions() });
        return { kind: 'ok', record: action };
      } catch (err) {
        if (isAuthError(err)) {
          client.setQueryData<SessionResponse>(chaosKeys.session(), { authorised: false });
          onSignedOut(
            err.status === 401
              ? `Not applied: this browser is no longer signed in (the server said: “${err.message}”). Sign in again to continue.`
              : `Not applied: the server no longer accepts this session (“${err.message}”; was the server restarted with another token?). Sign in again.`,
          );
          return { kind: 'signed-out' };
        }
        return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
      }
    },
    [client, confirm, onSignedOut],
  );
  const value = useMemo(() => ({ names, submit }), [names, submit]);
  return (
    <Ctx.Provider value={value}>
      {children}
      {dialog}
    </Ctx.Provider>
  );
}

/** One form's sending state: `run` submits and keeps the outcome for <OutcomeLine>. */
export function useActionForm() {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useActionForm needs a ChaosActionsProvider');
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const { submit } = ctx;
  // A success note fades after a while (the history keeps it), so it is not read as the state now.
  useEffect(() => {
    if (outcome.kind !== 'ok') return;
    const t = setTimeout(() => setOutcome((o) => (o === outcome ? { kind: 'idle' } : o)), OK_NOTE_MS);
    return () => clearTimeout(t);
  }, [outcome]);
  // Buttons stay enabled while busy (aria-disabled), so focus is never dropped; this ignores the extra clicks.
  const busyRef = useRef(false);
  const run = useCallback(
    async (raw: unknown, confirm?: ConfirmOptions): Promise<Outcome> => {
      if (busyRef.current) return { kind: 'cancelled' };
      busyRef.current = true;
      setOutcome({ kind: 'idle' });
      try {
        const result = await submit(raw, confirm, () => setOutcome({ kind: 'busy' }));
        setOutcome(result.kind === 'cancelled' ? { kind: 'idle' } : result);
        return result;
      } finally {
        busyRef.current = false;
      }
    },
    [submit],
  );
  const errors: FieldErrors = outcome.kind === 'invalid' ? outcome.errors : {};
  return { names: ctx.names, outcome, errors, busy: outcome.kind === 'busy', run };
}
