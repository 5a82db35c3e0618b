'use client';
// Time travel for the fork view: drag back to any moment since the first head on record and
// the tree is redrawn as it was then; the right end (or "Live") follows new data again.
import { useEffect, useRef, useState } from 'react';
import { age, dateTime } from '../../_lib/format.ts';
import { useNow } from '../common/useNow.ts';
import { useLiveConnected } from '../../_lib/live.ts';

const COMMIT_DELAY_MS = 300;
/** Within this of now counts as "now", i.e. live. */
const LIVE_SLACK_MS = 2_000;

export function TimeSlider({ historyStart, at, onChange }: { historyStart: number | null; at: number | null; onChange: (at: number | null) => void }) {
  const now = useNow();
  const connected = useLiveConnected();
  const min = Math.min(historyStart ?? now - 60_000, now - 1_000);
  const [draft, setDraft] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const commit = (value: number | null) => {
    if (timer.current) clearTimeout(timer.current);
    setDraft(null);
    onChange(value === null || value >= Date.now() - LIVE_SLACK_MS ? null : Math.round(value));
  };
  const drag = (value: number) => {
    setDraft(value);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => commit(value), COMMIT_DELAY_MS);
  };
  const shown = draft ?? at ?? now;
  const live = draft === null && at === null;
  const nudge = (ms: number) => commit(Math.max(min, Math.min(now, (at ?? now) + ms)));

  return (
    <div className="timeslider" data-testid="time-slider">
      <label htmlFor="fork-time" className="strong">
        Time
      </label>
      <input
        id="fork-time"
        type="range"
        min={min}
        max={now}
        step={1_000}
        value={Math.max(min, Math.min(now, shown))}
        onChange={(e) => drag(Number(e.target.value))}
        aria-valuetext={live ? 'live' : dateTime(shown)}
      />
      <span className={live ? 'live-on strong' : 'strong past'} data-testid="time-slider-value">
        {live ? (connected ? '● live' : '○ live (reconnecting…)') : `as of ${dateTime(shown)} (${age(shown, now)})`}
      </span>
      <span className="button-group">
        <button type="button" className="button" onClick={() => nudge(-10_000)} disabled={shown <= min}>
          −10 s
        </button>
        <button type="button" className="button" onClick={() => nudge(10_000)} disabled={live}>
          +10 s
        </button>
        <button type="button" className={live ? 'button' : 'button button-primary'} onClick={() => commit(null)} disabled={live} data-testid="go-live">
          Live
        </button>
      </span>
      {historyStart !== null && <span className="muted small">history since {dateTime(historyStart)}</span>}
    </div>
  );
}
