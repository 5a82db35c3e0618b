'use client';
// "Are you sure?" as a real modal <dialog>: focus starts on Cancel, Escape cancels, and focus
// goes back to the button that asked once it closes.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import styles from './chaos.module.css';

export interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  /** The button that says no (default "Cancel"). */
  dismissLabel?: string;
}

function ConfirmDialog({ options, onClose }: { options: ConfirmOptions; onClose: (ok: boolean) => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      data-testid="confirm-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onClose(true);
        }}
      >
        <h2 id={`${id}-title`} className={styles.dialogTitle}>
          {options.title}
        </h2>
        <div id={`${id}-body`} className={styles.dialogBody}>
          {options.body}
        </div>
        <div className={styles.dialogButtons}>
          <button ref={cancelRef} type="button" className="button" onClick={() => onClose(false)}>
            {options.dismissLabel ?? 'Cancel'}
          </button>
          <button type="submit" className={`button ${styles.danger}`}>
            {options.confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** `confirm(options)` resolves true when the user confirms; render `dialog` once somewhere. */
export function useConfirm() {
  const [pending, setPending] = useState<{ options: ConfirmOptions; resolve: (ok: boolean) => void } | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        setPending((old) => {
          old?.resolve(false);
          return { options, resolve };
        });
      }),
    [],
  );
  const dialog = pending ? (
    <ConfirmDialog
      key={pending.options.title}
      options={pending.options}
      onClose={(ok) => {
        pending.resolve(ok);
        setPending(null);
      }}
    />
  ) : null;
  return { confirm, dialog };
}
