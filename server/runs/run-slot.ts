// One fault-injecting run at a time on a control plane: an experiment and a scenario running
// together would mix their faults, and neither verdict would mean anything. The experiment and
// scenario services both claim this slot before they start and free it once their run is
// closed; whoever holds it says what it is and how to cancel it (POST /api/runs/{id}/cancel
// cancels any recorded run in progress through it).
import { CodedError } from '../../lib/coded-error.ts';

export interface RunHolder {
  /** What runs, for the refusal's message: 'experiment "split brain"'. */
  what: string;
  /** The recorded run's id, once it is open. */
  runId: number | null;
  /** Stops it before its next step and resolves once it is healed and closed. */
  cancel: () => Promise<void>;
}

export class RunSlot {
  private current: RunHolder | null = null;

  /** Takes the slot, or null when it is held. Free it with the returned function. */
  claim(holder: RunHolder): (() => void) | null {
    if (this.current) return null;
    this.current = holder;
    return () => {
      if (this.current === holder) this.current = null;
    };
  }

  holder(): RunHolder | null {
    return this.current;
  }

  /** Why a start must wait now (409 RUN_IN_PROGRESS, naming what runs), or null when the slot is free. */
  busyError(): CodedError<'RUN_IN_PROGRESS'> | null {
    const h = this.current;
    if (!h) return null;
    return new CodedError('RUN_IN_PROGRESS', `${h.what} is running${h.runId !== null ? ` (run ${h.runId})` : ''}: wait for it to finish, or cancel it`);
  }
}
