'use client';
// The Pause / Resume control of a live view, with how much arrived while it was paused.
import { clockTime } from '../../_lib/format.ts';

export function updatesText(count: number, capped = false): string {
  return `${count}${capped ? '+' : ''} new update${count === 1 && !capped ? '' : 's'}`;
}

export function PauseControl({
  what,
  paused,
  newCount,
  capped = false,
  present,
  onPause,
  onResume,
  testId,
}: {
  /** What freezes, for the button's accessible name ("the node table"). */
  what: string;
  paused: { at: number } | null;
  /** Updates that arrived since the pause. */
  newCount: number;
  /** True when more arrived than can be counted. */
  capped?: boolean;
  /** Where the live view is now, in words ("network now at height 236"), so the frozen numbers are not taken for the present. */
  present?: string;
  onPause: () => void;
  onResume: () => void;
  testId: string;
}) {
  if (!paused) {
    return (
      <button
        type="button"
        className="button pause-button"
        onClick={onPause}
        aria-label={`Pause ${what}`}
        title={`Freeze ${what}; live updates keep arriving in the background`}
        data-testid={testId}
      >
        ❚❚ Pause
      </button>
    );
  }
  return (
    <span className="paused-note" data-testid={`${testId}-paused`}>
      {/* Only "paused at …" is a live region: the count changes several times a second and would be read out each time. */}
      <span className="small">
        <span role="status">paused at {clockTime(paused.at)}</span> — <strong data-testid={`${testId}-count`}>{updatesText(newCount, capped)}</strong>
        {present && <>, {present}</>}
      </span>
      <button type="button" className="button pause-button" onClick={onResume} aria-label={`Resume ${what}`} title="Show the present again" data-testid={testId}>
        ▶ Resume
      </button>
    </span>
  );
}
