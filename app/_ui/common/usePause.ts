'use client';
// Pause for a live view (issue 16): what is shown freezes at the moment of the click while the
// live data underneath keeps arriving; resuming shows the present again. Nothing is held back
// from the cache: pausing only chooses which value to draw.
import { useCallback, useState } from 'react';

export interface Paused<T> {
  value: T;
  /** When the view was paused (ms): ages on a frozen view are as of this moment. */
  at: number;
}

export function usePause<T>(live: T): { shown: T; paused: Paused<T> | null; pause: () => void; resume: () => void } {
  const [paused, setPaused] = useState<Paused<T> | null>(null);
  const pause = useCallback(() => setPaused({ value: live, at: Date.now() }), [live]);
  const resume = useCallback(() => setPaused(null), []);
  return { shown: paused ? paused.value : live, paused, pause, resume };
}
